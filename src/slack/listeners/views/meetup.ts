import type { TeamDeps } from '../../../services/deps';
import { localToday, saveMeetupDetails } from '../../../services/meetups';
import { syncMeetupReminders } from '../../../services/reminders';
import type { MeetupRecord } from '../../../store/store';
import type { Actor } from '../../middleware/actor';
import { MEETUP } from '../../views/ids';
import {
  buildMeetupForm,
  MEETUP_STEPS,
  type MeetupForm,
  type MeetupModalMetadata,
  readMeetupModal,
} from '../../views/meetup-modal';
import { parseMetadata, refreshOrganisersHome } from '../shared';
import { type Prefill, recordOf, type SteppedForm, stepHandling } from './stepped';
import { precheckFiles, storeUploads, submission } from './submission';

/** The meetup form (`/roundup new`, `/roundup edit`), in MEETUP_STEPS: each step saves the meetup. */
export const MEETUP_FORM: SteppedForm<MeetupForm, MeetupRecord> = {
  steps: MEETUP_STEPS,
  async current(deps: TeamDeps, actor: Actor, metadata: string) {
    const { meetupId } = parseMetadata<MeetupModalMetadata>(metadata);
    return meetupId ? await deps.store.getMeetup(actor.teamId, meetupId) : undefined;
  },
  async whole(deps: TeamDeps, actor: Actor, _metadata: string, from: Prefill<MeetupRecord>) {
    const current = recordOf(from);
    // After a save the roster may have grown (sponsors typed in join it).
    const group = 'saved' in from ? await deps.store.getGroup(actor.teamId) : actor.group;
    const view = buildMeetupForm({
      current,
      roster: group?.sponsors ?? [],
      today: localToday(deps, group?.timeZone ?? 'UTC'),
    });
    return { view, metadata: current ? { meetupId: current.id, status: current.status } : {} };
  },
  handling: (deps) => ({
    fallbackBlock: MEETUP.date,
    mayAct: async (actor) => actor.isOrganiser,
    // Sponsors typed in join the roster, which has its own bound.
    refused: (err) =>
      err.what === 'group'
        ? {
            [MEETUP.newSponsors]: `${err.message} Remove some in /roundup setup to add new ones, or pick these from the roster.`,
          }
        : undefined,
    read: async ({ view }, actor, current) => {
      const { status } = parseMetadata<MeetupModalMetadata>(view.private_metadata);
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
  }),
};

export function meetupSubmitted(deps: TeamDeps) {
  return submission(deps, stepHandling(deps, MEETUP_FORM));
}
