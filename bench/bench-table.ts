import BetterSqlite3 from 'better-sqlite3';

/** One table and one prepared insert, with the pragmas roundup's store uses. */
export function openBenchTable(file: string): { insert(key: string): void } {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'create table if not exists requests (id integer primary key, key text not null, at text not null)',
  );
  const insert = db.prepare('insert into requests (key, at) values (?, ?)');
  return { insert: (key) => void insert.run(key, new Date().toISOString()) };
}
