import { escapeMrkdwn } from '../../../render/slack-preview';
import { mayEditTalk } from '../../../services/asks';
import type { TeamDeps } from '../../../services/deps';
import { meetupLabel } from '../../../services/meetups';
import { syncMeetupReminders } from '../../../services/reminders';
import type { TalkRecord } from '../../../store/store';
import type { Actor } from '../../middleware/actor';
import { TALK } from '../../views/ids';
import { stepOf } from '../../views/steps';
import {
  buildTalkForm,
  readTalkModal,
  TALK_STEPS,
  type TalkForm,
  type TalkModalMetadata,
} from '../../views/talk-modal';
import { buildTalksModal } from '../../views/talks-modal';
import { parseMetadata, refreshOrganisersHome } from '../shared';
import { type Prefill, recordOf, type SteppedForm, type SteppedHandling, stepHandling } from './stepped';
import { type FormArgs, precheckFiles, storeUploads, submission } from './submission';

const metadataOf = (args: FormArgs) => parseMetadata<TalkModalMetadata>(args.view.private_metadata);

/** The talk form, in TALK_STEPS: each step saves the talk (a new one becomes the talk it edits). */
export const TALK_FORM: SteppedForm<TalkForm, TalkRecord> = {
  steps: TALK_STEPS,
  async current(deps: TeamDeps, actor: Actor, metadata: string) {
    // Only the talk being edited is read: this runs before Slack gets its answer.
    const { meetupId, talkId } = parseMetadata<TalkModalMetadata>(metadata);
    return talkId ? await deps.store.getTalk(actor.teamId, meetupId, talkId) : undefined;
  },
  async whole(_deps: TeamDeps, _actor: Actor, metadata: string, from: Prefill<TalkRecord>) {
    const meta = parseMetadata<TalkModalMetadata>(metadata);
    const current = recordOf(from);
    const talkId = current?.id ?? meta.talkId;
    const next: TalkModalMetadata = { ...meta, ...(talkId ? { talkId } : {}) };
    const options = { metadata: next, current, meetupLabel: meta.meetupLabel ?? 'the meetup' };
    return { view: buildTalkForm(options), metadata: { ...next, meetupLabel: options.meetupLabel } };
  },
  handling: (deps) => talkHandling(deps),
};

export function talkSubmitted(deps: TeamDeps) {
  return submission(deps, stepHandling(deps, TALK_FORM));
}

function talkHandling(deps: TeamDeps): SteppedHandling<TalkForm, TalkRecord> {
  return {
    fallbackBlock: TALK.speaker,
    mayAct: (actor, args) =>
      mayEditTalk(deps, actor.teamId, actor.userId, metadataOf(args).talkId, actor.isOrganiser),
    read: async (args, _actor, current) => {
      const { talkId, asked } = metadataOf(args);
      if (talkId && !current)
        return { ok: false, errors: { [TALK.speaker]: 'This talk was deleted in the meantime.' } };
      const form = readTalkModal(args.view.state.values, current, asked === true);
      if (!form.ok) return form;
      const refused = precheckFiles(form.value.photoFile ? [form.value.photoFile] : [], TALK.photoFile);
      return refused ? { ok: false, errors: refused } : form;
    },
    save: async (store, form, actor, args) => {
      const { meetupId, talkId } = metadataOf(args);
      const saved = await store.saveTalk(actor.teamId, meetupId, {
        ...form.talk,
        ...(talkId ? { id: talkId } : {}),
      });
      if (!actor.isOrganiser) {
        await store.markAskAnswered(actor.teamId, saved.id, actor.userId);
        await syncMeetupReminders({ ...deps, store }, actor.teamId, meetupId);
      }
      return saved;
    },
    after: async (saved, form, actor, args) => {
      const { meetupId, listViewId } = metadataOf(args);
      if (form.photoFile) await storeUploads(deps, actor, meetupId, [form.photoFile]);
      // The whole meetup is read only when there is a talk list to refresh.
      const meetup = listViewId ? await deps.store.getMeetup(actor.teamId, meetupId) : undefined;
      if (listViewId && meetup) {
        const view = buildTalksModal({ meetupId, meetupLabel: meetupLabel(meetup), talks: meetup.talks });
        await deps.client.views.update({ view_id: listViewId, view }).catch(() => undefined);
      }
      // The organisers hear of a speaker's talk once, when its last step is saved.
      const done = stepOf(args.view.private_metadata) === TALK_STEPS.length - 1;
      if (done && !actor.isOrganiser && actor.group?.organisersChannel) {
        await deps.client.chat
          .postMessage({
            channel: actor.group.organisersChannel,
            text: `<@${actor.userId}> filled in their talk “${escapeMrkdwn(saved.title)}” (${saved.takeaways.length} takeaway(s)).`,
          })
          .catch((err: unknown) => deps.logger.warn(`could not tell the organisers: ${String(err)}`));
      }
      refreshOrganisersHome(deps, actor);
    },
  };
}
