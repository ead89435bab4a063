import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, type Driver, Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { migrations } from './migrations';
import type { Tables } from './tables';

/** Which database a URL names: `postgres://` and `postgresql://` are PostgreSQL; anything else is a SQLite file. */
export type Backend = 'sqlite' | 'postgres';

export function backendOf(databaseUrl: string): Backend {
  return /^postgres(ql)?:\/\//i.test(databaseUrl.trim()) ? 'postgres' : 'sqlite';
}

/**
 * The file path a database URL names. Accepted forms: a plain path (`./data/roundup.db`), `sqlite:` or
 * `file:` followed by a path (`sqlite:./data/roundup.db`), and the URL form with an empty or localhost host
 * (`sqlite:///var/lib/roundup.db`, `file:///var/lib/roundup.db`), whose path is absolute. `:memory:` opens
 * a database in memory.
 */
export function databasePath(databaseUrl: string): string {
  const url = databaseUrl.trim();
  const scheme = /^(sqlite|file):/i.exec(url);
  let file = scheme ? url.slice(scheme[0].length) : url;
  if (scheme) {
    // Options such as ?mode=ro are not honoured (the pragmas are fixed), so refuse rather than ignore them.
    // The message does not repeat the URL: it may hold something secret.
    if (/[?#]/.test(file)) {
      throw new Error(
        'The database URL has options (after ? or #), which are not supported; give a file path',
      );
    }
    if (file.startsWith('//')) {
      const slash = file.indexOf('/', 2);
      const host = slash === -1 ? file.slice(2) : file.slice(2, slash);
      if (slash === -1 || (host !== '' && host.toLowerCase() !== 'localhost')) {
        throw new Error(
          'The database URL names a host; SQLite needs a local file path such as ./data/roundup.db',
        );
      }
      file = decodeURIComponent(file.slice(slash));
    }
  }
  if (file === '') throw new Error('The database URL is empty; give a file path such as ./data/roundup.db');
  return file;
}

/**
 * Open the SQLite database a URL names (see `databasePath`), creating the file and its folder if missing.
 * The schema is not touched: run `migrateToLatest` next.
 */
export function openDatabase(databaseUrl: string): Kysely<Tables> {
  return openSqliteDatabase(databaseUrl).db;
}

/**
 * A SQLite database, and its `data_version`: a number that changes whenever another connection (another
 * process on the same file) commits, which lets a cache know it may be stale without reading anything.
 */
export function openSqliteDatabase(databaseUrl: string): { db: Kysely<Tables>; dataVersion: () => number } {
  const file = databasePath(databaseUrl);
  const inMemory = file === ':memory:';
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    if (!inMemory) fs.mkdirSync(path.dirname(file), { recursive: true });
    sqlite = new BetterSqlite3(file);
    // WAL lets readers (a backup, the sqlite3 shell) work while the bot writes; NORMAL is durable enough
    // under WAL and much faster. Foreign keys are off by default in SQLite. The busy timeout covers another
    // process holding the write lock briefly. The first pragma also fails fast on a file that is no database.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 2000');
    sqlite.pragma('synchronous = NORMAL');
  } catch (error) {
    sqlite?.close();
    const where = inMemory ? file : path.resolve(file);
    throw new Error(`Could not open the database at ${where}: ${messageOf(error)}`, { cause: error });
  }
  const open = sqlite;
  return {
    db: new Kysely<Tables>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(open) }) }),
    dataVersion: () => open.pragma('data_version', { simple: true }) as number,
  };
}

/**
 * A PostgreSQL database through a pool of at most `poolSize` connections. Nothing is connected yet: the first
 * query (the migrations) connects, and says so plainly if it cannot.
 */
export function openPostgresDatabase(databaseUrl: string, poolSize: number): Kysely<Tables> {
  const pool = new Pool({
    connectionString: databaseUrl,
    max: poolSize,
    // A replica that cannot get a connection says so rather than queueing requests forever.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'roundup',
  });
  // An idle connection the server dropped (a restart, a failover) is replaced on next use; without a
  // listener, its error event would end the process.
  pool.on('error', () => undefined);
  return new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * SQLite's plain BEGIN takes the write lock only at the first write, and a transaction that read before
 * another process committed then fails at once (SQLITE_BUSY_SNAPSHOT) instead of waiting. BEGIN IMMEDIATE
 * takes the lock at the start, so a second process (the CLI beside the bot, a second bot on the same file)
 * waits its turn under the busy timeout. A read-only transaction (a snapshot for reading) needs no lock.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection, settings) => {
      const begin = settings.accessMode === 'read only' ? 'begin' : 'begin immediate';
      await connection.executeQuery(CompiledQuery.raw(begin));
    };
    return driver;
  }
}

/**
 * Kysely prepares every statement each time it runs it, and preparing costs more than running most of our
 * queries. The bot runs the same few hundred statements over and over, so each is prepared once and kept.
 * (better-sqlite3 runs one statement at a time, and nothing here streams, so sharing a statement is safe;
 * SQLite re-prepares a kept statement itself after a schema change.)
 */
function withStatementCache(sqlite: BetterSqlite3.Database) {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = sqlite.prepare(sql);
        if (statements.size >= 1000) statements.delete(statements.keys().next().value as string);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * Apply the migrations not yet applied, in order. Returns the names of those applied now. Several replicas
 * may start at the same moment: on PostgreSQL, Kysely's migrator holds an advisory lock while it migrates
 * (one runs them, the others wait and then find nothing to do), and each migration is one transaction.
 * Its bookkeeping tables live in the connection's current schema, beside ours.
 */
export async function migrateToLatest(db: Kysely<Tables>, backend: Backend = 'sqlite'): Promise<string[]> {
  const schema =
    backend === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const which = failed === undefined ? 'Migrating the database' : `Database migration ${failed}`;
    throw new Error(`${which} failed: ${messageOf(error)}`, { cause: error });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
