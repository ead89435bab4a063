import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Client } from 'pg';
import type { Backend } from '../../src/store/database';
import { makeTempFolder, type TempFolder } from './temp-db';

/**
 * The databases the tests run on. SQLite is always there (a temp file). PostgreSQL is there when
 * TEST_DATABASE_URL names a server (`.ci/run` starts one and sets it): each test database is then a schema of
 * its own in that database, chosen by the connection's search_path, so tests never see each other's rows.
 *
 * Without TEST_DATABASE_URL, the PostgreSQL half of each suite is reported as skipped; under CI it fails
 * instead, since a skipped backend there would pass what was never run.
 */
export const POSTGRES_URL = process.env.TEST_DATABASE_URL || undefined;

export interface TestBackend {
  name: 'SQLite' | 'PostgreSQL';
  backend: Backend;
  available: boolean;
}

export const BACKENDS: readonly TestBackend[] = [
  { name: 'SQLite', backend: 'sqlite', available: true },
  { name: 'PostgreSQL', backend: 'postgres', available: POSTGRES_URL !== undefined },
];

/** The backend the Slack, service and process tests run on: SQLite, unless ROUNDUP_TEST_BACKEND=postgres. */
export function backendUnderTest(): Backend {
  return process.env.ROUNDUP_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';
}

/** A database of its own for one test: its URL for DATABASE_URL, a way to count rows, and removal. */
export interface TestDatabase {
  backend: Backend;
  url: string;
  /** Where the test's files go (the SQLite file, DATA_DIR). */
  folder: TempFolder;
  /** How many rows a table holds, read over a connection of its own. */
  count(table: string): Promise<number>;
  /** Removes the database and the folder. */
  remove(): Promise<void>;
}

/**
 * A fresh database on `backend`, in `folder` (made when not given). Given a folder that already holds one
 * (as a test restarting the bot does), the same database is opened again.
 */
export async function createTestDatabase(
  backend: Backend = backendUnderTest(),
  folder: TempFolder = makeTempFolder(),
): Promise<TestDatabase> {
  if (backend === 'sqlite') {
    const file = folder.file();
    return {
      backend,
      url: file,
      folder,
      count: async (table) => {
        const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
        try {
          return (db.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
        } finally {
          db.close();
        }
      },
      remove: async () => folder.remove(),
    };
  }
  if (POSTGRES_URL === undefined) throw new Error('TEST_DATABASE_URL is not set');
  // The schema's name is kept in the folder, so a restart in the same folder finds the same database.
  const marker = path.join(folder.dir, 'postgres-schema');
  let schema = fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8').trim() : '';
  if (schema === '') {
    schema = `test_${randomBytes(8).toString('hex')}`;
    await withClient((c) => c.query(`create schema ${schema}`));
    fs.writeFileSync(marker, schema);
  }
  return {
    backend,
    url: inSchema(POSTGRES_URL, schema),
    folder,
    count: (table) =>
      withClient(async (c) => {
        const { rows } = await c.query(`select count(*)::int as n from ${schema}."${table}"`);
        return (rows[0] as { n: number }).n;
      }),
    remove: async () => {
      await withClient((c) => c.query(`drop schema if exists ${schema} cascade`));
      folder.remove();
    },
  };
}

/** The URL with the connection's search_path set to `schema` (libpq's `options`, which `pg` reads too). */
export function inSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

async function withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
