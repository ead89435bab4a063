import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * The PostgreSQL server the bench runs on, if any: BENCH_DATABASE_URL, else TEST_DATABASE_URL. Each part
 * works in a schema of its own (the connection's search_path, as the tests do), dropped when it is done, so
 * the bench never touches the rows of the database it is given.
 */
export const POSTGRES_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;

export const POSTGRES_SKIPPED =
  'The PostgreSQL figures were not measured: neither BENCH_DATABASE_URL nor TEST_DATABASE_URL was set. `BENCH_DATABASE_URL=postgres://user@host:port/database npm run bench` measures them too (each part in a schema of its own, dropped afterwards).';

/** The URL with the connection's search_path set to `schema` (libpq's `options`, which `pg` reads too). */
export function inSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface Schema {
  /** DATABASE_URL for roundup: the server's URL in this schema. */
  url: string;
  drop(): Promise<void>;
}

export async function freshSchema(part: string): Promise<Schema> {
  if (POSTGRES_URL === undefined) throw new Error('no PostgreSQL: set BENCH_DATABASE_URL');
  const schema = `bench_${part}_${randomBytes(4).toString('hex')}`;
  await withClient(POSTGRES_URL, (c) => c.query(`create schema ${schema}`));
  return {
    url: inSchema(POSTGRES_URL, schema),
    drop: async () => {
      await withClient(POSTGRES_URL!, (c) => c.query(`drop schema if exists ${schema} cascade`));
    },
  };
}

/** The server as the results name it: its version, and where it runs (never the URL, which may hold a password). */
export async function describeServer(): Promise<string> {
  if (POSTGRES_URL === undefined) return '';
  const version = await withClient(POSTGRES_URL, async (c) => {
    const { rows } = await c.query('show server_version');
    return String((rows[0] as { server_version: string }).server_version).split(' ')[0];
  });
  const host = new URL(POSTGRES_URL).hostname;
  const local = ['127.0.0.1', 'localhost', '::1', '[::1]', ''].includes(host) || host.startsWith('/');
  return `PostgreSQL ${version} ${local ? 'on this machine' : `on ${host}`}`;
}
