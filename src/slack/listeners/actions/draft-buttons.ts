import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { TeamDeps } from '../../../services/deps';
import { DraftError, markPublished, postDraft } from '../../../services/draft';
import { meetupLabel } from '../../../services/meetups';
import { actorOf } from '../../middleware/actor';
import { buildTalksModal } from '../../views/talks-modal';
import { explainSlackFailure, openModal, refreshOrganisersHome, tell } from '../shared';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export function draftEditTalk(deps: TeamDeps) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    const actor = actorOf(args.context);
    const meetup = await deps.store.getMeetup(actor.teamId, args.action.value ?? '');
    if (!meetup) return;
    const view = buildTalksModal({
      meetupId: meetup.id,
      meetupLabel: meetupLabel(meetup),
      talks: meetup.talks,
    });
    await openModal(deps, args.body.trigger_id, view, actor.userId, args.respond);
  };
}

export function draftRegenerate(deps: TeamDeps) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    const actor = actorOf(args.context);
    try {
      await postDraft(deps, actor.teamId, args.action.value ?? '', actor.userId);
      refreshOrganisersHome(deps, actor);
    } catch (err) {
      const text =
        err instanceof DraftError
          ? `:warning: ${err.message}`
          : explainSlackFailure(err, 'regenerate the draft');
      await tell(deps, actor.userId, text, args.respond);
    }
  };
}

export function draftPublished(deps: TeamDeps) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    const actor = actorOf(args.context);
    try {
      await markPublished(deps, actor.teamId, args.action.value ?? '', actor.userId);
      refreshOrganisersHome(deps, actor);
    } catch (err) {
      await tell(deps, actor.userId, explainSlackFailure(err, 'mark the post published'), args.respond);
    }
  };
}
