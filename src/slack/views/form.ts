import type { ViewOutput } from '@slack/bolt';
import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { Problem } from '../../domain/validate';
import type { SlackFileRef } from '../../services/photos';
import { INPUT_ACTION_SUFFIX } from './ids';

/**
 * Small builders for modal inputs and readers for what Slack reports back on submit. Each input block holds
 * one element whose action id is its block id plus `_input`, so a form reads a value by block id alone.
 */

export type StateValues = ViewOutput['state']['values'];
/** Inline errors for `response_action: errors`, by block id. */
export type FormErrors = Record<string, string>;
export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FormErrors };

interface InputOptions {
  optional?: boolean;
  hint?: string;
}

const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });

export function actionIdOf(blockId: string): string {
  return `${blockId}${INPUT_ACTION_SUFFIX}`;
}

function inputBlock(
  blockId: string,
  label: string,
  element: InputBlock['element'],
  o: InputOptions,
): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    element,
    optional: o.optional ?? false,
    ...(o.hint ? { hint: plain(o.hint) } : {}),
  };
}

export function textInput(
  blockId: string,
  label: string,
  o: InputOptions & { initial?: string; multiline?: boolean; placeholder?: string; max?: number } = {},
): InputBlock {
  return inputBlock(
    blockId,
    label,
    {
      type: 'plain_text_input',
      action_id: actionIdOf(blockId),
      multiline: o.multiline ?? false,
      ...(o.initial ? { initial_value: o.initial } : {}),
      ...(o.placeholder ? { placeholder: plain(o.placeholder) } : {}),
      ...(o.max ? { max_length: o.max } : {}),
    },
    o,
  );
}

/**
 * A web address: Slack's url_text_input, which gives phones their URL keyboard and checks the address is
 * one before the form can be sent (roundup still checks it is an http(s) link).
 */
export function urlInput(
  blockId: string,
  label: string,
  o: InputOptions & { initial?: string; placeholder?: string } = {},
): InputBlock {
  return inputBlock(
    blockId,
    label,
    {
      type: 'url_text_input',
      action_id: actionIdOf(blockId),
      ...(o.initial ? { initial_value: o.initial } : {}),
      ...(o.placeholder ? { placeholder: plain(o.placeholder) } : {}),
    },
    o,
  );
}

/** The most characters Slack lets a plain_text_input hold, its initial value included. */
export const SLACK_INPUT_MAX = 3000;

/** The block id of part `n` (1-based) of a text split over several inputs: the first part is `blockId` itself. */
export function partBlockId(blockId: string, n: number): string {
  return n === 1 ? blockId : `${blockId}_${n}`;
}

/**
 * Items joined by `separator`, packed greedily into texts of at most SLACK_INPUT_MAX characters, each broken
 * between two items. The model bounds every item well under that, so each fits a part.
 */
export function packParts(items: readonly string[], separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (const item of items) {
    if (current !== '' && current.length + separator.length + item.length > SLACK_INPUT_MAX) {
      parts.push(current);
      current = '';
    }
    current = current === '' ? item : `${current}${separator}${item}`;
  }
  if (current !== '') parts.push(current);
  return parts;
}

/**
 * A list written one item per line (or one paragraph per blank-line-separated block) that can be longer than
 * one input holds: as many inputs as its items need, each within Slack's limit, and one more, empty, while the
 * last has no room for another item of `itemMax` characters and the list may still grow. Read it back with
 * readTextParts.
 */
export function textInputParts(
  blockId: string,
  label: string,
  o: InputOptions & {
    items: readonly string[];
    separator: string;
    /** The longest item the model allows, as written in the input. */
    itemMax: number;
    /** How many items the model allows. */
    maxItems: number;
    placeholder?: string;
  },
): InputBlock[] {
  const parts = packParts(o.items, o.separator);
  const last = parts.at(-1);
  const full = last !== undefined && last.length + o.separator.length + o.itemMax > SLACK_INPUT_MAX;
  if (parts.length === 0 || (full && o.items.length < o.maxItems)) parts.push('');
  return parts.map((initial, i) =>
    textInput(partBlockId(blockId, i + 1), i === 0 ? label : `${label} (continued)`, {
      initial,
      multiline: true,
      optional: o.optional,
      ...(i === 0 ? { placeholder: o.placeholder, hint: o.hint } : {}),
    }),
  );
}

