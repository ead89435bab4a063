import type { TeamDeps } from '../../../services/deps';
import { saveNextMeetup } from '../../../services/meetups';
import { syncMeetupReminders } from '../../../services/reminders';
import { NEXT } from '../../views/ids';
import { type NextModalMetadata, readNextModal } from '../../views/next-modal';
import { parseMetadata, refreshOrganisersHome } from '../shared';
import { submission } from './submission';

export function nextSubmitted(deps: TeamDeps) {
  return submission(deps, {
    fallbackBlock: NEXT.date,
    mayAct: async (actor) => actor.isOrganiser,
    read: async ({ view }, actor) => {
      const { meetupId } = parseMetadata<NextModalMetadata>(view.private_metadata);
      const meetup = await deps.store.getMeetup(actor.teamId, meetupId);
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
  });
}
