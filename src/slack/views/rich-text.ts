import type {
  InputBlock,
  RichTextBlock,
  RichTextBlockElement,
  RichTextElement,
  RichTextList,
  RichTextSection,
} from '@slack/types';
import { isWebUrl, LIMITS } from '../../domain/fields';
import type { Takeaway } from '../../domain/meetup';
import {
  PROSE_BULLET,
  PROSE_INDENT,
  PROSE_LIST_LINE,
  type ProsePart,
  type ProseStyle,
  parseProse,
  STYLE_MARKS,
} from '../../domain/prose';

import { actionIdOf, readText, readTextParts, type StateValues, textInput, textInputParts } from './form';

/**
 * Slack's rich text (what a `rich_text_input` holds) and roundup's prose, both ways. Bold, italics,
 * strikethrough and code become prose emphasis (`{*bold*}` ...), links to web pages stay links, lists become
 * lines (or, for takeaways, the nested takeaways). Whatever would reach Slack as a mention becomes words that
 * cannot ping: a person's name, `#channel`, `@\u200Bhere`.
 */

/** What mentions are called, as far as the caller knows: user, channel and user group ids to names. */
export interface MentionNames {
  names?: Readonly<Record<string, string>>;
  channels?: Readonly<Record<string, string>>;
  usergroups?: Readonly<Record<string, string>>;
}

/** What a rich text value may be when read from a view's state: Slack leaves it out when nothing was typed. */
export type RichTextValue = RichTextBlock | null | undefined;

// A zero-width space after the `@`: the words still read "@here", but no client or API takes them for a ping.
const NO_PING = '@\u200B';

type Style = NonNullable<RichTextElement['style']>;

// ---------------------------------------------------------------------------------------------------------
// Rich text -> prose

/**
 * A paragraph field's rich text as prose. Paragraphs and lines come out as typed; a list becomes one line an
 * item (`• item`, nested ones indented two spaces a level, `1. item` when numbered), a quote `> ` lines and
 * preformatted text lines of code.
 */
export function richTextToProse(value: RichTextValue, options: MentionNames = {}): string {
  let out = '';
  for (const block of blocksOf(value)) {
    const text = blockProse(block, options);
    if (out !== '' && !out.endsWith('\n')) out += '\n';
    out += text;
  }
  return tidy(out);
}

function blockProse(block: RichTextBlockElement, options: MentionNames): string {
  switch (block.type) {
    case 'rich_text_section':
      return inlineProse(block.elements, options);
    case 'rich_text_list':
      return block.elements
        .map((item, i) => {
          const marker = block.style === 'ordered' ? `${(listOffset(block) ?? 0) + i + 1}.` : PROSE_BULLET;
          const text = oneLine(inlineProse(item.elements ?? [], options));
          return `${PROSE_INDENT.repeat(indentOf(block))}${marker} ${text}`;
        })
        .join('\n');
    case 'rich_text_quote':
      return inlineProse(block.elements, options)
        .replace(/\n$/, '')
        .split('\n')
        .map((l) => `> ${l}`.trimEnd())
        .join('\n');
    case 'rich_text_preformatted':
      return inlineProse(
        block.elements.map((e) => ({ ...e, style: { ...e.style, code: true } })),
        options,
      ).replace(/\n$/, '');
    default:
      return '';
  }
}

/** One inline piece: its prose and the styles it has. */
interface Piece {
  prose: string;
  /** Literal text: may be wrapped in code. Links, names and emoji are not. */
  literal: boolean;
  style: Style;
}

/** Outermost first; code innermost, since code holds only its own text. */
const STYLE_ORDER: readonly ProseStyle[] = ['strike', 'bold', 'italic'];

function inlineProse(elements: readonly RichTextElement[], options: MentionNames): string {
  // Line breaks end every style: prose emphasis stays on one line, like Markdown's within a paragraph.
  const pieces: Piece[] = [];
  for (const element of elements) {
    const { prose, literal } = elementProse(element, options);
    const style = element.style ?? {};
    prose.split(/(\n)/).forEach((part) => {
      if (part === '') return;
      pieces.push(
        part === '\n' ? { prose: '\n', literal: true, style: {} } : { prose: part, literal, style },
      );
    });
  }
  return wrap(pieces, 0);
}

