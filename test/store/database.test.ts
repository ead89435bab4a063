import fs from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { databasePath, migrateToLatest, openDatabase } from '../../src/store/database';
import type { Tables } from '../../src/store/tables';
import { makeTempFolder, type TempFolder } from '../support/temp-db';

let temp: TempFolder;
let db: Kysely<Tables> | undefined;

beforeEach(() => {
  temp = makeTempFolder();
});

afterEach(async () => {
  await db?.destroy();
  db = undefined;
  temp.remove();
});

async function pragma(name: string): Promise<unknown> {
  if (db === undefined) throw new Error('no database open');
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.raw(`pragma_${name}`)}`.execute(db);
  return Object.values(rows[0] ?? {})[0];
}

async function tableNames(): Promise<string[]> {
  if (db === undefined) throw new Error('no database open');
  const { rows } = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name
  `.execute(db);
  return rows.map((r) => r.name);
}

describe('databasePath', () => {
  it.each([
    ['./data/roundup.db', './data/roundup.db'],
    ['  ./data/roundup.db  ', './data/roundup.db'],
    ['sqlite:./data/roundup.db', './data/roundup.db'],
    ['file:data/roundup.db', 'data/roundup.db'],
    ['SQLITE:/var/lib/roundup.db', '/var/lib/roundup.db'],
    ['sqlite:///var/lib/roundup.db', '/var/lib/roundup.db'],
    ['file:///var/lib/my%20roundup.db', '/var/lib/my roundup.db'],
    ['file://localhost/var/lib/roundup.db', '/var/lib/roundup.db'],
    [':memory:', ':memory:'],
  ])('reads %p as %p', (url, expected) => {
    expect(databasePath(url)).toBe(expected);
  });

  it('refuses a URL with a host, without repeating the URL', () => {
    expect(() => databasePath('sqlite://admin:hunter2@db.example.com/roundup')).toThrow(/names a host/);
    expect(() => databasePath('sqlite://admin:hunter2@db.example.com/roundup')).not.toThrow(/hunter2/);
  });

  it('refuses URL options it would otherwise ignore', () => {
    expect(() => databasePath('file:./roundup.db?mode=ro')).toThrow(/options/);
  });

  it('refuses an empty URL', () => {
    expect(() => databasePath('sqlite:')).toThrow(/empty/);
    expect(() => databasePath('   ')).toThrow(/empty/);
  });
});

describe('openDatabase', () => {
  it('creates the missing parent folders and the file', async () => {
    const file = path.join(temp.dir, 'nested', 'deeper', 'roundup.db');
    db = openDatabase(`sqlite:${file}`);
    await sql`select 1`.execute(db);
    expect(fs.existsSync(file)).toBe(true);
  });

  it('turns on WAL, foreign keys, a busy timeout and synchronous NORMAL', async () => {
    db = openDatabase(temp.file());
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(2000);
    expect(await pragma('synchronous')).toBe(1); // NORMAL
  });

  it('names the path when the folder cannot be created', () => {
    const blocker = temp.file('not-a-folder');
    fs.writeFileSync(blocker, 'a file where a folder should be');
    const file = path.join(blocker, 'roundup.db');
    expect(() => openDatabase(`file:${file}`)).toThrow(`Could not open the database at ${file}`);
  });

  it('names the path when the file is not a database', () => {
    const file = temp.file('garbage.db');
    fs.writeFileSync(file, 'this is not an SQLite database, it is just text long enough to have a header');
    expect(() => openDatabase(file)).toThrow(`Could not open the database at ${file}`);
  });
});

describe('migrateToLatest', () => {
  it('creates the schema on an empty file and records the migration', async () => {
    db = openDatabase(temp.file());
    expect(await tableNames()).toEqual([]);

    expect(await migrateToLatest(db)).toEqual([
      '001-initial',
      '002-slack-work',
      '003-reminders',
      '004-reminder-claims',
      '005-site-posts',
      '006-publishing',
    ]);

    expect(await tableNames()).toEqual(
      expect.arrayContaining([
        'groups',
        'sponsors',
        'meetups',
        'talks',
        'photos',
        'asks',
        'drafts',
        'deliveries',
        'publications',
        'kysely_migration',
      ]),
    );
    const recorded = await db
      .withTables<{ kysely_migration: { name: string } }>()
      .selectFrom('kysely_migration')
      .select('name')
      .execute();
    expect(recorded.map((r) => r.name)).toEqual([
      '001-initial',
      '002-slack-work',
      '003-reminders',
      '004-reminder-claims',
      '005-site-posts',
      '006-publishing',
    ]);
    const { rows: foreignKeys } = await sql<{ table: string; on_delete: string }>`
      select "table", on_delete from pragma_foreign_key_list('photos')
    `.execute(db);
    expect(foreignKeys).toEqual(
      expect.arrayContaining([
        { table: 'meetups', on_delete: 'CASCADE' },
        { table: 'talks', on_delete: 'CASCADE' },
      ]),
    );
  });

  it('does nothing when run again, also after reopening the file', async () => {
    db = openDatabase(temp.file());
    await migrateToLatest(db);
    const before = await tableNames();

    expect(await migrateToLatest(db)).toEqual([]);
    await db.destroy();
    db = openDatabase(temp.file());
    expect(await migrateToLatest(db)).toEqual([]);
    expect(await tableNames()).toEqual(before);
  });

  it('gives every table a team_id that may not be null', async () => {
    db = openDatabase(temp.file());
    await migrateToLatest(db);
    for (const table of ['groups', 'sponsors', 'meetups', 'talks', 'photos']) {
      const { rows } = await sql<{ name: string; notnull: number }>`
        select name, "notnull" from pragma_table_info(${table})
      `.execute(db);
      expect({ table, column: rows.find((r) => r.name === 'team_id') }).toEqual({
        table,
        column: { name: 'team_id', notnull: 1 },
      });
    }
  });
});
