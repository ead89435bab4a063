import { parseArgs } from 'node:util';
import { renderCommand } from './render-command';

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
}

export const EXIT = { ok: 0, invalidInput: 1, usage: 2 } as const;

export const USAGE = `Usage: roundup render <meetup.json> [--template classic|modern|<file>] [--out <dir>]

Renders a meetup as a Jekyll roundup post.
  --template  classic (the default), modern, or a Liquid template file of your own
  --out       write _posts/<date>-<slug>.md and images/ under this folder
              (without it, the post is printed to standard output)
`;

/** The offline `roundup` command. Returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(USAGE);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
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
    io.stderr.write(`roundup render: give exactly one meetup JSON file\n\n${USAGE}`);
    return EXIT.usage;
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
      help: { type: 'boolean', short: 'h' },
    },
  });
}
