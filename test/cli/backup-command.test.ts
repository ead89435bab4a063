import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { runCli } from '../../src/cli/run-cli';
import { openStore } from '../../src/store/sql-store';
import { cloudNativeLondon, fullGroup, meetupOn } from '../store/fixtures';
import { REPO } from '../support/fixtures';
import { makeTempFolder, type TempFolder } from '../support/temp-db';

const TEAM = 'T0TEAMA';

/** Runs the real command in-process with captured output. */
async function roundup(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    cwd,
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

function query<T>(file: string, sql: string): T[] {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** A database of `rows` rows of 1 KB each in WAL mode, as the bot keeps it. */
function makeDatabase(file: string, rows: number): void {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.exec('create table ticks (id integer primary key, body blob not null)');
  const insert = db.prepare('insert into ticks (body) values (?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(randomBytes(1024));
  })();
  db.close();
}

/**
 * Another process writing to the database as the bot would: one row per transaction, as fast as it can, until
 * killed. Resolves once it has committed its first row.
 */
async function startWriter(file: string): Promise<ChildProcess> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(file)});
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    const insert = db.prepare('insert into ticks (body) values (randomblob(1024))');
    let first = true;
    for (;;) {
      insert.run();
      if (first) { process.stdout.write('writing\\n'); first = false; }
    }`;
  const child = spawn(process.execPath, ['-e', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the writer ended (${code})`)));
    child.stdout?.once('data', () => resolve());
  });
  return child;
}

function leftovers(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.includes('.partial'));
}

