import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrations } from './migrations';
import type { Tables } from './tables';

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
  return new Kysely<Tables>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
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

/** Apply the migrations not yet applied, in order. Returns the names of those applied now. */
export async function migrateToLatest(db: Kysely<Tables>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
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
