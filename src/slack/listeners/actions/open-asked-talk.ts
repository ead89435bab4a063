import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { mayEditTalk } from '../../../services/asks';
import type { TeamDeps } from '../../../services/deps';
import { meetupLabel } from '../../../services/meetups';
import { actorOf } from '../../middleware/actor';
import { buildTalkModal } from '../../views/talk-modal';
import { markdownOf } from '../open-forms';
import { openModal, tell } from '../shared';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** The asked speaker's "Fill in my talk": their talk's form, prefilled, if they were asked for it. */
export function openAskedTalk(deps: TeamDeps) {
  return async ({ ack, body, action, context, respond }: Args): Promise<void> => {
    await ack();
    const actor = actorOf(context);
    const talkId = action.value ?? '';
    const ask = await deps.store.findAsk(actor.teamId, talkId, actor.userId);
    if (!(await mayEditTalk(deps, actor.teamId, actor.userId, talkId, actor.isOrganiser))) {
      return tell(deps, actor.userId, 'Sorry, this button is for the speaker who was asked.', respond);
    }
    const meetupId = ask?.meetupId ?? (await deps.store.currentMeetup(actor.teamId))?.id;
    const meetup = meetupId ? await deps.store.getMeetup(actor.teamId, meetupId) : undefined;
    const talk = meetup?.talks.find((t) => t.id === talkId);
    if (!meetup || !talk)
      return tell(
        deps,
        actor.userId,
        'That talk has been removed from the meetup, so there is nothing to fill in.',
        respond,
      );
    const view = buildTalkModal({
      metadata: { meetupId: meetup.id, talkId, asked: !actor.isOrganiser, ...markdownOf(meetup) },
      current: talk,
      meetupLabel: meetupLabel(meetup),
    });
    await openModal(deps, body.trigger_id, view, actor.userId, respond);
  };
}
