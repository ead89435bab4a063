import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { TeamDeps } from '../../../services/deps';
import { giveTalkLink } from '../../../services/talk-links';
import type { MeetupRecord } from '../../../store/store';
import { actorOf } from '../../middleware/actor';
import {
  buildLinksWithdrawnModal,
  buildTalkLinkModal,
  type TalkLinkModalMetadata,
  talkLinkText,
} from '../../views/talk-link-views';
import { parseMetadata } from '../shared';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** The modal that gives an organiser a new link to a talk for its speaker (or says what to configure). */
export async function talkLinkModal(
  deps: TeamDeps,
  meetup: MeetupRecord,
  talkId: string,
  organiser: string,
): Promise<ModalView> {
  const { made, talk, until } = await giveTalkLink(deps, deps.teamId, meetup, talkId, organiser);
  return buildTalkLinkModal(talkLinkText(made, talk, until), { meetupId: meetup.id, talkId }, made.ok);
}

/** A talk's "Speaker link" button in the App Home: the link in a modal. */
export function talkLinkClicked(deps: TeamDeps) {
  return async ({ ack, body, action, context }: Args): Promise<void> => {
    await ack();
    const actor = actorOf(context);
    const meetup = await deps.store.currentMeetup(actor.teamId);
    if (!meetup?.talks.some((t) => t.id === action.value)) return;
    const view = await talkLinkModal(deps, meetup, action.value as string, actor.userId);
    await deps.client.views.open({ trigger_id: body.trigger_id, view });
  };
}

/** The link modal's "Withdraw its links": every link of the talk stops working. */
export function revokeTalkLinksClicked(deps: TeamDeps) {
  return async ({ ack, body, context }: Args): Promise<void> => {
    await ack();
    const actor = actorOf(context);
    const viewId = body.view?.id;
    const { meetupId, talkId } = parseMetadata<TalkLinkModalMetadata>(body.view?.private_metadata ?? '');
    if (!viewId || !meetupId || !talkId) return;
    const talk = await deps.store.getTalk(actor.teamId, meetupId, talkId);
    const count = await deps.store.revokeTalkLinks(actor.teamId, talkId);
    await deps.client.views.update({
      view_id: viewId,
      view: buildLinksWithdrawnModal(count, talk?.title ?? 'the talk'),
    });
  };
}
