import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  OverflowAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { TeamDeps } from '../../../services/deps';
import { meetupLabel } from '../../../services/meetups';
import { actorOf } from '../../middleware/actor';
import { buildTalkModal } from '../../views/talk-modal';
import {
  buildDeleteTalkModal,
  buildTalksModal,
  TALK_MENU,
  type TalkMenuChoice,
  type TalksModalMetadata,
} from '../../views/talks-modal';
import { markdownOf } from '../open-forms';
import { parseMetadata } from '../shared';
import { talkLinkModal } from './talk-link';

type Args<A extends OverflowAction | ButtonAction> = SlackActionMiddlewareArgs<BlockAction<A>> &
  AllMiddlewareArgs;

/** The talk list's menu: edit (a form on top), move up or down (the list redrawn), delete (a confirmation on top). */
export function talkMenuChosen(deps: TeamDeps) {
  return async ({ ack, body, action, context }: Args<OverflowAction>): Promise<void> => {
    await ack();
    const actor = actorOf(context);
    const listViewId = body.view?.id;
    if (!listViewId) return;
    const { meetupId } = parseMetadata<TalksModalMetadata>(body.view?.private_metadata ?? '');
    const [choice, talkId] = action.selected_option.value.split(':') as [TalkMenuChoice, string];
    const meetup = await deps.store.getMeetup(actor.teamId, meetupId);
    const index = meetup?.talks.findIndex((t) => t.id === talkId) ?? -1;
    const talk = meetup?.talks[index];
    if (!meetup || !talk) return;
    const label = meetupLabel(meetup);
    if (choice === TALK_MENU.edit) {
      const view = buildTalkModal({
        metadata: { meetupId, talkId, listViewId, ...markdownOf(meetup) },
        current: talk,
        meetupLabel: label,
      });
      await deps.client.views.push({ trigger_id: body.trigger_id, view });
    } else if (choice === TALK_MENU.link) {
      const view = await talkLinkModal(deps, meetup, talkId, actor.userId);
      await deps.client.views.push({ trigger_id: body.trigger_id, view });
    } else if (choice === TALK_MENU.delete) {
      await deps.client.views.push({
        trigger_id: body.trigger_id,
        view: buildDeleteTalkModal(talk, { meetupId, talkId, listViewId }),
      });
    } else {
      await deps.store.moveTalk(actor.teamId, meetupId, talkId, index + (choice === TALK_MENU.up ? -1 : 1));
      const moved = await deps.store.getMeetup(actor.teamId, meetupId);
      const view = buildTalksModal({ meetupId, meetupLabel: label, talks: moved?.talks ?? [] });
      await deps.client.views.update({ view_id: listViewId, view });
    }
  };
}

/** The talk list's "Add a talk" button: a blank talk form on top of the list. */
export function addTalkClicked(deps: TeamDeps) {
  return async ({ ack, body, context }: Args<ButtonAction>): Promise<void> => {
    await ack();
    const actor = actorOf(context);
    const listViewId = body.view?.id;
    if (!listViewId) return;
    const { meetupId } = parseMetadata<TalksModalMetadata>(body.view?.private_metadata ?? '');
    const meetup = await deps.store.getMeetup(actor.teamId, meetupId);
    if (!meetup) return;
    const view = buildTalkModal({
      metadata: { meetupId, listViewId, ...markdownOf(meetup) },
      meetupLabel: meetupLabel(meetup),
    });
    await deps.client.views.push({ trigger_id: body.trigger_id, view });
  };
}
