import { DateTime } from 'luxon';
import type { Speaker } from '../domain/meetup';
import { PROSE_INDENT, PROSE_LIST_LINE, type ProsePart, type ProseStyle, parseProse } from '../domain/prose';
import { escapeInline, escapeLineStart, escapeText, link, sanitiseMarkdown } from './markdown';

/** "A", "A and B", "A, B, and C" (the house style keeps the serial comma). */
export function andList(items: readonly string[]): string {
  if (items.length <= 2) return items.join(' and ');
  return `${items.slice(0, -1).join(', ')}, and ${items[items.length - 1]}`;
}

const NUMBER_WORDS = [
  'no',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];

export function numberWord(n: number): string {
  return NUMBER_WORDS[n] ?? String(n);
}

export interface Pronouns {
  they: string;
  They: string;
  their: string;
  Their: string;
}

const PRONOUN_FORMS: Record<'he' | 'she' | 'they', Pronouns> = {
  he: { they: 'he', They: 'He', their: 'his', Their: 'His' },
  she: { they: 'she', They: 'She', their: 'her', Their: 'Her' },
  they: { they: 'they', They: 'They', their: 'their', Their: 'Their' },
};

/** One speaker's pronouns; several speakers, or none given, read as "they". */
export function pronounsOf(speakers: readonly Speaker[]): Pronouns {
  const only = speakers.length === 1 ? speakers[0] : undefined;
  return PRONOUN_FORMS[only?.pronouns ?? 'they'];
}

/**
 * "Alessandro De Maria from DeepMind Health", "Zenon Hannick and Billie Thompson from Armakuni",
 * "A from X and B from Y": speakers next to each other who share a company are named together.
 */
export function whoMarkdown(speakers: readonly Speaker[]): string {
  const runs: { names: string[]; company?: string }[] = [];
  for (const s of speakers) {
    const last = runs[runs.length - 1];
    if (last && last.company === s.company) last.names.push(escapeText(s.name));
    else runs.push({ names: [escapeText(s.name)], company: s.company });
  }
  const parts = runs.map((r) => {
    const names = andList(r.names);
    return r.company ? `${names} from ${escapeText(r.company)}` : names;
  });
  return parts.length > 2 ? andList(parts) : parts.join(' and ');
}

export type DateWords = Readonly<ReturnType<typeof wordsOf>>;

// luxon takes about 0.2 ms to word a date, and the same few dates are worded on every request that names
// a meetup (its label, the post, the App Home): each is worded once. Dates are few; the bound is a backstop.
const worded = new Map<string, DateWords>();

/** A day as a person reads it, in English whatever this machine's locale: "Wednesday 7 November 2018". */
export function dayIn(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).setLocale('en-GB').toFormat('cccc d LLLL yyyy');
}

/** Dates as the posts write them. */
export function dateWords(isoDate: string): DateWords {
  let words = worded.get(isoDate);
  if (!words) {
    if (worded.size >= 1000) worded.clear();
    words = Object.freeze(wordsOf(isoDate));
    worded.set(isoDate, words);
  }
  return words;
}

