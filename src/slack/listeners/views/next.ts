import type { NextMeetup } from '../../../domain/meetup';
import type { TeamDeps } from '../../../services/deps';
import { saveNextMeetup } from '../../../services/meetups';
import { syncMeetupReminders } from '../../../services/reminders';
import type { MeetupRecord } from '../../../store/store';
import type { Actor } from '../../middleware/actor';
import { NEXT } from '../../views/ids';
import { buildNextForm, NEXT_STEPS, type NextModalMetadata, readNextModal } from '../../views/next-modal';
import { markdownOf } from '../open-forms';
import { parseMetadata, refreshOrganisersHome } from '../shared';
import { type Prefill, recordOf, type SteppedForm, type SteppedHandling, stepHandling } from './stepped';
import { submission } from './submission';

/** The next-meetup form (`/roundup next`), in NEXT_STEPS: each step saves the next meetup. */
export const NEXT_FORM: SteppedForm<NextMeetup, MeetupRecord> = {
  steps: NEXT_STEPS,
  async current(deps: TeamDeps, actor: Actor, metadata: string) {
    const { meetupId } = parseMetadata<NextModalMetadata>(metadata);
    return deps.store.getMeetup(actor.teamId, meetupId);
  },
  async whole(_deps: TeamDeps, actor: Actor, metadata: string, from: Prefill<MeetupRecord>) {
    const { meetupId } = parseMetadata<NextModalMetadata>(metadata);
    const meetup = recordOf(from);
    const view = buildNextForm({
      meetupId,
      current: meetup?.next,
      timeZone: actor.group?.timeZone ?? 'UTC',
      communityChannels: actor.group?.communityChannels,
      ...(meetup ? markdownOf(meetup) : {}),
    });
    return { view, metadata: { meetupId } };
  },
  handling: (deps) => nextHandling(deps),
};

export function nextSubmitted(deps: TeamDeps) {
  return submission(deps, stepHandling(deps, NEXT_FORM));
}

function nextHandling(deps: TeamDeps): SteppedHandling<NextMeetup, MeetupRecord> {
  return {
    fallbackBlock: NEXT.date,
    mayAct: async (actor) => actor.isOrganiser,
    read: async ({ view }, _actor, meetup) => {
      if (!meetup) return { ok: false, errors: { [NEXT.date]: 'This meetup no longer exists.' } };
      return readNextModal(view.state.values, meetup.date);
    },
    save: async (store, next, actor, { view }) => {
      const { meetupId } = parseMetadata<NextModalMetadata>(view.private_metadata);
      const saved = await saveNextMeetup({ ...deps, store }, actor.teamId, meetupId, next);
      // In the same transaction: a changed date moves its pending reminders, new channels get theirs.
      await syncMeetupReminders({ ...deps, store }, actor.teamId, meetupId);
      return saved;
    },
    after: async (_m, _n, actor) => refreshOrganisersHome(deps, actor),
  };
}
