import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { TeamDeps } from '../../../services/deps';
import {
  cancelReminder,
  restoreReminder,
  syncMeetupReminders,
  upcomingReminders,
} from '../../../services/reminders';
import { actorOf } from '../../middleware/actor';
import { buildCalledOff, buildCancellationNotice } from '../../views/cancel-next';
import { buildRemindersList } from '../../views/reminder-message';
import { explainSlackFailure, refreshOrganisersHome, tell } from '../shared';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** The RSVP button opens its link in the browser; Slack still sends the click, which needs only an ack. */
export async function rsvpClicked({ ack }: Args): Promise<void> {
  await ack();
}

/** `/roundup remind`'s Cancel: that reminder is cancelled (for good, unless restored) and the list redrawn. */
export function cancelReminderClicked(deps: TeamDeps) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    const actor = actorOf(args.context);
    const cancelled = await cancelReminder(deps, actor.teamId, args.action.value ?? '');
    await redrawList(deps, args);
    if (!cancelled)
      await tell(deps, actor.userId, 'That reminder had already been sent or cancelled.', args.respond);
    refreshOrganisersHome(deps, actor);
  };
}

/** `/roundup remind`'s Restore on a cancelled reminder: it is pending again. */
export function restoreReminderClicked(deps: TeamDeps) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    const actor = actorOf(args.context);
    const restored = await restoreReminder(deps, actor.teamId, args.action.value ?? '');
    await redrawList(deps, args);
    if (!restored) await tell(deps, actor.userId, 'That reminder is no longer cancelled.', args.respond);
    refreshOrganisersHome(deps, actor);
  };
}

async function redrawList(deps: TeamDeps, args: Args): Promise<void> {
  const actor = actorOf(args.context);
  const list = buildRemindersList(
    await upcomingReminders(deps, actor.teamId),
    actor.group?.timeZone ?? 'UTC',
  );
  await args.respond({ ...list, replace_original: true });
}

/** `/roundup next cancel`'s button: the next meetup is called off and its pending reminders cancelled. */
export function cancelNextMeetupClicked(deps: TeamDeps) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    const actor = actorOf(args.context);
    const meetupId = args.action.value ?? '';
    const result = await deps.store.transaction(async (store) => {
      const meetup = await store.getMeetup(actor.teamId, meetupId);
      if (!meetup?.next) return undefined;
      const before = await store.listReminders(actor.teamId, { meetupId, statuses: ['pending'] });
      const next = { ...meetup.next, cancelled: true };
      await store.updateMeetup(actor.teamId, meetupId, { next });
      await syncMeetupReminders({ ...deps, store }, actor.teamId, meetupId);
      const after = await store.listReminders(actor.teamId, { meetupId, statuses: ['pending'] });
      return { next, cancelled: before.length - after.length };
    });
    if (!result) return tell(deps, actor.userId, 'There is no next meetup to call off.', args.respond);
    const channels = result.next.channels.length
      ? result.next.channels
      : (actor.group?.communityChannels ?? []);
    await args.respond(
      buildCalledOff({ meetupId, next: result.next, cancelled: result.cancelled, channels }),
    );
    refreshOrganisersHome(deps, actor);
  };
}

/** After calling it off: the notice in the community channels. */
export function postCancellationNoticeClicked(deps: TeamDeps) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    const actor = actorOf(args.context);
    if (!actor.group) return;
    const meetup = await deps.store.getMeetup(actor.teamId, args.action.value ?? '');
    const next = meetup?.next;
    if (!next?.cancelled)
      return tell(deps, actor.userId, 'That meetup is no longer called off.', args.respond);
    const channels = next.channels.length ? next.channels : actor.group.communityChannels;
    const posted: string[] = [];
    for (const channel of channels) {
      try {
        await deps.client.chat.postMessage({
          channel,
          ...buildCancellationNotice({ groupName: actor.group.name, next }),
        });
        posted.push(`<#${channel}>`);
      } catch (err) {
        await tell(
          deps,
          actor.userId,
          explainSlackFailure(err, `post the notice in <#${channel}>`),
          args.respond,
        );
      }
    }
    if (posted.length)
      await tell(
        deps,
        actor.userId,
        `:white_check_mark: Notice posted in ${posted.join(', ')}.`,
        args.respond,
      );
  };
}