/** A photo given by a link, or by its path in the group's site when it starts with `/`. */
export function photoLink(typed: string): { url: string } | { path: string } {
  const trimmed = typed.trim();
  return trimmed.startsWith('/') && !trimmed.startsWith('//') ? { path: trimmed } : { url: typed };
}

/** What a photo's link input shows: its link, or its path in the site. */
export function photoLinkOf(photo: { url?: string; path?: string } | undefined): string | undefined {
  return photo?.url ?? photo?.path;
}

export function option(value: string, text: string = value): PlainTextOption {
  return { text: plain(text.slice(0, 75)), value };
}

export function staticSelect(
  blockId: string,
  label: string,
  options: PlainTextOption[],
  o: InputOptions & { initial?: string; placeholder?: string } = {},
): InputBlock {
  const initial = options.find((opt) => opt.value === o.initial);
  return inputBlock(
    blockId,
    label,
    {
      type: 'static_select',
      action_id: actionIdOf(blockId),
      options,
      ...(initial ? { initial_option: initial } : {}),
      ...(o.placeholder ? { placeholder: plain(o.placeholder) } : {}),
    },
    o,
  );
}

/**
 * A select whose options the bot sends as the person types (Slack's `block_suggestion`, answered by an
 * `app.options` listener for the same action id): for lists longer than Slack's 100 options.
 */
export function externalSelect(
  blockId: string,
  label: string,
  o: InputOptions & { initial?: PlainTextOption; placeholder?: string; minQueryLength?: number } = {},
): InputBlock {
  return inputBlock(
    blockId,
    label,
    {
      type: 'external_select',
      action_id: actionIdOf(blockId),
      min_query_length: o.minQueryLength ?? 0,
      ...(o.initial ? { initial_option: o.initial } : {}),
      ...(o.placeholder ? { placeholder: plain(o.placeholder) } : {}),
    },
    o,
  );
}

export function multiStaticSelect(
  blockId: string,
  label: string,
  options: PlainTextOption[],
  o: InputOptions & { initial?: string[]; placeholder?: string } = {},
): InputBlock {
  const initial = options.filter((opt) => o.initial?.includes(opt.value ?? ''));
  return inputBlock(
    blockId,
    label,
    {
      type: 'multi_static_select',
      action_id: actionIdOf(blockId),
      options,
      ...(initial.length > 0 ? { initial_options: initial } : {}),
      ...(o.placeholder ? { placeholder: plain(o.placeholder) } : {}),
    },
    o,
  );
}

export function checkbox(
  blockId: string,
  label: string,
  box: PlainTextOption,
  o: InputOptions & { checked?: boolean } = {},
): InputBlock {
  return inputBlock(
    blockId,
    label,
    {
      type: 'checkboxes',
      action_id: actionIdOf(blockId),
      options: [box],
      ...(o.checked ? { initial_options: [box] } : {}),
    },
    { optional: true, ...o },
  );
}

/** Several checkboxes in one input; read with readSelectedMany. */
export function checkboxes(
  blockId: string,
  label: string,
  boxes: PlainTextOption[],
  o: InputOptions & { checked?: readonly string[] } = {},
): InputBlock {
  const initial = boxes.filter((b) => o.checked?.includes(b.value ?? ''));
  return inputBlock(
    blockId,
    label,
    {
      type: 'checkboxes',
      action_id: actionIdOf(blockId),
      options: boxes,
      ...(initial.length > 0 ? { initial_options: initial } : {}),
    },
    { optional: true, ...o },
  );
}

export function usersSelect(blockId: string, label: string, o: InputOptions & { initial?: string[] } = {}) {
  return inputBlock(
    blockId,
    label,
    {
      type: 'multi_users_select',
      action_id: actionIdOf(blockId),
      ...(o.initial && o.initial.length > 0 ? { initial_users: o.initial } : {}),
    },
    o,
  );
}