function wordsOf(isoDate: string) {
  const d = DateTime.fromISO(isoDate, { zone: 'utc' }).setLocale('en-GB');
  return {
    month: d.toFormat('LLLL'),
    monthShort: d.toFormat('LLL'),
    year: d.toFormat('yyyy'),
    /** "Wednesday 12 December" */
    dayAndDate: d.toFormat('cccc d LLLL'),
    /** "Wednesday 3rd March" */
    dayAndDateOrdinal: `${d.toFormat('cccc')} ${ordinal(d.day)} ${d.toFormat('LLLL')}`,
  };
}

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** "31:01", "1:00:11" */
export function clockTime(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** The second a video link starts at (`t=1861`, `t=31m1s`), if it says. */
export function videoStart(url: string): number | undefined {
  let t: string | null;
  try {
    const u = new URL(url);
    t = u.searchParams.get('t') ?? u.searchParams.get('start') ?? (u.hash.match(/^#t=(.+)$/)?.[1] || null);
  } catch {
    return undefined;
  }
  if (!t) return undefined;
  if (/^\d+s?$/.test(t)) return Number.parseInt(t, 10);
  const m = t.match(/^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/);
  if (!m || (!m[1] && !m[2] && !m[3])) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/**
 * Organiser-written prose as Markdown: their text escaped, their links and emphasis kept, and each
 * `{placeholder}` replaced by the generated Markdown for it. Paragraph breaks and single line breaks are kept
 * as typed. A placeholder with no value is left out, or with `asTyped` (text that takes no placeholders,
 * like a takeaway) shown as typed.
 */
export function proseMarkdown(
  source: string,
  values: Readonly<Record<string, string>> = {},
  format: 'plain' | 'markdown' = 'plain',
  options: { asTyped?: boolean } = {},
): string {
  if (format === 'markdown') {
    // The organiser's Markdown: placeholders filled with generated Markdown, then the whole made safe
    // (generated values hold no `<` or `{`, so the sanitiser leaves them as they are).
    const filled = source.replace(/\{([A-Za-z_]{1,30})\}/g, (all, name: string) =>
      Object.hasOwn(values, name) ? (values[name] ?? '') : all,
    );
    return sanitiseMarkdown(filled);
  }
  const asTyped = options.asTyped === true;
  const text = (lines: string) => partsMarkdown(parseProse(lines), values, asTyped, { atLineStart: true });
  return proseBlocks(source)
    .map((block, i, all) => {
      if (block.kind === 'text') return text(block.text);
      // A list is a block of its own in Markdown: a blank line parts it from the words around it.
      const before = i > 0 && !all[i - 1]?.text.endsWith('\n\n') ? '\n' : '';
      const after = i < all.length - 1 && !all[i + 1]?.text.startsWith('\n') ? '\n' : '';
      return `${before}${listMarkdown(block.text, (item) => partsMarkdown(parseProse(item), values, asTyped, { atLineStart: false }))}${after}`;
    })
    .join('');
}

/** Prose in runs of words and runs of list lines (`• item`, `1. item`, indented a level per two spaces). */
function proseBlocks(source: string): Array<{ kind: 'text' | 'list'; text: string }> {
  const blocks: Array<{ kind: 'text' | 'list'; text: string }> = [];
  const lines = source.split('\n');
  lines.forEach((line, n) => {
    // Bulleted lines only: a line typed as "1. …" stays words, as typed, unless it is under a bullet.
    const match = PROSE_LIST_LINE.exec(line);
    const last = blocks[blocks.length - 1];
    const kind = match && (match[2] !== undefined || last?.kind === 'list') ? 'list' : 'text';
    const piece = n < lines.length - 1 ? `${line}\n` : line;
    if (last?.kind === kind) last.text += piece;
    else blocks.push({ kind, text: piece });
  });
  return blocks;
}

/**
 * List lines as a Markdown list: `* ` for a bullet (the house style's), the number for a numbered item, each
 * nested item indented to the words of the item it is under, as kramdown and CommonMark both nest them.
 */
function listMarkdown(lines: string, item: (prose: string) => string): string {
  const columns: number[] = [];
  return lines
    .split('\n')
    .filter((l) => l !== '')
    .map((line) => {
      const [, indent = '', bullet, number, words = ''] = PROSE_LIST_LINE.exec(line) as RegExpExecArray;
      const level = Math.min(indent.length / PROSE_INDENT.length, columns.length);
      columns.length = level;
      const marker = bullet ? '*' : `${number}.`;
      const at = columns[level - 1] ?? 0;
      columns.push(at + marker.length + 1);
      return `${' '.repeat(at)}${marker} ${item(words)}`;
    })
    .join('\n')
    .concat(lines.endsWith('\n') ? '\n' : '');
}

/** A `!` typed just before a link (or a value that starts with one) stays a `!`, not the start of an image. */
function beforeLink(out: string, next = '['): string {
  return next.startsWith('[') && out.endsWith('!') ? `${out.slice(0, -1)}\\!` : out;
}

/** Markdown delimiters of each emphasis: `*` for italics, since `_` does not count inside a word. */
const EMPHASIS: Record<ProseStyle, string> = { bold: '**', italic: '*', strike: '~~' };

function partsMarkdown(
  parts: readonly ProsePart[],
  values: Readonly<Record<string, string>>,
  asTyped: boolean,
  state: { atLineStart: boolean },
): string {
  let out = '';
  for (const part of parts) {
    switch (part.kind) {
      case 'text': {
        // Line-start escapes apply only where a line really starts, not after a link or placeholder.
        const text = part.text
          .split('\n')
          .map((l, n) =>
            n > 0 || state.atLineStart ? escapeLineStart(escapeInline(l.trimStart())) : escapeInline(l),
          )
          .join('\n');
        out += text;
        state.atLineStart = part.text.endsWith('\n');
        continue;
      }
      case 'link':
        out = beforeLink(out) + link(part.label, part.url);
        break;
      case 'placeholder':
        if (Object.hasOwn(values, part.name))
          out = beforeLink(out, values[part.name]) + (values[part.name] ?? '');
        else if (asTyped) out += escapeInline(`{${part.name}}`);
        break;
      case 'code': {
        // Spaces at the ends of code go outside it, where kramdown (which trims them) and CommonMark agree.
        const [, lead = '', core = '', trail = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(
          part.text,
        ) as RegExpExecArray;
        const code = codeSpan(core);
        out += state.atLineStart ? escapeLineStart(code) + trail : `${lead}${code}${trail}`;
        break;
      }
      case 'styled': {
        const inner = partsMarkdown(part.parts, values, asTyped, { atLineStart: false });
        // Markdown takes no emphasis that opens or closes on a space: the spaces go outside the marks.
        const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner) as RegExpExecArray;
        const [, lead = '', core = '', trail = ''] = m;
        const mark = EMPHASIS[part.style];
        out += core === '' ? inner : `${state.atLineStart ? '' : lead}${mark}${core}${mark}${trail}`;
        break;
      }
    }
    state.atLineStart = false;
  }
  return out;
}

/**
 * Code as a Markdown code span, shown as typed: Liquid in it kept from running by `{% raw %}`. Code that
 * no span can hold safely (a run of backticks, a `|` that kramdown may take for a table, `$$` for maths)
 * is written as escaped text instead, which shows the same characters without the code font.
 */
function codeSpan(code: string): string {
  if (code === '' || /``|\||\$\$/.test(code)) return escapeInline(code);
  const fence = code.includes('`') ? '``' : '`';
  const pad = /^`|`$/.test(code) ? ' ' : '';
  const span = `${fence}${pad}${code}${pad}${fence}`;
  if (!/\{[{%]/.test(code)) return span;
  if (/endraw/i.test(code)) return span.replace(/\{(?=[{%])/g, '{ ');
  return `{% raw %}${span}{% endraw %}`;
}
