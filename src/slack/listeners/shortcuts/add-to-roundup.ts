import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { escapeMrkdwn } from '../../../render/slack-preview';
import type { TeamDeps } from '../../../services/deps';
import { meetupLabel } from '../../../services/meetups';
import { imagesOfMessage, sortMessageImages } from '../../../services/message-photos';
import type { SlackFileRef } from '../../../services/photos';
import { actorOf, refusalText } from '../../middleware/actor';
import { type AddToRoundupModalOptions, buildAddToRoundupModal } from '../../views/add-to-roundup-modal';
import { openModal, tell } from '../shared';

export type MessageShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/** How to get photos into a message the shortcut can use, said when it finds none. */
const HOW_TO_ADD =
  'Use “Add to roundup” on a message with the photos attached (JPEG, PNG, GIF or WebP), or upload them with `/roundup photo`.';

/**
 * The form for a message's images and one of the team's meetups (its talks as roles), with the current
 * meetup first and the others newest first. Undefined when the meetup is gone.
 */
export async function addToRoundupView(
  deps: TeamDeps,
  teamId: string,
  o: { meetupId: string; files: SlackFileRef[]; refused: string[] },
) {
  const [meetup, current, all] = await Promise.all([
    deps.store.getMeetup(teamId, o.meetupId),
    deps.store.currentMeetup(teamId),
    deps.store.listMeetups(teamId),
  ]);
  if (!meetup) return undefined;
  const first = all.filter((m) => m.id === current?.id);
  const meetups: AddToRoundupModalOptions['meetups'] = [
    ...first,
    ...all.filter((m) => m.id !== current?.id),
  ].map((m) => ({ id: m.id, label: `${meetupLabel(m)} (${m.date})` }));
  const talks = meetup.talks.map((t) => ({
    id: t.id,
    title: t.title,
    speakers: t.speakers.map((s) => s.name),
  }));
  return buildAddToRoundupModal({ ...o, meetups, talks });
}

/**
 * "Add to roundup" on a message: an organiser gets a form for the message's photos (which meetup, each
 * photo's role and description); a message without photos gets a clear answer, and anyone else the polite
 * refusal, both seen only by the person who used the shortcut.
 */
export function addToRoundupShortcut(deps: TeamDeps) {
  return async ({ ack, shortcut, context, respond }: MessageShortcutArgs): Promise<void> => {
    await ack();
    const actor = actorOf(context);
    if (!actor.isOrganiser) return tell(deps, actor.userId, refusalText(actor), respond);
    const images = await imagesOfMessage(deps.client, shortcut.message.files);
    if (images.length === 0) {
      return tell(
        deps,
        actor.userId,
        `This message has no photos to add to the roundup. ${HOW_TO_ADD}`,
        respond,
      );
    }
    const { usable, refused } = sortMessageImages(images);
    if (usable.length === 0) {
      const why = refused.map((r) => escapeMrkdwn(r)).join('; ');
      return tell(
        deps,
        actor.userId,
        `:warning: No photo of this message can be added: ${why}. ${HOW_TO_ADD}`,
        respond,
      );
    }
    const current = await deps.store.currentMeetup(actor.teamId);
    if (!current) {
      return tell(
        deps,
        actor.userId,
        'There is no meetup yet to add photos to: start one with `/roundup new`.',
        respond,
      );
    }
    const view = await addToRoundupView(deps, actor.teamId, { meetupId: current.id, files: usable, refused });
    if (view) await openModal(deps, shortcut.trigger_id, view, actor.userId, respond);
  };
}