/** Pieces with the styles from STYLE_ORDER[level] on wrapped, runs of the same style together. */
function wrap(pieces: readonly Piece[], level: number): string {
  const style = STYLE_ORDER[level];
  if (style === undefined) return pieces.map(codeOf).join('');
  let out = '';
  let i = 0;
  while (i < pieces.length) {
    const on = (pieces[i] as Piece).style[style] === true && (pieces[i] as Piece).prose !== '\n';
    let j = i;
    while (
      j < pieces.length &&
      ((pieces[j] as Piece).style[style] === true && (pieces[j] as Piece).prose !== '\n') === on
    )
      j++;
    const inner = wrap(pieces.slice(i, j), level + 1);
    out += on ? styled(style, inner) : inner;
    i = j;
  }
  return out;
}

/** `{*inner*}`, unless the words hold what would end the emphasis early: then as they are. */
function styled(style: ProseStyle, inner: string): string {
  const mark = STYLE_MARKS[style];
  if (inner === '' || inner.includes(`${mark}}`)) return inner;
  return `{${mark}${inner}${mark}}`;
}

function codeOf(piece: Piece): string {
  if (piece.style.code !== true || !piece.literal || piece.prose.includes('`}')) return piece.prose;
  return `{\`${piece.prose}\`}`;
}

function elementProse(element: RichTextElement, options: MentionNames): { prose: string; literal: boolean } {
  switch (element.type) {
    case 'text':
      return { prose: element.text, literal: true };
    case 'link':
      return { prose: linkProse(element.url, element.text), literal: false };
    case 'user':
      return { prose: options.names?.[element.user_id] ?? `${NO_PING}someone`, literal: false };
    case 'channel': {
      const name = options.channels?.[element.channel_id];
      return { prose: name ? `#${name.replace(/^#/, '')}` : '#channel', literal: false };
    }
    case 'usergroup': {
      const name = options.usergroups?.[element.usergroup_id];
      return { prose: `${NO_PING}${name ? name.replace(/^@/, '') : 'group'}`, literal: false };
    }
    case 'broadcast':
      return { prose: `${NO_PING}${element.range}`, literal: false };
    case 'team':
      return { prose: `${NO_PING}team`, literal: false };
    case 'emoji':
      return { prose: emojiText(element.name, element.unicode), literal: false };
    case 'date':
      return {
        prose: element.fallback ?? new Date(element.timestamp * 1000).toISOString().slice(0, 10),
        literal: true,
      };
    case 'color':
      return { prose: element.value, literal: true };
    default: {
      // An element Slack adds later: its words if it has any.
      const text = (element as { text?: unknown }).text;
      return { prose: typeof text === 'string' ? text : '', literal: true };
    }
  }
}

/** A link as prose: `[label](url)` for a web address, else only its words. */
function linkProse(url: string, text: string | undefined): string {
  const label = (text ?? '').trim() === '' ? url : (text as string);
  // A destination prose can hold: the same address, with the characters that would end it escaped.
  const target = url.replace(
    /[()\s]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  if (!isWebUrl(target) || target.length > LIMITS.url) return label;
  // A label prose can hold: on one line, brackets as parentheses.
  const words = label
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\[/g, '(')
    .replace(/\]/g, ')');
  if (words.length > 300) return `${words} [link](${target})`;
  return `[${words}](${target})`;
}

