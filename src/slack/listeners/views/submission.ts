import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { escapeMrkdwn } from '../../../render/slack-preview';
import type { TeamDeps } from '../../../services/deps';
import { fetchUploadedPhotos, type IntakeResult } from '../../../services/photo-intake';
import { precheckSlackFile } from '../../../services/photos';
import { InvalidDataError, refusalSentence, type Store } from '../../../store/store';
import { type Actor, actorOf, refusalText } from '../../middleware/actor';
import { submissionKey } from '../../middleware/once';
import type { FormErrors, SubmittedFile } from '../../views/form';
import { tell } from '../shared';

export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** How one form is checked and saved: what `submission` runs for a view submission. */
export interface FormHandling<T, R> {
  /** The block that shows errors no field owns. */
  fallbackBlock: string;
  mayAct: (actor: Actor, args: FormArgs) => Promise<boolean>;
  read: (args: FormArgs, actor: Actor) => Promise<{ ok: true; value: T } | { ok: false; errors: FormErrors }>;
  save: (store: Store, value: T, actor: Actor, args: FormArgs) => Promise<R>;
  /**
   * Where to show what the store refused (a bound of the model the form cannot check alone, such as the
   * number of talks a meetup already has); default: the first problem under `fallbackBlock`.
   */
  refused?: (err: InvalidDataError) => FormErrors | undefined;
  /** What to answer Slack with once saved (default: close the modal). */
  response?: (
    saved: R,
    value: T,
    actor: Actor,
    args: FormArgs,
  ) => Parameters<ViewArgs['ack']>[0] | Promise<Parameters<ViewArgs['ack']>[0]>;
  after?: (saved: R, value: T, actor: Actor, args: FormArgs) => Promise<void>;
  /**
   * How a duplicate of a saved submission (Slack's retry of it) answers as the first did, for a form whose
   * `response` is drawn from what was saved: `keep` says, in the save's transaction, how to find the saved
   * record again, and `find` finds it. Without it a duplicate closes the modal.
   */
  again?: {
    keep: (store: Store, saved: R, actor: Actor, args: FormArgs) => Promise<string>;
    find: (kept: string, actor: Actor, args: FormArgs) => Promise<R | undefined>;
  };
}

/** What a form's handling reads: the view as submitted (or, for a step's Back button, as it stands). */
export interface FormArgs {
  view: ViewArgs['view'];
  context: ViewArgs['context'];
}

export type SaveOutcome<T, R> =
  | { kind: 'errors'; errors: FormErrors }
  | { kind: 'duplicate'; kept: string | undefined; value: T; actor: Actor }
  | { kind: 'saved'; saved: R; value: T; actor: Actor };

/**
 * Check who may submit, read and validate the form, then save exactly once (the same view with the same
 * values saves nothing twice). Errors come back by block, in words; nothing is saved then.
 */
export async function checkAndSave<T, R>(
  deps: TeamDeps,
  o: FormHandling<T, R>,
  args: FormArgs,
): Promise<SaveOutcome<T, R>> {
  const { view, context } = args;
  const errors = (errors: FormErrors) => ({ kind: 'errors' as const, errors });
  try {
    const actor = actorOf(context);
    if (!(await o.mayAct(actor, args))) return errors({ [o.fallbackBlock]: refusalText(actor) });
    const form = await o.read(args, actor);
    if (!form.ok) return errors(form.errors);
    const value = form.value;
    const key = submissionKey(view);
    return await deps.store.transaction(async (store): Promise<SaveOutcome<T, R>> => {
      if (!(await store.claimDelivery(actor.teamId, key))) {
        // The first delivery has committed by now (the claim waits for it), and with it what it kept.
        const kept = o.again ? await store.keptAnswer(actor.teamId, key) : undefined;
        return { kind: 'duplicate', kept, value, actor };
      }
      const saved = await o.save(store, value, actor, args);
      const kept = await o.again?.keep(store, saved, actor, args);
      if (kept !== undefined) await store.keepAnswer(actor.teamId, key, kept);
      return { kind: 'saved', saved, value, actor };
    });
  } catch (err) {
    if (err instanceof InvalidDataError) {
      const [first] = err.problems;
      return errors(
        o.refused?.(err) ?? { [o.fallbackBlock]: first ? refusalSentence(err.what, first) : err.message },
      );
    }
    if ((err as Error).name === 'NotFoundError') {
      return errors({
        [o.fallbackBlock]:
          'The meetup or talk this form changes was deleted in the meantime, so it could not be saved.',
      });
    }
    deps.logger.error(`saving ${view.callback_id} failed: ${(err as Error).stack ?? String(err)}`);
    return errors({
      [o.fallbackBlock]:
        'Something went wrong saving this. Nothing you typed is lost: please press the button again.',
    });
  }
}

/**
 * The shape every form submission takes: check who may submit, read and validate the form (errors go under
 * their fields and nothing typed is lost), then save exactly once (a double submit of the same values
 * saves nothing twice) and close, and only then do the slow work.
 */
export function submission<T, R>(deps: TeamDeps, o: FormHandling<T, R>) {
  return async (args: ViewArgs): Promise<void> => {
    const { ack, view } = args;
    const outcome = await checkAndSave(deps, o, args);
    if (outcome.kind === 'errors') return ack({ response_action: 'errors', errors: outcome.errors });
    if (outcome.kind === 'duplicate') {
      args.logger.info(`duplicate submission of ${view.callback_id}: answered as the first was`);
      return ack(await answerAgain(deps, o, outcome, args));
    }
    const { saved, value, actor } = outcome;
    await ack(o.response ? await o.response(saved, value, actor, args) : undefined);
    if (o.after) {
      await o.after(saved, value, actor, args).catch((err: unknown) => {
        deps.logger.error(`after saving ${view.callback_id}: ${(err as Error).stack ?? String(err)}`);
      });
    }
  };
}

/** What a duplicate submission answers: the first's answer, from what it saved (or nothing: close). */
async function answerAgain<T, R>(
  deps: TeamDeps,
  o: FormHandling<T, R>,
  duplicate: { kept: string | undefined; value: T; actor: Actor },
  args: ViewArgs,
): Promise<Parameters<ViewArgs['ack']>[0]> {
  const { kept, value, actor } = duplicate;
  if (!o.again || !o.response || kept === undefined) return undefined;
  try {
    const saved = await o.again.find(kept, actor, args);
    return saved === undefined ? undefined : await o.response(saved, value, actor, args);
  } catch (err) {
    deps.logger.error(`answering a duplicate of ${args.view.callback_id}: ${String(err)}`);
    return undefined;
  }
}

/** Refuse, under the file field, a file Slack already describes as too large or not an image. */
export function precheckFiles(files: readonly SubmittedFile[], blockId: string): FormErrors | undefined {
  for (const file of files) {
    const refused = precheckSlackFile(file);
    if (refused) return { [blockId]: `${refused.message}. Nothing else you typed is lost.` };
  }
  return undefined;
}

/** Download what was uploaded in the form, and tell the user about any file that was refused. */
export async function storeUploads(
  deps: TeamDeps,
  actor: Actor,
  meetupId: string,
  files: readonly SubmittedFile[],
): Promise<IntakeResult> {
  const result = await fetchUploadedPhotos(deps, actor.teamId, meetupId, files);
  if (result.refused.length > 0) {
    await tell(
      deps,
      actor.userId,
      `:warning: ${result.refused.length === 1 ? 'A photo was' : 'Some photos were'} not added: ${escapeMrkdwn(result.refused.join('; '))}. Everything else was saved.`,
    );
  }
  return result;
}