export function userSelect(blockId: string, label: string, o: InputOptions & { initial?: string } = {}) {
  return inputBlock(
    blockId,
    label,
    {
      type: 'users_select',
      action_id: actionIdOf(blockId),
      ...(o.initial ? { initial_user: o.initial } : {}),
    },
    o,
  );
}

export function conversationSelect(
  blockId: string,
  label: string,
  o: InputOptions & { initial?: string } = {},
) {
  return inputBlock(
    blockId,
    label,
    {
      type: 'conversations_select',
      action_id: actionIdOf(blockId),
      filter: { include: ['public', 'private'], exclude_bot_users: true },
      ...(o.initial ? { initial_conversation: o.initial } : {}),
    },
    o,
  );
}

export function conversationsSelect(
  blockId: string,
  label: string,
  o: InputOptions & { initial?: string[] } = {},
) {
  return inputBlock(
    blockId,
    label,
    {
      type: 'multi_conversations_select',
      action_id: actionIdOf(blockId),
      filter: { include: ['public', 'private'], exclude_bot_users: true },
      ...(o.initial && o.initial.length > 0 ? { initial_conversations: o.initial } : {}),
    },
    o,
  );
}

export function datePicker(blockId: string, label: string, o: InputOptions & { initial?: string } = {}) {
  return inputBlock(
    blockId,
    label,
    { type: 'datepicker', action_id: actionIdOf(blockId), ...(o.initial ? { initial_date: o.initial } : {}) },
    o,
  );
}

export function timePicker(blockId: string, label: string, o: InputOptions & { initial?: string } = {}) {
  return inputBlock(
    blockId,
    label,
    { type: 'timepicker', action_id: actionIdOf(blockId), ...(o.initial ? { initial_time: o.initial } : {}) },
    o,
  );
}

export const PHOTO_FILETYPES = ['jpg', 'jpeg', 'png', 'gif', 'webp'];

export function fileInput(blockId: string, label: string, o: InputOptions & { maxFiles?: number } = {}) {
  return inputBlock(
    blockId,
    label,
    {
      type: 'file_input',
      action_id: actionIdOf(blockId),
      filetypes: PHOTO_FILETYPES,
      max_files: o.maxFiles ?? 1,
    },
    { optional: true, ...o },
  );
}

export function modal(
  callbackId: string,
  title: string,
  blocks: KnownBlock[],
  o: { submit?: string; close?: string; privateMetadata?: string } = {},
): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title.slice(0, 24)),
    ...(o.submit ? { submit: plain(o.submit) } : {}),
    close: plain(o.close ?? 'Cancel'),
    ...(o.privateMetadata ? { private_metadata: o.privateMetadata } : {}),
    blocks,
  };
}