function emojiText(name: string, unicode: string | undefined): string {
  if (unicode && /^[0-9a-f]{1,6}(?:-[0-9a-f]{1,6})*$/i.test(unicode)) {
    try {
      return String.fromCodePoint(...unicode.split('-').map((h) => Number.parseInt(h, 16)));
    } catch {
      // not a code point: the name instead
    }
  }
  return `:${name}:`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function tidy(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

function blocksOf(value: RichTextValue): RichTextBlockElement[] {
  return value && Array.isArray(value.elements) ? value.elements : [];
}

function indentOf(list: RichTextList): number {
  return Number.isInteger(list.indent) && (list.indent as number) > 0 ? (list.indent as number) : 0;
}

function listOffset(list: RichTextList): number | undefined {
  const offset = (list as { offset?: unknown }).offset;
  return typeof offset === 'number' && Number.isInteger(offset) && offset > 0 ? offset : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Prose -> rich text

const QUOTE_LINE = /^> (.*\S.*)$/;

/** Prose as the rich text a form opens with: the inverse of richTextToProse. */
export function proseToRichText(text: string): RichTextBlock {
  const elements: RichTextBlockElement[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let plain: string[] | undefined;
  const endPlain = (more: boolean) => {
    if (plain === undefined) return;
    // Before another block the section ends with its line break, as Slack writes it.
    const body = plain.join('\n') + (more ? '\n' : '');
    if (body !== '') elements.push(section(body));
    plain = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const item = PROSE_LIST_LINE.exec(line);
    const quote = item ? null : QUOTE_LINE.exec(line);
    if (item) {
      endPlain(true);
      const indent = (item[1] ?? '').length / PROSE_INDENT.length;
      const number = item[3] === undefined ? undefined : Number(item[3]);
      const last = elements[elements.length - 1];
      const style = number === undefined ? 'bullet' : 'ordered';
      if (
        last?.type === 'rich_text_list' &&
        last.style === style &&
        indentOf(last) === indent &&
        (number === undefined || number === (listOffset(last) ?? 0) + last.elements.length + 1) &&
        lines[i - 1] !== undefined &&
        PROSE_LIST_LINE.test(lines[i - 1] as string)
      ) {
        last.elements.push(section(item[4] ?? ''));
      } else {
        const list: RichTextList = { type: 'rich_text_list', style, elements: [section(item[4] ?? '')] };
        if (indent > 0) list.indent = indent;
        if (number !== undefined && number !== 1) Object.assign(list, { offset: number - 1 });
        elements.push(list);
      }
    } else if (quote) {
      endPlain(true);
      const last = elements[elements.length - 1];
      if (last?.type === 'rich_text_quote' && QUOTE_LINE.test(lines[i - 1] ?? '')) {
        last.elements.push({ type: 'text', text: '\n' }, ...inlineElements(quote[1] ?? ''));
      } else {
        elements.push({ type: 'rich_text_quote', elements: inlineElements(quote[1] ?? '') });
      }
    } else {
      if (plain === undefined) plain = [];
      plain.push(line);
    }
  }
  endPlain(false);
  return { type: 'rich_text', elements: elements.map(mergeTexts) };
}

function section(prose: string): RichTextSection {
  return { type: 'rich_text_section', elements: inlineElements(prose) };
}

function inlineElements(prose: string): RichTextElement[] {
  return partsElements(parseProse(prose), {});
}

function partsElements(parts: readonly ProsePart[], style: Style): RichTextElement[] {
  return parts.flatMap((part) => partElements(part, style));
}

function partElements(part: ProsePart, style: Style): RichTextElement[] {
  const styleOf = (extra: Style = {}): Pick<RichTextElement, 'style'> => {
    const all = { ...style, ...extra };
    return Object.keys(all).length > 0 ? { style: all } : {};
  };
  switch (part.kind) {
    case 'text':
      return part.text === '' ? [] : [{ type: 'text', text: part.text, ...styleOf() }];
    case 'placeholder':
      return [{ type: 'text', text: `{${part.name}}`, ...styleOf() }];
    case 'link':
      return [{ type: 'link', url: part.url, text: part.label, ...styleOf() }];
    case 'code':
      return [{ type: 'text', text: part.text, ...styleOf({ code: true }) }];
    case 'styled':
      return partsElements(part.parts, { ...style, [part.style]: true });
  }
}

/** Neighbouring text of the same style as one element, as Slack sends it. */
function mergeTexts<T extends RichTextBlockElement>(block: T): T {
  if (block.type === 'rich_text_list') {
    return { ...block, elements: block.elements.map(mergeTexts) };
  }
  if (block.type !== 'rich_text_section' && block.type !== 'rich_text_quote') return block;
  const merged: RichTextElement[] = [];
  for (const e of block.elements) {
    const last = merged[merged.length - 1];
    if (last?.type === 'text' && e.type === 'text' && sameStyle(last.style, e.style)) {
      merged[merged.length - 1] = { ...last, text: last.text + e.text };
    } else merged.push(e);
  }
  return { ...block, elements: merged };
}

function sameStyle(a: Style | undefined, b: Style | undefined): boolean {
  const keys = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]) as Set<keyof Style>;
  return [...keys].every((k) => (a?.[k] ?? false) === (b?.[k] ?? false));
}

// ---------------------------------------------------------------------------------------------------------
// Takeaways

/**
 * A takeaways field's rich text as the tree of takeaways: each list item one takeaway, nested by the list's
 * indent; lines outside a list are takeaways at the top (a typed `-` or `•` in front is dropped). Refused
 * when an item nests deeper than takeaways may, naming the item.
 */
export function richTextToTakeaways(
  value: RichTextValue,
  options: MentionNames = {},
): { ok: true; items: Takeaway[] } | { ok: false; error: string } {
  const top: Takeaway[] = [];
  const stack: Takeaway[] = [];
  const add = (text: string, depth: number, typed: boolean): string | undefined => {
    const line = oneLine(text);
    const body = typed ? line.replace(TYPED_BULLET, '').trim() : line;
    if (body === '') return undefined;
    // A list can be indented further than the one above it; it nests one level under it, no more.
    const level = Math.min(depth, stack.length);
    if (level >= LIMITS.takeawayDepth) {
      return `"${clip(body)}" is nested ${level + 1} levels deep; takeaways nest at most ${LIMITS.takeawayDepth} levels.`;
    }
    stack.length = level;
    const node: Takeaway = { text: body, items: [] };
    (stack[level - 1]?.items ?? top).push(node);
    stack.push(node);
    return undefined;
  };
  for (const block of blocksOf(value)) {
    if (block.type === 'rich_text_list') {
      for (const item of block.elements) {
        const error = add(inlineProse(item.elements ?? [], options), indentOf(block), false);
        if (error) return { ok: false, error };
      }
    } else {
      for (const line of blockProse(block, options).split('\n')) {
        const error = add(block.type === 'rich_text_quote' ? line.replace(/^> ?/, '') : line, 0, true);
        if (error) return { ok: false, error };
      }
    }
  }
  return { ok: true, items: top };
}

// A bullet typed by hand in front of a line.
const TYPED_BULLET = /^(?:[-*•◦▪]|\d+[.)])\s+/;

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Takeaways as the rich text a form opens with: one bullet list a level, as Slack writes nested lists. */
export function takeawaysToRichText(items: readonly Takeaway[]): RichTextBlock {
  const elements: RichTextList[] = [];
  const walk = (list: readonly Takeaway[], depth: number) => {
    for (const t of list) {
      const last = elements[elements.length - 1];
      const item = mergeTexts(section(t.text));
      if (last && indentOf(last) === depth) last.elements.push(item);
      else
        elements.push({
          type: 'rich_text_list',
          style: 'bullet',
          ...(depth > 0 ? { indent: depth } : {}),
          elements: [item],
        });
      walk(t.items, depth + 1);
    }
  };
  walk(items, 0);
  return { type: 'rich_text', elements };
}

/** Whether the rich text holds nothing but white space (a form leaves initial_value out then). */
export function isBlankRichText(value: RichTextValue): boolean {
  return richTextToProse(value).trim() === '';
}

// ---------------------------------------------------------------------------------------------------------
// The input and its value

/**
 * A rich text input block, its action id the block id plus `_input` like every other input, opened with
 * `initial` (left out when blank: Slack shows an empty box then).
 */
export function richTextInput(
  blockId: string,
  label: string,
  o: {
    initial?: RichTextBlock;
    optional?: boolean;
    hint?: string;
    placeholder?: string;
    focus?: boolean;
  } = {},
): InputBlock {
  const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    element: {
      type: 'rich_text_input',
      action_id: actionIdOf(blockId),
      ...(o.initial && !isBlankRichText(o.initial) ? { initial_value: o.initial } : {}),
      ...(o.placeholder ? { placeholder: plain(o.placeholder) } : {}),
      ...(o.focus ? { focus_on_load: true } : {}),
    },
    optional: o.optional ?? false,
    ...(o.hint ? { hint: plain(o.hint) } : {}),
  };
}

