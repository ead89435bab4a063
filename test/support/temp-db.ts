import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

/** A fresh folder for a test's database files, removed by `remove`. */
export interface TempFolder {
  dir: string;
  /** A path inside the folder. */
  file(name?: string): string;
  remove(): void;
}

export function makeTempFolder(): TempFolder {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roundup-test-'));
  return {
    dir,
    file: (name = 'roundup.db') => path.join(dir, name),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** How many rows a table of a database file holds, read over a separate connection. */
export function countRows(file: string, table: string): number {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare(`select count(*) as n from "${table}"`).get() as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}
