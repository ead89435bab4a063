import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { TeamDeps } from '../../../services/deps';
import { upcomingReminders } from '../../../services/reminders';
import { type Actor, actorOf, refusalText } from '../../middleware/actor';
import { buildRemindersList } from '../../views/reminder-message';
import type { OpenForm } from '../open-forms';
import { draftAndTell, tell } from '../shared';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * An App Home button that opens a form, as its subcommand does: acknowledged, then the form opened from the
 * click's trigger. What stops it (no meetup yet) goes to the clicker's DM with the bot, since a Home has no
 * reply of its own. Who may click is the middleware's check (organisers only), or `setup`'s own.
 */
export function homeFormButton(open: OpenForm, o: { who?: 'organiser' | 'setup' } = {}) {
  return (deps: TeamDeps) =>
    async (args: Args): Promise<void> => {
      await args.ack();
      const actor = actorOf(args.context);
      if (o.who === 'setup' && !actor.maySetUp) return tell(deps, actor.userId, refusalText(actor));
      const reason = await open(deps, actor, args.body.trigger_id);
      if (reason) await tell(deps, actor.userId, `:information_source: ${reason}`);
    };
}

/**
 * Post (or refresh) the current meetup's draft in the organisers' channel, as `/roundup draft` does, and
 * tell the actor how it went (by `respond` when there is one, else in their DM).
 */
export async function draftForActor(
  deps: TeamDeps,
  actor: Actor,
  respond?: Parameters<typeof tell>[3],
): Promise<void> {
  const meetup = await deps.store.currentMeetup(actor.teamId);
  if (!meetup)
    return tell(deps, actor.userId, 'There is no meetup yet: start one with `/roundup new`.', respond);
  await draftAndTell(deps, actor, meetup.id, respond);
}

/** The Home's Draft button: the draft posted or refreshed, as `/roundup draft` does. */
export function homeDraftClicked(deps: TeamDeps) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    await draftForActor(deps, actorOf(args.context));
  };
}

/**
 * The Home's Reminders button: the list `/roundup remind` gives, with its cancel and restore buttons, in the
 * clicker's DM with the bot (a message, so the buttons redraw it as they do the command's).
 */
export function homeRemindersClicked(deps: TeamDeps) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    const actor = actorOf(args.context);
    const { text, blocks } = buildRemindersList(
      await upcomingReminders(deps, actor.teamId),
      actor.group?.timeZone ?? 'UTC',
    );
    try {
      await deps.client.chat.postMessage({ channel: actor.userId, text, blocks });
    } catch (err) {
      deps.logger.warn(`reminders list not sent: ${String((err as Error).message ?? err)}`);
    }
  };
}