/** What a rich text input held on submit (`rich_text_value`), or undefined when it was left empty. */
export function readRichText(values: StateValues, blockId: string): RichTextBlock | undefined {
  const value = (values[blockId]?.[actionIdOf(blockId)] as { rich_text_value?: unknown } | undefined)
    ?.rich_text_value;
  if (!value || typeof value !== 'object' || (value as { type?: unknown }).type !== 'rich_text')
    return undefined;
  const block = value as RichTextBlock;
  return Array.isArray(block.elements) && !isBlankRichText(block) ? block : undefined;
}

/**
 * An organiser's own words in a form: a rich text input (lists, links and emphasis typed as in Slack), or,
 * for a meetup whose words are Markdown (`textFormat: 'markdown'`, as imported posts are), the plain text
 * input, whose Markdown would not survive a round trip through rich text.
 */
export function proseInput(
  blockId: string,
  label: string,
  o: { initial?: string; optional?: boolean; hint?: string; placeholder?: string; markdown?: boolean },
): InputBlock {
  if (o.markdown) {
    return textInput(blockId, label, {
      multiline: true,
      ...(o.initial ? { initial: o.initial } : {}),
      ...(o.optional !== undefined ? { optional: o.optional } : {}),
      ...(o.hint ? { hint: o.hint } : {}),
      ...(o.placeholder ? { placeholder: o.placeholder } : {}),
    });
  }
  return richTextInput(blockId, label, {
    ...(o.initial ? { initial: proseToRichText(o.initial) } : {}),
    optional: o.optional,
    hint: o.hint,
    placeholder: o.placeholder,
  });
}

