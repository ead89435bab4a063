import type { ActionsBlock, KnownBlock, ModalView } from '@slack/types';
import type { FormErrors, StateValues } from './form';
import { STEPS } from './ids';

/**
 * Long forms in steps of a few inputs each. A form is built whole (every input, prefilled from what is
 * saved), then shown one step at a time: a short header ("Step 2 of 4 · Words and sponsors"), that step's
 * blocks, "Next" (or the form's own submit on the last step) and, after the first, "Back". Each step is
 * saved when it is left, forwards or back, so going back shows what was typed, and the inputs of the other
 * steps are read from what is saved: submitting a step completes its values with theirs (`completeState`)
 * and the form's one reader checks the whole.
 */
export interface FormStep {
  title: string;
  /** The block id the step begins with (the first step begins with the form's first block). */
  startsAt: string;
}

/** What a stepped form carries in its private_metadata, besides its own fields. */
export interface StepMetadata {
  /** The step shown, from 0. */
  step?: number;
}

/** A modal built by roundup holds only known blocks. */
const blocksOf = (view: ModalView) => view.blocks as KnownBlock[];

type Element = Record<string, unknown> & { type: string; action_id?: string };

function inputElement(block: KnownBlock): Element | undefined {
  return block.type === 'input' ? (block.element as unknown as Element) : undefined;
}

/** Where each step begins in the whole form's blocks (the first at 0). */
function starts(blocks: readonly KnownBlock[], steps: readonly FormStep[]): number[] {
  return steps.map((step, n) => {
    if (n === 0) return 0;
    const at = blocks.findIndex((b) => 'block_id' in b && b.block_id === step.startsAt);
    if (at < 0)
      throw new Error(`step "${step.title}" begins at ${step.startsAt}, which the form does not have`);
    return at;
  });
}

/** The blocks of step `n`: from where it begins to where the next one does. */
export function blocksOfStep(
  blocks: readonly KnownBlock[],
  steps: readonly FormStep[],
  n: number,
): KnownBlock[] {
  const at = starts(blocks, steps);
  return blocks.slice(at[n], at[n + 1] ?? blocks.length);
}

/** Step `n` of a whole form, as the modal shows it. */
export function stepView(
  whole: ModalView,
  steps: readonly FormStep[],
  n: number,
  o: { metadata: object; problem?: string },
): ModalView {
  const step = steps[n] as FormStep;
  const last = n === steps.length - 1;
  const header: KnownBlock = {
    type: 'context',
    block_id: STEPS.header,
    elements: [{ type: 'mrkdwn', text: `*Step ${n + 1} of ${steps.length} · ${step.title}*` }],
  };
  const back = (): ActionsBlock => ({
    type: 'actions',
    block_id: STEPS.nav,
    elements: [
      {
        type: 'button',
        action_id: STEPS.back,
        text: { type: 'plain_text', text: `← Back to ${(steps[n - 1] as FormStep).title}`.slice(0, 75) },
        value: String(n - 1),
      },
    ],
  });
  const problem: KnownBlock[] = o.problem
    ? [{ type: 'section', block_id: STEPS.problem, text: { type: 'mrkdwn', text: `:warning: ${o.problem}` } }]
    : [];
  return {
    ...whole,
    ...(last ? {} : { submit: { type: 'plain_text', text: 'Next', emoji: true } }),
    private_metadata: JSON.stringify({ ...o.metadata, step: n }),
    blocks: [header, ...problem, ...blocksOfStep(blocksOf(whole), steps, n), ...(n > 0 ? [back()] : [])],
  };
}

/** The state Slack reports for an input block as it is first shown: its initial value. */
function initialStateOf(element: Element): Record<string, unknown> {
  const initial = (key: string) => element[key] ?? null;
  switch (element.type) {
    case 'plain_text_input':
    case 'url_text_input':
    case 'email_text_input':
    case 'number_input':
      return { type: element.type, value: initial('initial_value') };
    case 'rich_text_input':
      return { type: element.type, rich_text_value: initial('initial_value') };
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type: element.type, selected_option: initial('initial_option') };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { type: element.type, selected_options: element.initial_options ?? [] };
    case 'users_select':
      return { type: element.type, selected_user: initial('initial_user') };
    case 'multi_users_select':
      return { type: element.type, selected_users: element.initial_users ?? [] };
    case 'conversations_select':
      return { type: element.type, selected_conversation: initial('initial_conversation') };
    case 'multi_conversations_select':
      return { type: element.type, selected_conversations: element.initial_conversations ?? [] };
    case 'datepicker':
      return { type: element.type, selected_date: initial('initial_date') };
    case 'timepicker':
      return { type: element.type, selected_time: initial('initial_time') };
    default:
      return { type: element.type };
  }
}

