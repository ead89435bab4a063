import type { TeamDeps } from '../../../services/deps';
import { saveMeetupDetails } from '../../../services/meetups';
import { syncMeetupReminders } from '../../../services/reminders';
import { MEETUP } from '../../views/ids';
import { type MeetupModalMetadata, readMeetupModal } from '../../views/meetup-modal';
import { parseMetadata, refreshOrganisersHome } from '../shared';
import { precheckFiles, storeUploads, submission } from './submission';

export function meetupSubmitted(deps: TeamDeps) {
  return submission(deps, {
    fallbackBlock: MEETUP.date,
    mayAct: async (actor) => actor.isOrganiser,
    // Sponsors typed in join the roster, which has its own bound.
    refused: (err) =>
      err.what === 'group'
        ? {
            [MEETUP.newSponsors]: `${err.message} Remove some in /roundup setup to add new ones, or pick these from the roster.`,
          }
        : undefined,
    read: async ({ view }, actor) => {
      const { meetupId, status } = parseMetadata<MeetupModalMetadata>(view.private_metadata);
      const current = meetupId ? await deps.store.getMeetup(actor.teamId, meetupId) : undefined;
      const form = readMeetupModal(view.state.values, actor.group?.sponsors ?? [], current, status);
      if (!form.ok) return form;
      const refused = precheckFiles(
        form.value.headerFile ? [form.value.headerFile] : [],
        MEETUP.headerPhotoFile,
      );
      return refused ? { ok: false, errors: refused } : form;
    },
    save: async (store, form, actor, { view }) => {
      const { meetupId } = parseMetadata<MeetupModalMetadata>(view.private_metadata);
      const saved = await saveMeetupDetails(
        { ...deps, store },
        actor.teamId,
        meetupId,
        form.details,
        form.newSponsors,
      );
      await syncMeetupReminders({ ...deps, store }, actor.teamId, saved.id);
      return saved;
    },
    after: async (meetup, form, actor) => {
      if (form.headerFile) await storeUploads(deps, actor, meetup.id, [form.headerFile]);
      refreshOrganisersHome(deps, actor);
    },
  });
}
