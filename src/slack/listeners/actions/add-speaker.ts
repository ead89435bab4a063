import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { LIMITS } from '../../../domain/fields';
import type { TeamDeps } from '../../../services/deps';
import { actorOf } from '../../middleware/actor';
import { stepOf } from '../../views/steps';
import type { TalkModalMetadata } from '../../views/talk-modal';
import { parseMetadata } from '../shared';
import { drawStep } from '../views/stepped';
import type { FormArgs } from '../views/submission';
import { TALK_FORM } from '../views/talk';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** The talk form's "Add a speaker": the same step again with one more speaker row, everything typed kept. */
export function addSpeakerClicked(deps: TeamDeps) {
  return async ({ ack, body, context, action }: Args): Promise<void> => {
    await ack();
    const view = body.view;
    if (!view) return;
    const meta = parseMetadata<TalkModalMetadata>(view.private_metadata);
    const rows = Math.min(LIMITS.speakers, Math.max(2, Number(action.value) || (meta.speakerRows ?? 1) + 1));
    const args: FormArgs = {
      view: {
        ...view,
        private_metadata: JSON.stringify({ ...meta, speakerRows: rows }),
      } as unknown as FormArgs['view'],
      context,
    };
    const next = await drawStep(deps, TALK_FORM, actorOf(context), args, stepOf(view.private_metadata), {
      state: view.state.values as FormArgs['view']['state']['values'],
    });
    await deps.client.views
      .update({ view_id: view.id, hash: view.hash, view: next })
      .catch((err: unknown) => deps.logger.warn(`adding a speaker row failed: ${String(err)}`));
  };
}
