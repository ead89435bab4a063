import { parseArgs } from 'node:util';
import { BACKUP_USAGE, backupCli } from './backup-command';
import { FORGET_TEAM_USAGE, forgetTeamCli } from './forget-team-command';
import { checkCommand, importCommand } from './import-command';
import { PUBLISH_USAGE, publishCli } from './publish-command';
import { renderCommand } from './render-command';

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
}

export const EXIT = { ok: 0, invalidInput: 1, usage: 2 } as const;

export const USAGE = `Usage: roundup render <meetup.json> [--template classic|modern|<file>] [--out <dir>]
       roundup render --check <post.md> [--template <file>]
       roundup import <site-dir> [--out <dir>]

render renders a meetup as a Jekyll roundup post.
  --template  classic (the default), modern, or a Liquid template file of your own
  --out       write _posts/<date>-<slug>.md and images/ under this folder
              (without it, the post is printed to standard output)
  --check     import one published post, render it again and say whether the page is the same

import reads every post under <site-dir>/_posts into a meetup JSON file (the format render reads),
proves each one by rendering it again, and learns the roster and the house style.
  --out       write <post>.json for each post, group.json, roster.json, style.json and report.md here
              (without it, the report is printed to standard output)

${PUBLISH_USAGE}
${BACKUP_USAGE}
${FORGET_TEAM_USAGE}`;

/** The offline `roundup` command. Returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(USAGE);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === 'import') return runImport(rest, io);
  if (command === 'publish') return publishCli(rest, io);
  if (command === 'backup') return backupCli(rest, io);
  if (command === 'forget-team') return forgetTeamCli(rest, io);
  if (command !== 'render') {
    io.stderr.write(`roundup: unknown command "${command}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  let parsed: ReturnType<typeof parseRenderArgs>;
  try {
    parsed = parseRenderArgs(rest);
  } catch (err) {
    io.stderr.write(`roundup render: ${(err as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (parsed.values.help) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) {
    io.stderr.write(
      `roundup render: give exactly one ${parsed.values.check ? 'post (.md)' : 'meetup JSON file'}\n\n${USAGE}`,
    );
    return EXIT.usage;
  }
  if (parsed.values.check) {
    if (parsed.values.out !== undefined) {
      io.stderr.write(`roundup render: --check writes nothing, so it takes no --out\n\n${USAGE}`);
      return EXIT.usage;
    }
    return checkCommand({ file, template: parsed.values.template }, io);
  }
  return renderCommand({ file, template: parsed.values.template, out: parsed.values.out }, io);
}

function parseRenderArgs(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      template: { type: 'string', short: 't' },
      out: { type: 'string', short: 'o' },
      check: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

async function runImport(args: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseImportArgs>;
  try {
    parsed = parseImportArgs(args);
  } catch (err) {
    io.stderr.write(`roundup import: ${(err as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (parsed.values.help) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  const [site, ...extra] = parsed.positionals;
  if (site === undefined || extra.length > 0) {
    io.stderr.write(`roundup import: give exactly one site folder\n\n${USAGE}`);
    return EXIT.usage;
  }
  return importCommand({ site, out: parsed.values.out }, io);
}

function parseImportArgs(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
  });
}