describe('roundup backup', () => {
  let folder: TempFolder;
  let source: string;
  let out: string;
  beforeEach(() => {
    folder = makeTempFolder();
    source = folder.file('roundup.db');
    out = path.join(folder.dir, 'backups');
    fs.mkdirSync(out);
  });
  afterEach(() => folder.remove());

  it('copies the database while another process keeps writing: the copy is whole and holds every row committed before it began', async () => {
    makeDatabase(source, 20_000);
    const writer = await startWriter(source);
    try {
      const committedBefore = query<{ n: number }>(source, 'select count(*) as n from ticks')[0]!.n;

      const result = await roundup(['backup', path.join(out, 'copy.db'), '--database', source], folder.dir);

      const committedAfter = query<{ n: number }>(source, 'select count(*) as n from ticks')[0]!.n;
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(committedAfter).toBeGreaterThan(committedBefore);
      const copy = path.join(out, 'copy.db');
      expect(query<{ integrity_check: string }>(copy, 'pragma integrity_check')).toStrictEqual([
        { integrity_check: 'ok' },
      ]);
      const [rows] = query<{ n: number; last: number }>(
        copy,
        'select count(*) as n, max(id) as last from ticks',
      );
      // Every committed row up to a point and none after it: a snapshot, not a mixture.
      expect(rows!.n).toBeGreaterThanOrEqual(committedBefore);
      expect(rows!.last).toBe(rows!.n);
      expect(rows!.n).toBeLessThanOrEqual(committedAfter);
    } finally {
      writer.kill();
    }
    expect(leftovers(out)).toStrictEqual([]);
  });

  it('gives a copy the store opens with the same groups, meetups and photos', async () => {
    const store = await openStore(source);
    let meetupIds: string[];
    try {
      await store.saveGroup(TEAM, fullGroup());
      const november = await store.createMeetup(TEAM, cloudNativeLondon().meetup);
      const next = await store.createMeetup(TEAM, meetupOn('2019-01-16', 'planned', ['Kubernetes', 'Envoy']));
      meetupIds = [november.id, next.id];
      await store.putPhotoFile(TEAM, {
        meetupId: november.id,
        name: 'talk-1-3f2a9c.jpg',
        mimeType: 'image/jpeg',
        content: randomBytes(200 * 1024),
      });

      // Taken while the bot's store has the database open.
      const result = await roundup(['backup', 'backups/copy.db', '--database', source], folder.dir);
      expect(result.code).toBe(0);
      const copyPath = path.join(out, 'copy.db');
      const { size, mode } = fs.statSync(copyPath);
      // Readable by its owner only: it holds the workspace's data.
      expect(mode & 0o777).toBe(0o600);
      expect(result.stdout).toBe(
        `Backed up ${source} to ${copyPath} (${(size / 1024).toFixed(1)} KB, ${size} bytes).\n`,
      );

      const copy = await openStore(copyPath);
      try {
        expect(await copy.getGroup(TEAM)).toStrictEqual(await store.getGroup(TEAM));
        expect(await copy.listMeetups(TEAM)).toStrictEqual(await store.listMeetups(TEAM));
        for (const id of meetupIds)
          expect(await copy.getMeetup(TEAM, id)).toStrictEqual(await store.getMeetup(TEAM, id));
        expect(await copy.getPhotoFile(TEAM, november.id, 'talk-1-3f2a9c.jpg')).toStrictEqual(
          await store.getPhotoFile(TEAM, november.id, 'talk-1-3f2a9c.jpg'),
        );
      } finally {
        await copy.close();
      }
    } finally {
      await store.close();
    }
  });

  it('takes the database from DATABASE_URL when --database is not given', async () => {
    const store = await openStore(`sqlite:${source}`);
    await store.saveGroup(TEAM, fullGroup());
    await store.close();
    const before = process.env.DATABASE_URL;
    process.env.DATABASE_URL = `sqlite:${source}`;
    try {
      const result = await roundup(['backup', 'backups/copy.db'], folder.dir);
      expect(result).toMatchObject({ code: 0, stderr: '' });
    } finally {
      if (before === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = before;
    }
    const copy = await openStore(path.join(out, 'copy.db'));
    expect((await copy.getGroup(TEAM))?.name).toBe('Cloud Native London');
    await copy.close();
  });

  it('defaults to ./data/roundup.db, as the bot does', async () => {
    const before = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      fs.mkdirSync(path.join(folder.dir, 'data'));
      makeDatabase(path.join(folder.dir, 'data', 'roundup.db'), 10);
      const result = await roundup(['backup', 'backups/copy.db'], folder.dir);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(query(path.join(out, 'copy.db'), 'select id from ticks')).toHaveLength(10);
      // Nothing left beside the database (a -wal or -shm file owned by whoever ran the backup).
      expect(fs.readdirSync(path.join(folder.dir, 'data'))).toStrictEqual(['roundup.db']);
      expect(fs.readdirSync(out)).toStrictEqual(['copy.db']);
    } finally {
      if (before !== undefined) process.env.DATABASE_URL = before;
    }
  });

  it('replaces an existing file with --force', async () => {
    makeDatabase(source, 5);
    fs.writeFileSync(path.join(out, 'copy.db'), 'last week');
    const result = await roundup(['backup', 'backups/copy.db', '--force', '--database', source], folder.dir);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(query(path.join(out, 'copy.db'), 'select id from ticks')).toHaveLength(5);
    expect(leftovers(out)).toStrictEqual([]);
  });

  describe('refuses, saying why, and writes nothing', () => {
    it('a PostgreSQL database, pointing to pg_dump and never printing the URL', async () => {
      const url = 'postgres://roundup:s3cret-pass@db.internal:5432/roundup';
      const result = await roundup(['backup', 'backups/copy.db', '--database', url], folder.dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^roundup backup: the database is PostgreSQL; .*pg_dump/);
      expect(result.stdout + result.stderr).not.toContain('s3cret-pass');
      expect(result.stdout + result.stderr).not.toContain('db.internal');
      expect(fs.readdirSync(out)).toStrictEqual([]);
    });

    it('a database file that does not exist', async () => {
      const result = await roundup(['backup', 'backups/copy.db', '--database', source], folder.dir);
      expect(result).toStrictEqual({
        code: 1,
        stdout: '',
        stderr: `roundup backup: there is no database at ${source} (give its path with --database, or set DATABASE_URL)\n`,
      });
      expect(fs.existsSync(source)).toBe(false);
      expect(fs.readdirSync(out)).toStrictEqual([]);
    });

    it('a destination that exists already, leaving it as it was', async () => {
      makeDatabase(source, 5);
      const dest = path.join(out, 'copy.db');
      fs.writeFileSync(dest, 'last week');
      const result = await roundup(['backup', dest, '--database', source], folder.dir);
      expect(result).toStrictEqual({
        code: 1,
        stdout: '',
        stderr: `roundup backup: ${dest} exists already; give another name, or --force to replace it\n`,
      });
      expect(fs.readFileSync(dest, 'utf8')).toBe('last week');
      expect(fs.readdirSync(out)).toStrictEqual(['copy.db']);
    });

    it('the database itself as the destination, even with --force', async () => {
      makeDatabase(source, 5);
      const result = await roundup(['backup', source, '--force', '--database', source], folder.dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`roundup backup: ${source} is the database itself; give another file\n`);
      expect(query(source, 'select id from ticks')).toHaveLength(5);
    });

    it('a destination folder that does not exist', async () => {
      makeDatabase(source, 5);
      const missing = path.join(folder.dir, 'nowhere');
      const result = await roundup(
        ['backup', path.join(missing, 'copy.db'), '--database', source],
        folder.dir,
      );
      expect(result).toStrictEqual({
        code: 1,
        stdout: '',
        stderr: `roundup backup: the folder ${missing} does not exist; create it first\n`,
      });
      expect(fs.existsSync(missing)).toBe(false);
    });

    it('a file that is no SQLite database', async () => {
      fs.writeFileSync(source, 'not a database, just text '.repeat(200));
      const result = await roundup(['backup', 'backups/copy.db', '--database', source], folder.dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^roundup backup: the backup failed: .*not a database/);
      expect(fs.readdirSync(out)).toStrictEqual([]);
    });

    it('a copy that fails its check, removing the partial file', async () => {
      makeDatabase(source, 2000);
      // Damage a page in the middle of the table (not the header): SQLite copies it, and the check finds it.
      const fd = fs.openSync(source, 'r+');
      fs.writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, 4096 * 200);
      fs.closeSync(fd);
      const result = await roundup(['backup', 'backups/copy.db', '--database', source], folder.dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^roundup backup: the backup failed: the copy failed its check/);
      expect(fs.readdirSync(out)).toStrictEqual([]);
    });

    it('no file given', async () => {
      const result = await roundup(['backup'], folder.dir);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /^roundup backup: give exactly one file to write the backup to\n\nUsage: /,
      );
    });
  });
});