/** What a prose input held: its rich text as prose, or (plain text input) the text as typed. */
export function readProse(values: StateValues, blockId: string): string | undefined {
  const rich = readRichText(values, blockId);
  if (rich) {
    const prose = richTextToProse(rich).trim();
    return prose === '' ? undefined : prose;
  }
  return readText(values, blockId);
}

/**
 * Paragraphs of an organiser's own (after the talks, after a talk's links): one rich text input, paragraphs
 * apart by a blank line, or, for Markdown words, plain text inputs as many as the paragraphs need (each holds
 * 3,000 characters). Read them back with readProseParagraphs.
 */
export function proseParagraphsInputs(
  blockId: string,
  label: string,
  o: {
    items: readonly string[];
    itemMax: number;
    maxItems: number;
    optional?: boolean;
    hint?: string;
    placeholder?: string;
    markdown?: boolean;
  },
): InputBlock[] {
  if (o.markdown) {
    return textInputParts(blockId, label, {
      items: o.items,
      separator: '\n\n',
      itemMax: o.itemMax,
      maxItems: o.maxItems,
      ...(o.optional !== undefined ? { optional: o.optional } : {}),
      ...(o.hint ? { hint: o.hint } : {}),
      ...(o.placeholder ? { placeholder: o.placeholder } : {}),
    });
  }
  const initial = o.items.join('\n\n');
  return [
    proseInput(blockId, label, {
      ...(initial ? { initial } : {}),
      ...(o.optional !== undefined ? { optional: o.optional } : {}),
      ...(o.hint ? { hint: o.hint } : {}),
      ...(o.placeholder ? { placeholder: o.placeholder } : {}),
    }),
  ];
}

/** The paragraphs a proseParagraphsInputs held, apart where a blank line was typed; none typed, none. */
export function readProseParagraphs(values: StateValues, blockId: string): string[] {
  const rich = readRichText(values, blockId);
  const text = rich ? richTextToProse(rich) : readTextParts(values, blockId, '\n\n').text;
  return (text ?? '')
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}
