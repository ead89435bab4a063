import type { ModalView } from '@slack/types';
import type { TeamDeps } from '../../../services/deps';
import type { Actor } from '../../middleware/actor';
import type { StateValues } from '../../views/form';
import { completeState, errorsOnStep, type FormStep, stepOf, stepView, withState } from '../../views/steps';
import type { FormArgs, FormHandling } from './submission';

/** What a whole form is prefilled from: the record read for a view's metadata, or the one just saved. */
export type Prefill<R> = { current: R | undefined } | { saved: R };

/** The record a form is prefilled from. */
export const recordOf = <R>(from: Prefill<R>): R | undefined => ('saved' in from ? from.saved : from.current);

/**
 * A form shown in steps (see views/steps.ts): how to build it whole for a view's metadata, and how it is
 * read and saved. Each step's submission completes its values with the saved ones of the other steps,
 * is read and saved like a one-view form, then draws the next step (or ends as the form ends).
 */
export interface SteppedForm<T, R> {
  steps: readonly FormStep[];
  /** What is saved for a view's metadata (the record the form edits), if anything yet. */
  current(deps: TeamDeps, actor: Actor, metadata: string): Promise<R | undefined>;
  /** The whole form for a view's metadata, prefilled from what `current` read or from what was just saved. */
  whole(
    deps: TeamDeps,
    actor: Actor,
    metadata: string,
    from: Prefill<R>,
  ): Promise<{ view: ModalView; metadata: object }>;
  /** The form read from a whole form's values (what `submission` runs, without the step handling). */
  handling(deps: TeamDeps): SteppedHandling<T, R>;
}

/** A stepped form's own handling: a one-view form's, its reader given the record `current` read for the view. */
export type SteppedHandling<T, R> = Omit<FormHandling<T, R>, 'read'> & {
  read: (args: FormArgs, actor: Actor, current: R | undefined) => ReturnType<FormHandling<T, R>['read']>;
};

/** The handling of one step's submission: the form's own, with the other steps' saved values and the next step. */
export function stepHandling<T, R>(deps: TeamDeps, form: SteppedForm<T, R>): FormHandling<T, R> {
  const own = form.handling(deps);
  return {
    ...own,
    read: async (args, actor) => {
      // The record is read once, before the ack: for the other steps' values and for the form's reader.
      const current = await form.current(deps, actor, args.view.private_metadata);
      const { view: whole } = await form.whole(deps, actor, args.view.private_metadata, { current });
      const view = { ...args.view, state: { values: completeState(whole, args.view.state.values) } };
      const read = await own.read({ ...args, view }, actor, current);
      if (read.ok) return read;
      return { ok: false, errors: errorsOnStep(read.errors, args.view.blocks as never, whole, form.steps) };
    },
    response: async (saved, value, actor, args) => {
      const step = stepOf(args.view.private_metadata);
      if (step + 1 >= form.steps.length)
        return own.response ? own.response(saved, value, actor, args) : undefined;
      return {
        response_action: 'update',
        view: await drawStep(deps, form, actor, args, step + 1, { saved }),
      };
    },
    // A retried submission of a step answers as the first did (the next step, or the form's end), from what
    // the first saved. A new talk or meetup gets its id in that save: the metadata the next step carries is
    // kept, so the retry finds that record, and going on from its answer edits it.
    again: {
      keep: async (store, saved, actor, args) => {
        const at = args.view.private_metadata;
        return JSON.stringify((await form.whole({ ...deps, store }, actor, at, { saved })).metadata);
      },
      find: (kept, actor) => form.current(deps, actor, kept),
    },
  };
}

/** Step `n` of the form, from what is saved; or, given `state`, showing what was typed (with `problem` above). */
export async function drawStep<T, R>(
  deps: TeamDeps,
  form: SteppedForm<T, R>,
  actor: Actor,
  args: FormArgs,
  n: number,
  o: { saved?: R; state?: StateValues; problem?: string },
): Promise<ModalView> {
  const at = args.view.private_metadata;
  const from: Prefill<R> = o.saved ? { saved: o.saved } : { current: await form.current(deps, actor, at) };
  const { view, metadata } = await form.whole(deps, actor, at, from);
  const shown = o.state ? withState(view, o.state) : view;
  return stepView(shown, form.steps, n, { metadata, ...(o.problem ? { problem: o.problem } : {}) });
}
