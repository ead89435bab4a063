import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { TeamDeps } from '../../../services/deps';
import { actorOf } from '../../middleware/actor';
import { CALLBACK } from '../../views/ids';
import { stepOf } from '../../views/steps';
import { MEETUP_FORM } from '../views/meetup';
import { NEXT_FORM } from '../views/next';
import { SETUP_FORM } from '../views/setup';
import { drawStep, type SteppedForm, stepHandling } from '../views/stepped';
import { checkAndSave, type FormArgs } from '../views/submission';
import { TALK_FORM } from '../views/talk';

/** The forms shown in steps, by their callback id. */
const STEPPED_FORMS: Record<string, SteppedForm<never, never>> = {
  [CALLBACK.meetup]: MEETUP_FORM as unknown as SteppedForm<never, never>,
  [CALLBACK.setup]: SETUP_FORM as unknown as SteppedForm<never, never>,
  [CALLBACK.talk]: TALK_FORM as unknown as SteppedForm<never, never>,
  [CALLBACK.next]: NEXT_FORM as unknown as SteppedForm<never, never>,
};

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * A stepped form's "Back": what was typed on this step is saved (as "Next" would), then the step before is
 * drawn from what is saved. If this step cannot be saved yet, it is drawn again as typed with the problem
 * above it, so nothing typed is lost either way.
 */
export function stepBack(deps: TeamDeps) {
  return async ({ ack, body, context, action }: Args): Promise<void> => {
    await ack();
    const view = body.view;
    const form = view ? STEPPED_FORMS[view.callback_id] : undefined;
    if (!view || !form) return;
    const actor = actorOf(context);
    const args: FormArgs = { view: view as unknown as FormArgs['view'], context };
    const step = stepOf(view.private_metadata);
    const to = Math.max(0, Math.min(step - 1, Number(action.value)));
    const handling = stepHandling(deps, form);
    const outcome = await checkAndSave(deps, handling, args);
    const next =
      outcome.kind === 'errors'
        ? await drawStep(deps, form, actor, args, step, {
            state: view.state.values as FormArgs['view']['state']['values'],
            problem: `This step cannot be saved yet: ${Object.values(outcome.errors)[0]} Fix it to go back.`,
          })
        : await drawStep(
            deps,
            form,
            actor,
            args,
            to,
            outcome.kind === 'saved' ? { saved: outcome.saved } : {},
          );
    await deps.client.views
      .update({ view_id: view.id, hash: view.hash, view: next })
      .catch((err: unknown) => deps.logger.warn(`going back a step failed: ${String(err)}`));
    if (outcome.kind === 'saved' && handling.after)
      await handling
        .after(outcome.saved, outcome.value, outcome.actor, args)
        .catch((err: unknown) => deps.logger.error(`after saving ${view.callback_id}: ${String(err)}`));
  };
}
