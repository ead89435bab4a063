import type { TeamDeps } from '../../../services/deps';
import { photoLink } from '../../views/form';
import { PHOTO } from '../../views/ids';
import { type PhotoModalMetadata, readPhotoModal } from '../../views/photo-modal';
import { parseMetadata, refreshOrganisersHome } from '../shared';
import { precheckFiles, storeUploads, submission } from './submission';

export function photoSubmitted(deps: TeamDeps) {
  return submission(deps, {
    fallbackBlock: PHOTO.files,
    mayAct: async (actor) => actor.isOrganiser,
    read: async ({ view }) => {
      const form = readPhotoModal(view.state.values);
      if (!form.ok) return form;
      const refused = precheckFiles(form.value.files, PHOTO.files);
      return refused ? { ok: false, errors: refused } : form;
    },
    save: async (store, form, actor, { view }) => {
      const { meetupId } = parseMetadata<PhotoModalMetadata>(view.private_metadata);
      // Locked: an intake of this meetup's photos on another replica must not be written over.
      const meetup = await store.getMeetup(actor.teamId, meetupId, { lock: true });
      if (!meetup) throw new Error('meetup gone');
      const alt = form.alt !== undefined ? { alt: form.alt } : {};
      const fromFiles = form.files.map((f) => ({
        slackFile: { id: f.id, ...(f.name ? { name: f.name.slice(0, 300) } : {}) },
        ...alt,
      }));
      const fromUrls = form.urls.map((url) => ({ ...photoLink(url), ...alt }));
      if (form.kind === 'header') {
        const [photo] = [...fromFiles, ...fromUrls];
        await store.updateMeetup(actor.teamId, meetupId, {
          headerPhoto: photo && { role: 'header', ...photo },
        });
      } else {
        const added = [...fromFiles, ...fromUrls].map((p) => ({
          role: form.kind as 'group' | 'other',
          ...p,
          ...(form.caption ? { caption: form.caption } : {}),
          ...(form.after ? { after: form.after } : {}),
        }));
        await store.updateMeetup(actor.teamId, meetupId, { photos: [...meetup.photos, ...added] });
      }
      return meetupId;
    },
    after: async (meetupId, form, actor) => {
      if (form.files.length > 0) await storeUploads(deps, actor, meetupId, form.files);
      refreshOrganisersHome(deps, actor);
    },
  });
}
