import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildHelpMessage, type SubcommandHelp } from '../../views/help';

/** The subcommands `/roundup` answers today; help is built from this list, so it never offers one that isn't there. */
export const SUBCOMMANDS: readonly SubcommandHelp[] = [
  { name: 'help', usage: 'help', description: 'this list' },
];

export const ROUNDUP_COMMAND = '/roundup';

/** `/roundup [subcommand] [args]`: acknowledged at once, with the reply in the acknowledgement where it can be. */
export async function roundupCommand({
  command,
  ack,
}: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
  const [name = 'help'] = command.text.trim().split(/\s+/).filter(Boolean);
  const known = SUBCOMMANDS.some((s) => s.name === name.toLowerCase());
  await ack(buildHelpMessage(SUBCOMMANDS, known ? undefined : name));
}