export function note(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

// -----------------------------------------------------------------------------------------------------------
// Reading what was submitted

type Element = StateValues[string][string];

function element(values: StateValues, blockId: string): Element | undefined {
  return values[blockId]?.[actionIdOf(blockId)];
}

/** A text input's value, or undefined when it is empty (Slack reports an empty input as null). */
export function readText(values: StateValues, blockId: string): string | undefined {
  const value = element(values, blockId)?.value;
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** What the inputs of textInputParts hold, joined, and where each line of the joined text was typed. */
export interface TextParts {
  text: string | undefined;
  /** The block and the line within it of line `line` (1-based) of `text`. */
  whereIs(line: number): { blockId: string; line: number };
}

/** The parts of a text split over several inputs (see textInputParts), joined by `separator`. */
export function readTextParts(values: StateValues, blockId: string, separator: string): TextParts {
  const parts: Array<{ blockId: string; text: string; firstLine: number }> = [];
  let firstLine = 1;
  for (let n = 1; values[partBlockId(blockId, n)] !== undefined || n === 1; n++) {
    const id = partBlockId(blockId, n);
    const text = (readText(values, id) ?? '').replace(/\r\n?/g, '\n');
    if (text.trim() === '') continue;
    parts.push({ blockId: id, text, firstLine });
    firstLine += text.split('\n').length - 1 + separator.split('\n').length - 1;
  }
  const text = parts.map((p) => p.text).join(separator);
  return {
    text: text.trim() === '' ? undefined : text,
    whereIs: (line) => {
      const part = parts.findLast((p) => p.firstLine <= line) ?? { blockId, firstLine: 1 };
      return { blockId: part.blockId, line: line - part.firstLine + 1 };
    },
  };
}

/** A line-format error ("Line 12 has …") of a joined text, moved to the input and the line where it was typed. */
export function partError(parts: TextParts, error: { error: string; line?: number }): FormErrors {
  if (error.line === undefined) return { [parts.whereIs(1).blockId]: error.error };
  const where = parts.whereIs(error.line);
  return { [where.blockId]: error.error.replace(/^Line \d+/, `Line ${where.line}`) };
}

export function readSelected(values: StateValues, blockId: string): string | undefined {
  return element(values, blockId)?.selected_option?.value ?? undefined;
}

export function readSelectedMany(values: StateValues, blockId: string): string[] {
  return (element(values, blockId)?.selected_options ?? []).flatMap((o) => (o.value ? [o.value] : []));
}

export function readUsers(values: StateValues, blockId: string): string[] {
  return element(values, blockId)?.selected_users ?? [];
}

export function readUser(values: StateValues, blockId: string): string | undefined {
  return element(values, blockId)?.selected_user ?? undefined;
}

export function readConversation(values: StateValues, blockId: string): string | undefined {
  return element(values, blockId)?.selected_conversation ?? undefined;
}

export function readConversations(values: StateValues, blockId: string): string[] {
  return element(values, blockId)?.selected_conversations ?? [];
}

export function readDate(values: StateValues, blockId: string): string | undefined {
  return element(values, blockId)?.selected_date ?? undefined;
}

export function readTime(values: StateValues, blockId: string): string | undefined {
  return element(values, blockId)?.selected_time ?? undefined;
}

/** Files of a file_input, as Slack describes them (id, name, mimetype, size, url_private_download ...). */
export function readFiles(values: StateValues, blockId: string): SubmittedFile[] {
  const files = (element(values, blockId) as { files?: unknown } | undefined)?.files;
  if (!Array.isArray(files)) return [];
  return files.flatMap((f) => {
    if (typeof f !== 'object' || f === null || typeof (f as { id?: unknown }).id !== 'string') return [];
    const file = f as Record<string, unknown>;
    const str = (k: string) => (typeof file[k] === 'string' ? (file[k] as string) : undefined);
    return [
      {
        id: file.id as string,
        name: str('name'),
        mimetype: str('mimetype'),
        size: typeof file.size === 'number' ? file.size : undefined,
        url_private: str('url_private'),
        url_private_download: str('url_private_download'),
      },
    ];
  });
}

/** A file of a file_input, as Slack describes it. */
export type SubmittedFile = SlackFileRef;

/**
 * Turn the model's problems (paths such as `talks[0].speakers[1].name`) into inline errors: `route` names the
 * block for a path, and the first problem for a block wins. Problems no block owns go on `fallback`.
 */
export function errorsFromProblems(
  problems: readonly Problem[],
  route: (path: string) => string | undefined,
  fallback: string,
  describe: (path: string) => string = () => '',
): FormErrors {
  const errors: FormErrors = {};
  for (const problem of problems) {
    const block = route(problem.path) ?? fallback;
    if (errors[block] !== undefined) continue;
    const what = describe(problem.path);
    errors[block] = sentence(what ? `${what} ${problem.message}` : `This ${problem.message}`);
  }
  return errors;
}

/** A path pattern of the model, the block that shows its errors, and how to name it ("The title"). */
export type Route = [pattern: RegExp, blockId: string, what: string];

/**
 * Route and name problems by the first pattern their path matches; a captured index becomes the item's number
 * ("Takeaway 2"): it counts items, not the lines of the input, which may hold nested items or blank lines.
 */
export function routeProblem(routes: readonly Route[]) {
  return {
    route: (path: string) => routes.find(([re]) => re.test(path))?.[1],
    describe: (path: string) => {
      const found = routes.find(([re]) => re.test(path));
      if (!found) return '';
      const index = found[0].exec(path)?.[1];
      return index !== undefined ? `${found[2]} ${Number(index) + 1}` : found[2];
    },
  };
}

function sentence(text: string): string {
  const s = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}
