import { isWebUrl, LIMITS, text } from './fields';

/**
 * Prose is what an organiser writes in their own words: plain text in which `[label](https://...)` is a link
 * and `{name}` stands for a generated piece (the speakers, the linked title ...). Everything else comes out
 * as typed. The renderer turns the parts into Markdown; here we only split them and check them.
 *
 * Emphasis (what Slack's rich text input sends) is written inside braces, with Slack's own marks: `{*bold*}`,
 * `{_italic_}`, `{~struck~}` and `` {`code`} ``, on one line. A brace is something nobody types in a sentence
 * (the renderer shows a typed `{` as an entity), so no text written before emphasis existed turns into it;
 * `{_..._}` is not a placeholder name any sentence takes. The styled words may hold links, placeholders and
 * other emphasis; code holds its text as typed.
 */
export type ProsePart =
  | { kind: 'text'; text: string }
  | { kind: 'link'; label: string; url: string }
  | { kind: 'placeholder'; name: string }
  | { kind: 'styled'; style: ProseStyle; parts: ProsePart[] }
  | { kind: 'code'; text: string };

export type ProseStyle = 'bold' | 'italic' | 'strike';

/** The bullet a list item is written with in prose; numbered items are written `1. `. */
export const PROSE_BULLET = '•';
/** Each level of a nested list, in prose. */
export const PROSE_INDENT = '  ';
/** A line of a list in prose: its indent, then `•` or a number and a dot, then the item. */
export const PROSE_LIST_LINE = new RegExp(
  `^((?:${PROSE_INDENT})*)(?:(${PROSE_BULLET})|(\\d{1,9})\\.) (\\S(?:.*\\S)?)$`,
);

/** The mark each style is written with inside its braces. */
export const STYLE_MARKS = { bold: '*', italic: '_', strike: '~' } as const satisfies Record<
  ProseStyle,
  string
>;

const STYLE_OF: Record<string, ProseStyle> = { '*': 'bold', _: 'italic', '~': 'strike' };

const LINK = /\[([^[\]\n]{1,300})\]\(([^()\s]{1,2000})\)/y;
const PLACEHOLDER = /\{([A-Za-z_]{1,30})\}/y;

export function parseProse(source: string): ProsePart[] {
  return parseSpan(source);
}

function parseSpan(source: string): ProsePart[] {
  const parts: ProsePart[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '[') {
      LINK.lastIndex = i;
      const m = LINK.exec(source);
      if (m) {
        const [whole, label = '', url = ''] = m;
        // Not a web link: plain text, all of it (what looks like a placeholder inside stays text too).
        if (isWebUrl(url)) {
          flush();
          parts.push({ kind: 'link', label, url });
        } else text += whole;
        i += whole.length;
        continue;
      }
    } else if (c === '{') {
      const styled = styledAt(source, i);
      if (styled) {
        flush();
        parts.push(styled.part);
        i = styled.end;
        continue;
      }
      PLACEHOLDER.lastIndex = i;
      const m = PLACEHOLDER.exec(source);
      if (m) {
        flush();
        parts.push({ kind: 'placeholder', name: m[1] ?? '' });
        i += m[0].length;
        continue;
      }
    }
    text += c;
    i++;
  }
  flush();
  return parts;
}

/** `{*...*}`, `{_..._}`, `{~...~}` or `` {`...`} `` starting at `at`: closed on the same line, not empty. */
function styledAt(source: string, at: number): { part: ProsePart; end: number } | undefined {
  const mark = source[at + 1];
  if (mark === undefined || !(mark in STYLE_OF || mark === '`')) return undefined;
  // The first close ends it, so the words inside never hold their own close.
  const close = source.indexOf(`${mark}}`, at + 2);
  if (close <= at + 2) return undefined;
  const inner = source.slice(at + 2, close);
  if (inner === '' || inner.includes('\n')) return undefined;
  const end = close + 2;
  if (mark === '`') return { part: { kind: 'code', text: inner }, end };
  return { part: { kind: 'styled', style: STYLE_OF[mark] as ProseStyle, parts: parseSpan(inner) }, end };
}

/** The parts as prose source again: `formatProse(parseProse(s)) === s` for every `s`. */
export function formatProse(parts: readonly ProsePart[]): string {
  return parts.map(formatPart).join('');
}

function formatPart(p: ProsePart): string {
  switch (p.kind) {
    case 'text':
      return p.text;
    case 'link':
      return `[${p.label}](${p.url})`;
    case 'placeholder':
      return `{${p.name}}`;
    case 'code':
      return `{\`${p.text}\`}`;
    case 'styled':
      return `{${STYLE_MARKS[p.style]}${formatProse(p.parts)}${STYLE_MARKS[p.style]}}`;
  }
}

/** Every placeholder in the parts, emphasis included. */
export function placeholdersOf(parts: readonly ProsePart[]): string[] {
  return parts.flatMap((p) =>
    p.kind === 'placeholder' ? [p.name] : p.kind === 'styled' ? placeholdersOf(p.parts) : [],
  );
}

/** Placeholders each kind of organiser-written sentence may use. */
export const PLACEHOLDERS = {
  none: [],
  lead: ['who', 'title', 'titleText', 'titleLink', 'at', 'their', 'Their', 'they', 'They', 'starting'],
  meetup: ['group', 'month', 'host', 'count', 'Count', 'companies', 'venue'],
  sponsors: ['sponsors', 'venue'],
  talkOrder: ['topics', 'video'],
  next: ['date', 'dateOrdinal', 'companies', 'venue', 'rsvp', 'group', 'month'],
  closing: ['signature', 'month'],
} as const satisfies Record<string, readonly string[]>;

export type PlaceholderSet = keyof typeof PLACEHOLDERS;

/** A prose field: text, whose `{placeholders}` must be among those allowed for it. */
export function prose(set: PlaceholderSet, max: number = LIMITS.paragraph) {
  const allowed: readonly string[] = PLACEHOLDERS[set];
  return text(max).superRefine((value, ctx) => {
    for (const name of placeholdersOf(parseProse(value))) {
      if (!allowed.includes(name)) {
        ctx.addIssue({
          code: 'custom',
          message:
            allowed.length === 0
              ? `uses {${name}}, but this text takes no placeholders`
              : `uses {${name}}, which is not a placeholder here; use ${allowed.map((a) => `{${a}}`).join(', ')}`,
        });
      }
    }
  });
}
