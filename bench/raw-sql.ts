import BetterSqlite3 from 'better-sqlite3';
import { Client } from 'pg';

/**
 * Plain SQL on either backend, for arranging rows in bulk faster than the store's API would (the tick's
 * 100,000 reminders). Statements are written with `?` placeholders; on PostgreSQL they become `$1`, `$2`, ...
 */
export interface RawSql {
  run(sql: string, params?: readonly unknown[]): Promise<void>;
  close(): Promise<void>;
}

export function sqliteRaw(file: string): RawSql {
  const db = new BetterSqlite3(file);
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    run: async (sql, params = []) => {
      if (params.length === 0 && !/^\s*(insert|update|delete|select)/i.test(sql)) {
        db.exec(sql);
        return;
      }
      let statement = statements.get(sql);
      if (!statement) {
        statement = db.prepare(sql);
        statements.set(sql, statement);
      }
      statement.run(...params);
    },
    close: async () => void db.close(),
  };
}

export async function postgresRaw(url: string): Promise<RawSql> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    run: async (sql, params = []) => {
      let n = 0;
      await client.query(
        sql.replace(/\?/g, () => `$${++n}`),
        [...params],
      );
    },
    close: () => client.end(),
  };
}

/** Rows inserted a few hundred to a statement: one round trip per batch rather than per row. */
export async function insertRows(
  raw: RawSql,
  head: string,
  tuple: string,
  rows: ReadonlyArray<readonly unknown[]>,
  batch = 500,
): Promise<void> {
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch);
    await raw.run(`${head} values ${chunk.map(() => tuple).join(', ')}`, chunk.flat());
  }
}
