import { escapeMrkdwn } from '../../../render/slack-preview';
import { mayEditTalk } from '../../../services/asks';
import type { TeamDeps } from '../../../services/deps';
import { meetupLabel } from '../../../services/meetups';
import { syncMeetupReminders } from '../../../services/reminders';
import { TALK } from '../../views/ids';
import { readTalkModal, type TalkModalMetadata } from '../../views/talk-modal';
import { buildTalksModal } from '../../views/talks-modal';
import { parseMetadata, refreshOrganisersHome } from '../shared';
import { type FormArgs, precheckFiles, storeUploads, submission } from './submission';

const metadataOf = (args: FormArgs) => parseMetadata<TalkModalMetadata>(args.view.private_metadata);

export function talkSubmitted(deps: TeamDeps) {
  return submission(deps, {
    fallbackBlock: TALK.speaker,
    mayAct: (actor, args) =>
      mayEditTalk(deps, actor.teamId, actor.userId, metadataOf(args).talkId, actor.isOrganiser),
    read: async (args, actor) => {
      const { meetupId, talkId, asked } = metadataOf(args);
      // Only the talk being edited is read: this runs before Slack gets its answer.
      const current = talkId ? await deps.store.getTalk(actor.teamId, meetupId, talkId) : undefined;
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
      if (!actor.isOrganiser && actor.group?.organisersChannel) {
        await deps.client.chat
          .postMessage({
            channel: actor.group.organisersChannel,
            text: `<@${actor.userId}> filled in their talk “${escapeMrkdwn(saved.title)}” (${saved.takeaways.length} takeaway(s)).`,
          })
          .catch((err: unknown) => deps.logger.warn(`could not tell the organisers: ${String(err)}`));
      }
      refreshOrganisersHome(deps, actor);
    },
  });
}
