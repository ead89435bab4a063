import type { TeamDeps } from '../../../services/deps';
import { meetupLabel } from '../../../services/meetups';
import { addMessagePhotos } from '../../../services/message-photos';
import { slackError } from '../../../services/slack-errors';
import {
  type AddToRoundupMetadata,
  buildAddedToRoundupView,
  readAddToRoundupModal,
  roleBlockId,
} from '../../views/add-to-roundup-modal';
import { ADD_TO_ROUNDUP } from '../../views/ids';
import { parseMetadata, refreshOrganisersHome } from '../shared';
import { precheckFiles, storeUploads, submission } from './submission';

/**
 * The "Add to roundup" form submitted: the photos named in the meetup where the organiser put them, in one
 * transaction, then copied out of Slack at once with the checks of an upload (size, type from the bytes,
 * pixels); a photo that fails them is taken off again and the organiser told why.
 */
export function addToRoundupSubmitted(deps: TeamDeps) {
  return submission(deps, {
    fallbackBlock: ADD_TO_ROUNDUP.meetup,
    mayAct: async (actor) => actor.isOrganiser,
    read: async ({ view }) => {
      const metadata = parseMetadata<AddToRoundupMetadata>(view.private_metadata);
      if (!metadata.meetupId || !Array.isArray(metadata.files) || metadata.files.length === 0) {
        return {
          ok: false,
          errors: {
            [ADD_TO_ROUNDUP.meetup]: 'This form lost its photos: use “Add to roundup” on the message again.',
          },
        };
      }
      const form = readAddToRoundupModal(view.state.values, metadata);
      if (!form.ok) return form;
      for (const [i, { file, place }] of form.value.placed.entries()) {
        if (place.role === 'skip') continue;
        const refused = precheckFiles([file], roleBlockId(metadata.meetupId, i));
        if (refused) return { ok: false, errors: refused };
      }
      return form;
    },
    save: async (store, form, actor) => {
      const count = await addMessagePhotos(store, actor.teamId, form.meetupId, form.placed);
      const meetup = await store.getMeetup(actor.teamId, form.meetupId);
      return { count, meetupLabel: meetup ? meetupLabel(meetup) : 'the meetup' };
    },
    response: (saved) => ({
      response_action: 'update',
      view: buildAddedToRoundupView(saved),
    }),
    after: async (saved, form, actor, { view: submitted }) => {
      const files = form.placed.filter((p) => p.place.role !== 'skip').map((p) => p.file);
      const { stored, refused } = await storeUploads(deps, actor, form.meetupId, files);
      refreshOrganisersHome(deps, actor);
      // The form, still open, says how it ended (the refusals also went by direct message).
      const view = buildAddedToRoundupView({ ...saved, outcome: { stored, refused } });
      await deps.client.views.update({ view_id: submitted.id, view }).catch((err: unknown) => {
        deps.logger.info(
          `the Add to roundup form was closed before its photos were copied: ${slackError(err) ?? String(err)}`,
        );
      });
    },
  });
}
