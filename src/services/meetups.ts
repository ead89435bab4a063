import path from 'node:path';
import { DateTime } from 'luxon';
import { buildChecklist } from '../domain/checklist';
import type { Group, NextMeetup, Sponsor } from '../domain/meetup';
import { dateWords } from '../render/words';
import type { MeetupDetails } from '../slack/views/meetup-modal';
import type { MeetupOverview } from '../slack/views/status-message';
import type { GroupRecord, MeetupRecord, Store } from '../store/store';
import type { Deps } from './deps';

/** "the November 2018 meetup" */
export function meetupLabel(meetup: { date: string }): string {
  const words = dateWords(meetup.date);
  return `the ${words.month} ${words.year} meetup`;
}

/** Today in the group's time zone, YYYY-MM-DD. */
export function localToday(deps: Pick<Deps, 'now'>, timeZone: string): string {
  return DateTime.fromJSDate(deps.now()).setZone(timeZone).toISODate() ?? '';
}

export function saveSetup(deps: Deps, teamId: string, group: Group): Promise<GroupRecord> {
  return deps.store.saveGroup(teamId, group);
}

/**
 * Create the meetup (no id) or change its details. Sponsors typed in that the roster lacks join the
 * roster in the same transaction.
 */
export function saveMeetupDetails(
  deps: Deps,
  teamId: string,
  meetupId: string | undefined,
  details: MeetupDetails,
  newSponsors: readonly Sponsor[],
): Promise<MeetupRecord> {
  return deps.store.transaction(async (store) => {
    const group = await requireGroup(store, teamId);
    if (newSponsors.length > 0) {
      const { id: _id, teamId: _team, ...fields } = group;
      await store.saveGroup(teamId, { ...fields, sponsors: [...group.sponsors, ...newSponsors] });
    }
    if (meetupId) return store.updateMeetup(teamId, meetupId, details);
    const held = details.date <= localToday(deps, group.timeZone);
    return store.createMeetup(teamId, {
      ...details,
      status: details.status ?? (held ? 'held' : 'planned'),
      talks: [],
      photos: [],
    });
  });
}

export function saveNextMeetup(
  deps: Deps,
  teamId: string,
  meetupId: string,
  next: NextMeetup,
): Promise<MeetupRecord> {
  return deps.store.updateMeetup(teamId, meetupId, { next });
}

export async function requireGroup(store: Store, teamId: string): Promise<GroupRecord> {
  const group = await store.getGroup(teamId);
  if (!group) throw new Error('The group is not set up');
  return group;
}

/** The current meetup's state for `/roundup status`, the draft message and the App Home. */
export async function meetupOverview(
  deps: Deps,
  teamId: string,
  group: Group,
  meetup: MeetupRecord,
): Promise<MeetupOverview> {
  const [asks, draft] = await Promise.all([
    deps.store.listAsks(teamId, meetup.id),
    deps.store.getDraft(teamId, meetup.id),
  ]);
  const pending = asks
    .filter((a) => a.status === 'waiting')
    .map((a) => ({
      userId: a.userId,
      talkTitle: meetup.talks.find((t) => t.id === a.talkId)?.title ?? 'their talk',
    }));
  return {
    groupName: group.name,
    meetupLabel: meetupLabel(meetup),
    meetup,
    checklist: buildChecklist(meetup, pending),
    asks,
    ...(draft ? { draft } : {}),
  };
}

/**
 * This machine's copy of a meetup's uploaded photos (the database holds them: read them through
 * localPhotoFolder in photo-files.ts, which fills in what this copy lacks).
 */
export function photoFolder(deps: Pick<Deps, 'photosDir'>, teamId: string, meetupId: string): string {
  return path.join(deps.photosDir, teamId, meetupId);
}
