import { buildHome } from '../slack/views/home';
import type { TeamDeps } from './deps';
import { meetupOverview } from './meetups';

/**
 * Publish the App Home of each user (one failing does not stop the others): the organisers' place to work
 * from, or the read-only view of the next meetup for anyone else.
 */
export async function refreshHome(
  deps: TeamDeps,
  teamId: string,
  userIds: readonly string[],
  /** Who may run setup though not an organiser (before the first setup: the installer, as the actor says). */
  o: { maySetUp?: readonly string[] } = {},
): Promise<void> {
  const group = await deps.store.getGroup(teamId);
  const meetup = group ? await deps.store.currentMeetup(teamId) : undefined;
  const overview = group && meetup ? await meetupOverview(deps, teamId, group, meetup) : undefined;
  const reminders = group ? await deps.store.listReminders(teamId, { statuses: ['pending'] }) : [];
  reminders.sort((a, b) => a.fireAt.localeCompare(b.fireAt));
  const lastPublished = group
    ? (await deps.store.listMeetups(teamId))
        .filter((s) => s.status === 'published')
        .map((s) => s.date)
        .sort()
        .at(-1)
    : undefined;
  const next = meetup?.next && !meetup.next.cancelled ? meetup.next : undefined;
  const organisers = group?.organisers ?? [];
  await Promise.all(
    [...new Set(userIds)].map(async (userId) => {
      const view = buildHome({
        groupName: group?.name,
        timeZone: group?.timeZone ?? 'UTC',
        isOrganiser: organisers.includes(userId),
        maySetUp: organisers.includes(userId) || (o.maySetUp ?? []).includes(userId),
        meetup,
        checklist: overview?.checklist ?? [],
        asks: overview?.asks ?? [],
        draft: overview?.draft,
        reminders,
        mayPublish: Boolean(group?.site && deps.publishing),
        next,
        lastPublished,
      });
      await deps.client.views.publish({ user_id: userId, view }).catch((err: unknown) => {
        deps.logger.warn(`App Home of ${userId} not refreshed: ${String((err as Error).message ?? err)}`);
      });
    }),
  );
}
