import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { databaseUrlOf } from '../config';
import { backendOf, databasePath } from '../store/database';
import { type CliIo, EXIT } from './run-cli';

export const BACKUP_USAGE = `Usage: roundup backup <file> [--database <url-or-path>] [--force]

Copies the bot's SQLite database to <file>, consistent even while the bot is running and writing (SQLite's
online backup). The photos are in the copy: the database holds them (DATA_DIR/photos is only a cache).
  --database  the database's URL or file path (default: DATABASE_URL, else ./data/roundup.db)
  --force     replace <file> if it exists
To restore, stop the bot, put the file back in place of the database, and start it again.
For PostgreSQL, use pg_dump instead.
`;

export interface BackupOptions {
  /** Where the copy goes (relative to `io.cwd`). */
  file: string;
  /** The database's URL or path (see databaseUrlOf). */
  database: string;
  force?: boolean;
}

/** `roundup backup`: the arguments read, then `backupCommand`. `env` gives DATABASE_URL. */
export async function backupCli(
  args: readonly string[],
  io: CliIo,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (err) {
    io.stderr.write(`roundup backup: ${(err as Error).message}\n\n${BACKUP_USAGE}`);
    return EXIT.usage;
  }
  if (parsed.values.help) {
    io.stdout.write(BACKUP_USAGE);
    return EXIT.ok;
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) {
    io.stderr.write(`roundup backup: give exactly one file to write the backup to\n\n${BACKUP_USAGE}`);
    return EXIT.usage;
  }
  const database = databaseUrlOf(env, parsed.values.database);
  return backupCommand({ file, database, force: parsed.values.force }, io);
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      database: { type: 'string', short: 'd' },
      force: { type: 'boolean', short: 'f' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/**
 * A consistent copy of the SQLite database, taken with SQLite's backup API while the bot may keep writing
 * (under WAL a reader blocks no writer). The copy is written under a temporary
 * name in the destination's folder, checked, and only then renamed, so a file with the final name is always
 * a whole backup.
 */
export async function backupCommand(options: BackupOptions, io: CliIo): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`roundup backup: ${message}\n`);
    return EXIT.invalidInput;
  };
  const url = options.database;
  // The URL is never repeated: a PostgreSQL URL holds the password.
  if (backendOf(url) === 'postgres')
    return fail(
      'the database is PostgreSQL; this command copies SQLite files only. Back PostgreSQL up with pg_dump (pg_dump --format=custom --file=roundup.dump "$DATABASE_URL")',
    );
  let source: string;
  try {
    source = databasePath(url);
  } catch (err) {
    return fail((err as Error).message);
  }
  if (source === ':memory:') return fail('an in-memory database (:memory:) has nothing to back up');
  source = path.resolve(io.cwd, source);
  const dest = path.resolve(io.cwd, options.file);
  const folder = path.dirname(dest);

  if (!isFile(source))
    return fail(`there is no database at ${source} (give its path with --database, or set DATABASE_URL)`);
  if (!isFolder(folder)) return fail(`the folder ${folder} does not exist; create it first`);
  if (fs.existsSync(dest)) {
    if (sameFile(source, dest)) return fail(`${dest} is the database itself; give another file`);
    if (!options.force) return fail(`${dest} exists already; give another name, or --force to replace it`);
    if (!isFile(dest)) return fail(`${dest} is not a file; give a file name`);
  }

  const temp = path.join(folder, `.${path.basename(dest)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    // Made first, empty and readable by its owner only: the copy holds every workspace's data (and tokens).
    fs.closeSync(fs.openSync(temp, 'wx', 0o600));
    await copyDatabase(source, temp);
    // Re-checked now, in case something else made the file while the copy ran.
    if (!options.force && fs.existsSync(dest))
      return fail(`${dest} was created while the backup ran; nothing was replaced`);
    fs.renameSync(temp, dest);
    syncFolder(folder);
  } catch (err) {
    return fail(`the backup failed: ${(err as Error).message}`);
  } finally {
    removeTemp(temp);
  }
  const { size } = fs.statSync(dest);
  io.stdout.write(`Backed up ${source} to ${dest} (${formatSize(size)}).\n`);
  return EXIT.ok;
}

async function copyDatabase(source: string, temp: string): Promise<void> {
  let db: BetterSqlite3.Database;
  try {
    // Not read-only, though nothing is written: a read-only connection would leave the -wal and -shm files
    // behind, owned by whoever ran the backup, where the bot (another user) may then be unable to write them.
    // Read-write, the last connection to close removes them, as the bot does.
    db = new BetterSqlite3(source, { fileMustExist: true });
  } catch (err) {
    throw new Error(`could not open the database: ${(err as Error).message}`, { cause: err });
  }
  try {
    // A checkpoint or recovery by the bot may hold the file for a moment.
    db.pragma('busy_timeout = 5000');
    // Reading the schema fails at once on a file that is no database, before anything is written.
    db.prepare('select count(*) from sqlite_schema').get();
    // After the first step, the rest in one step: one read snapshot, so a writer that commits between steps
    // does not make SQLite start the copy again (and again, under steady writes).
    await db.backup(temp, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  const copy = new BetterSqlite3(temp, { fileMustExist: true });
  try {
    // One self-contained file, which any SQLite opens even read-only; the bot turns WAL on again when it opens it.
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`the copy failed its check (${String(check)})`);
  } finally {
    copy.close();
  }
}

/** The temporary copy and the files SQLite may keep beside it; none left behind, whatever happened. */
function removeTemp(temp: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(`${temp}${suffix}`, { force: true });
}

/** So that the rename survives a power cut; not every filesystem can sync a folder, which is no failure. */
function syncFolder(folder: string): void {
  try {
    const fd = fs.openSync(folder, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Best effort.
  }
}

function isFile(file: string): boolean {
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

function isFolder(folder: string): boolean {
  return fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function sameFile(a: string, b: string): boolean {
  const sa = fs.statSync(a, { throwIfNoEntry: false });
  const sb = fs.statSync(b, { throwIfNoEntry: false });
  return sa !== undefined && sb !== undefined && sa.dev === sb.dev && sa.ino === sb.ino;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}, ${bytes} bytes`;
}
