import path from 'node:path';
import { parseArgs } from 'node:util';
import { databaseUrlOf, dataDirOf } from '../config';
import { forgetTeam } from '../services/installations';
import { backendOf, databasePath } from '../store/database';
import { openStore } from '../store/sql-store';
import { type CliIo, EXIT } from './run-cli';

export const FORGET_TEAM_USAGE = `Usage: roundup forget-team <team id> --yes [--database <url-or-path>] [--data-dir <dir>]

Deletes everything roundup holds of a Slack workspace: its installation, group, meetups, talks, photos,
reminders and drafts, in the database (SQLite or PostgreSQL), and this machine's copies of its photos and
the clone of its git site. An uninstall keeps a workspace's data; this is how an operator removes it.
  --yes       required: the deletion cannot be undone (make a backup first)
  --database  the database's URL or file path (default: DATABASE_URL, else ./data/roundup.db)
  --data-dir  where this machine's photo copies and site clones are (default: DATA_DIR, else as the bot)
`;

/** `roundup forget-team`: what to delete, read from the arguments and the environment, then deleted. */
export async function forgetTeamCli(
  args: readonly string[],
  io: CliIo,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (err) {
    io.stderr.write(`roundup forget-team: ${(err as Error).message}\n\n${FORGET_TEAM_USAGE}`);
    return EXIT.usage;
  }
  if (parsed.values.help) {
    io.stdout.write(FORGET_TEAM_USAGE);
    return EXIT.ok;
  }
  const [teamId, ...extra] = parsed.positionals;
  if (teamId === undefined || extra.length > 0) {
    io.stderr.write(`roundup forget-team: give exactly one team id\n\n${FORGET_TEAM_USAGE}`);
    return EXIT.usage;
  }
  if (!/^[TE][A-Z0-9]{2,}$/.test(teamId)) {
    io.stderr.write(
      `roundup forget-team: "${teamId}" is not a Slack team id (T followed by capitals and digits, as in T0123ABCD)\n`,
    );
    return EXIT.invalidInput;
  }
  if (!parsed.values.yes) {
    io.stderr.write(
      `roundup forget-team: this deletes everything of ${teamId} and cannot be undone; add --yes to go ahead\n`,
    );
    return EXIT.usage;
  }
  const database = databaseUrlOf(env, parsed.values.database);
  const postgres = backendOf(database) === 'postgres';
  let dataDir: string;
  try {
    dataDir = dataDirOf(env, database, parsed.values['data-dir']);
  } catch (err) {
    io.stderr.write(`roundup forget-team: --database: ${(err as Error).message}\n`);
    return EXIT.invalidInput;
  }
  dataDir = path.resolve(io.cwd, dataDir);
  const url = postgres ? database : path.resolve(io.cwd, databasePath(database));
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore(url);
  } catch (err) {
    // The URL is never repeated: it may hold a password.
    io.stderr.write(`roundup forget-team: could not open the database: ${(err as Error).message}\n`);
    return EXIT.invalidInput;
  }
  try {
    const known = (await store.getInstallation(teamId)) ?? (await store.getGroup(teamId));
    if (!known && (await store.listMeetups(teamId)).length === 0) {
      io.stderr.write(`roundup forget-team: the database holds nothing of ${teamId}\n`);
      return EXIT.invalidInput;
    }
    await forgetTeam(
      { store, photosDir: path.join(dataDir, 'photos'), sitesDir: path.join(dataDir, 'sites') },
      teamId,
    );
    io.stdout.write(`Forgot ${teamId}: its data is deleted from the database and from ${dataDir}.\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      yes: { type: 'boolean' },
      database: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
