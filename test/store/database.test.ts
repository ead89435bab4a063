import fs from 'node:fs';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import { databasePath, migrateToLatest, openDatabase, openPostgresDatabase } from '../../src/store/database';
import { migrations } from '../../src/store/migrations';
import { openStore, type SqlStore } from '../../src/store/sql-store';
import type { Tables } from '../../src/store/tables';
import { createTestDatabase, type TestDatabase } from '../support/backends';
import { describeOnPostgres } from '../support/each-backend';
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
      '007-photo-files',
      '008-installations',
      '009-talk-links',
      '010-delivery-answers',
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
        'photo_files',
        'talk_links',
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
      '007-photo-files',
      '008-installations',
      '009-talk-links',
      '010-delivery-answers',
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

describe('openStore on SQLite', () => {
  it('opens the file a sqlite: URL names and brings its schema up to date', async () => {
    // The store's contract suite opens plain paths; this keeps the URL form covered too.
    const store = await openStore(`sqlite:${temp.file()}`);
    try {
      expect(store.backend).toBe('sqlite');
      expect(await store.ping()).toBe(true);
    } finally {
      await store.close();
    }
    db = openDatabase(temp.file());
    expect(await tableNames()).toEqual(expect.arrayContaining(['photo_files', 'kysely_migration']));
  });
});

describeOnPostgres('opening a PostgreSQL database', () => {
  let pg: TestDatabase;
  const opened: SqlStore[] = [];

  beforeEach(async () => {
    pg = await createTestDatabase('postgres');
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await pg.remove();
  });

  /** The migrations recorded in the test's schema, by name, as often as each is recorded. */
  async function recorded(): Promise<string[]> {
    const kysely = openPostgresDatabase(pg.url, 1);
    try {
      const rows = await kysely
        .withTables<{ kysely_migration: { name: string } }>()
        .selectFrom('kysely_migration')
        .select('name')
        .orderBy('name')
        .execute();
      return rows.map((r) => r.name);
    } finally {
      await kysely.destroy();
    }
  }

  it('lets three replicas start at the same moment on a fresh schema, migrating it once', async () => {
    // Replicas start together after a deploy: one migrates, the others wait for its lock and find it done.
    opened.push(...(await Promise.all([openStore(pg.url), openStore(pg.url), openStore(pg.url)])));

    expect(await pg.count('kysely_migration')).toBe(Object.keys(migrations).length);
    expect(await recorded()).toEqual(Object.keys(migrations));
    for (const store of opened) expect(await store.ping()).toBe(true);
  });

  it('applies nothing when opened again', async () => {
    opened.push(await openStore(pg.url));
    opened.push(await openStore(pg.url));

    const kysely = openPostgresDatabase(pg.url, 1);
    try {
      expect(await migrateToLatest(kysely, 'postgres')).toEqual([]);
    } finally {
      await kysely.destroy();
    }
    expect(await recorded()).toEqual(Object.keys(migrations));
  });

  it('says PostgreSQL could not be opened, without repeating the password', async () => {
    // Port 1: nothing listens there, so the connection is refused at once.
    const opening = openStore('postgres://roundup:s3cretpw@127.0.0.1:1/nothing');
    const error = await opening.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/Could not open the PostgreSQL database/);
    expect((error as Error).message).not.toContain('s3cretpw');
  });
});