/** The element of an input block showing `value` (a state value as Slack reports it) as its initial value. */
function showing(element: Element, value: Record<string, unknown>): Element {
  const {
    initial_value,
    initial_option,
    initial_options,
    initial_user,
    initial_users,
    initial_conversation,
    initial_conversations,
    initial_date,
    initial_time,
    ...rest
  } = element;
  const set = (key: string, v: unknown) =>
    v === null || v === undefined || (Array.isArray(v) && v.length === 0) || v === ''
      ? rest
      : { ...rest, [key]: v };
  switch (element.type) {
    case 'plain_text_input':
    case 'url_text_input':
    case 'email_text_input':
    case 'number_input':
      return set('initial_value', value.value) as Element;
    case 'rich_text_input':
      return set('initial_value', value.rich_text_value) as Element;
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return set('initial_option', value.selected_option) as Element;
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return set('initial_options', value.selected_options) as Element;
    case 'users_select':
      return set('initial_user', value.selected_user) as Element;
    case 'multi_users_select':
      return set('initial_users', value.selected_users) as Element;
    case 'conversations_select':
      return set('initial_conversation', value.selected_conversation) as Element;
    case 'multi_conversations_select':
      return set('initial_conversations', value.selected_conversations) as Element;
    case 'datepicker':
      return set('initial_date', value.selected_date) as Element;
    case 'timepicker':
      return set('initial_time', value.selected_time) as Element;
    default:
      return element;
  }
}

/** The whole form with the inputs `state` has values for showing those values (a step drawn again). */
export function withState(whole: ModalView, state: StateValues): ModalView {
  const blocks = blocksOf(whole).map((block) => {
    const element = inputElement(block);
    const id = 'block_id' in block ? block.block_id : undefined;
    const value = id && element?.action_id ? state[id]?.[element.action_id] : undefined;
    return element && value
      ? { ...block, element: showing(element, value as unknown as Record<string, unknown>) }
      : block;
  });
  return { ...whole, blocks: blocks as ModalView['blocks'] };
}

/**
 * The values of a step's submission, completed with the whole form's initial values (what is saved) for
 * the inputs of the other steps: what the form's reader would have read had it been one view.
 */
export function completeState(whole: ModalView, submitted: StateValues): StateValues {
  const state: Record<string, Record<string, unknown>> = {};
  for (const block of blocksOf(whole)) {
    const element = inputElement(block);
    if (!element?.action_id || !('block_id' in block) || !block.block_id) continue;
    state[block.block_id] = { [element.action_id]: initialStateOf(element) };
  }
  return { ...(state as StateValues), ...submitted };
}

/**
 * Inline errors can only be shown under inputs the view has: an error of an input on another step is
 * shown under this step's first input, saying where.
 */
export function errorsOnStep(
  errors: FormErrors,
  shown: readonly KnownBlock[],
  whole: ModalView,
  steps: readonly FormStep[],
): FormErrors {
  const here = new Set(
    shown.filter((b) => b.type === 'input').map((b) => (b as { block_id?: string }).block_id),
  );
  const first = [...here][0];
  const moved: FormErrors = {};
  for (const [block, message] of Object.entries(errors)) {
    if (here.has(block) || first === undefined) {
      moved[block] ??= message;
      continue;
    }
    const n = steps.findIndex((_, i) =>
      blocksOfStep(blocksOf(whole), steps, i).some((b) => 'block_id' in b && b.block_id === block),
    );
    const where = n >= 0 ? `In step ${n + 1} (${(steps[n] as FormStep).title}): ` : '';
    moved[first] ??= `${where}${message}`;
  }
  return moved;
}

/** The step a stepped form's view shows, from its metadata. */
export function stepOf(privateMetadata: string | undefined): number {
  try {
    const step = (JSON.parse(privateMetadata || '{}') as StepMetadata).step;
    return typeof step === 'number' && Number.isInteger(step) && step >= 0 ? step : 0;
  } catch {
    return 0;
  }
}
