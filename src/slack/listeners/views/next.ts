import type { Deps } from '../../../services/deps';
import { saveNextMeetup } from '../../../services/meetups';
import { NEXT } from '../../views/ids';
import { type NextModalMetadata, readNextModal } from '../../views/next-modal';
import { parseMetadata, refreshOrganisersHome } from '../shared';
import { submission } from './submission';

export function nextSubmitted(deps: Deps) {
  return submission(deps, {
    fallbackBlock: NEXT.date,
    mayAct: async (actor) => actor.isOrganiser,
    read: async ({ view }, actor) => {
      const { meetupId } = parseMetadata<NextModalMetadata>(view.private_metadata);
      const meetup = await deps.store.getMeetup(actor.teamId, meetupId);
      if (!meetup) return { ok: false, errors: { [NEXT.date]: 'This meetup no longer exists.' } };
      return readNextModal(view.state.values, meetup.next, meetup.date);
    },
    save: (store, next, actor, { view }) => {
      const { meetupId } = parseMetadata<NextModalMetadata>(view.private_metadata);
      return saveNextMeetup({ ...deps, store }, actor.teamId, meetupId, next);
    },
    after: async (_m, _n, actor) => refreshOrganisersHome(deps, actor),
  });
}
