import type { TeamDeps } from '../../../services/deps';
import { meetupLabel } from '../../../services/meetups';
import { syncMeetupReminders } from '../../../services/reminders';
import { buildTalksModal, type DeleteTalkMetadata } from '../../views/talks-modal';
import { parseMetadata, refreshOrganisersHome } from '../shared';
import { submission } from './submission';

export function deleteTalkSubmitted(deps: TeamDeps) {
  return submission(deps, {
    fallbackBlock: 'delete_talk',
    mayAct: async (actor) => actor.isOrganiser,
    read: async ({ view }) => ({ ok: true, value: parseMetadata<DeleteTalkMetadata>(view.private_metadata) }),
    save: async (store, m, actor) => {
      await store.deleteTalk(actor.teamId, m.meetupId, m.talkId);
      await syncMeetupReminders({ ...deps, store }, actor.teamId, m.meetupId);
    },
    after: async (_none, m, actor) => {
      const meetup = await deps.store.getMeetup(actor.teamId, m.meetupId);
      if (meetup) {
        const view = buildTalksModal({
          meetupId: m.meetupId,
          meetupLabel: meetupLabel(meetup),
          talks: meetup.talks,
        });
        await deps.client.views.update({ view_id: m.listViewId, view }).catch(() => undefined);
      }
      refreshOrganisersHome(deps, actor);
    },
  });
}
