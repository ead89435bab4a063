import type { KnownBlock } from '@slack/types';
import { escapeMrkdwn } from '../../render/slack-preview';

export interface SubcommandHelp {
  name: string;
  usage: string;
  description: string;
}

/** The ephemeral reply to a bare `/roundup`, `/roundup help`, or a subcommand it does not know. */
export function buildHelpMessage(subcommands: readonly SubcommandHelp[], unknown?: string) {
  const lines = subcommands.map((s) => `• \`/roundup ${s.usage}\`: ${s.description}`);
  const blocks: KnownBlock[] = [];
  if (unknown !== undefined) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:thinking_face: \`${escapeMrkdwn(unknown.replace(/`/g, "'").slice(0, 100))}\` is not a roundup command. Here is what it can do:`,
      },
    });
  } else {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: "*roundup* writes your meetup's roundup post. Commands:" },
    });
  }
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } });
  const text =
    unknown !== undefined ? `"${unknown}" is not a roundup command. Try /roundup help.` : 'roundup commands';
  return { response_type: 'ephemeral' as const, text, blocks };
}
