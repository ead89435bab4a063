import type { TeamDeps } from '../../../services/deps';
import { actorOf, refusalText } from '../../middleware/actor';
import { buildHelpMessage, type SubcommandHelp } from '../../views/help';
import { buildNotice } from '../../views/status-message';
import type { CommandArgs, Subcommand } from '../shared';
import { ask } from './ask';
import { draft } from './draft';
import { exportMeetup } from './export';
import { importSiteCommand } from './import';
import { editMeetup, newMeetup } from './meetup';
import { next } from './next';
import { photo } from './photo';
import { remind } from './remind';
import { setup } from './setup';
import { site } from './site';
import { status } from './status';
import { talk } from './talk';

const help: SubcommandHelp = { name: 'help', usage: 'help', description: 'this list' };

/** Every subcommand, in the order help lists them; help is built from this list, so it never offers one that isn't there. */
export const SUBCOMMANDS: readonly Subcommand[] = [
  setup,
  newMeetup,
  editMeetup,
  talk,
  photo,
  ask,
  next,
  remind,
  status,
  draft,
  site,
  importSiteCommand,
  exportMeetup,
];

export const ROUNDUP_COMMAND = '/roundup';

/** `/roundup [subcommand] [args]`: checked for permission, then run; help for anything it does not know. */
export function roundupCommand(deps: TeamDeps) {
  return async (args: CommandArgs): Promise<void> => {
    const [first = 'help', ...rest] = args.command.text.trim().split(/\s+/).filter(Boolean);
    const name = first.toLowerCase();
    const subcommand = SUBCOMMANDS.find((s) => s.name === name);
    if (!subcommand) {
      await args.ack(buildHelpMessage([...SUBCOMMANDS, help], name === 'help' ? undefined : first));
      return;
    }
    const actor = actorOf(args.context);
    // Before the first setup nobody is an organiser, so this must come before the permission check.
    if (subcommand.who === 'organiser' && !actor.group) {
      await args.ack(buildNotice('roundup is not set up here yet: start with `/roundup setup`.'));
      return;
    }
    const allowed =
      subcommand.who === 'anyone' || actor.isOrganiser || (subcommand.who === 'setup' && actor.maySetUp);
    if (!allowed) {
      await args.ack(buildNotice(refusalText(actor)));
      return;
    }
    try {
      if (subcommand.acksFirst) {
        await args.ack();
        const later: CommandArgs['ack'] = async (message) => {
          if (message) await args.respond(typeof message === 'string' ? { text: message } : message);
        };
        await subcommand.run({ ...args, ack: later, actor, deps, rest });
        return;
      }
      await subcommand.run({ ...args, actor, deps, rest });
    } catch (err) {
      deps.logger.error(`/roundup ${name} failed: ${(err as Error).stack ?? String(err)}`);
      // If the acknowledgement already went, this second one is ignored and the response URL carries it.
      const text =
        ':warning: Something went wrong on our side; nothing you entered is lost. Please try again.';
      await args.ack(buildNotice(text)).catch(() => args.respond(buildNotice(text)));
    }
  };
}
