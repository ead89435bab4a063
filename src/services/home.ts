import { DateTime } from 'luxon';
import { buildHome } from '../slack/views/home';
import { describeReminder } from '../slack/views/reminder-message';
import type { TeamDeps } from './deps';
import { meetupOverview } from './meetups';

/** Publish the App Home of each user (one failing does not stop the others). */
export async function refreshHome(deps: TeamDeps, teamId: string, userIds: readonly string[]): Promise<void> {
  const group = await deps.store.getGroup(teamId);
  const meetup = group ? await deps.store.currentMeetup(teamId) : undefined;
  const overview = group && meetup ? await meetupOverview(deps, teamId, group, meetup) : undefined;
  let nextMeetup: string | undefined;
  const next = meetup?.next;
  if (next) {
    const day = DateTime.fromISO(next.date).setLocale('en-GB').toFormat('cccc d LLLL yyyy');
    nextMeetup = `${day}${next.startTime ? ` at ${next.startTime}` : ''}${next.venue ? `, at ${next.venue}` : ''}`;
  } else if (meetup && meetup.status === 'planned') {
    nextMeetup = `${DateTime.fromISO(meetup.date).setLocale('en-GB').toFormat('cccc d LLLL yyyy')} at ${meetup.startTime}`;
  }
  const pending = group ? await deps.store.listReminders(teamId, { statuses: ['pending'] }) : [];
  const reminders = pending.slice(0, 10).map((r) => describeReminder(r, group?.timeZone ?? 'UTC'));
  if (pending.length > 10)
    reminders.push(`…and ${pending.length - 10} more (\`/roundup remind\` lists them all)`);
  await Promise.all(
    [...new Set(userIds)].map(async (userId) => {
      const view = buildHome({
        groupName: group?.name,
        isOrganiser: group?.organisers.includes(userId) ?? false,
        overview,
        nextMeetup,
        reminders,
      });
      await deps.client.views.publish({ user_id: userId, view }).catch((err: unknown) => {
        deps.logger.warn(`App Home of ${userId} not refreshed: ${String((err as Error).message ?? err)}`);
      });
    }),
  );
}
