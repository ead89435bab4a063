import { LIMITS } from './fields';
import { PRONOUNS, type Speaker, type Takeaway } from './meetup';

/**
 * The few multi-line inputs where one line is one item: sponsors and links as "Name | https://…", speakers as
 * "Name | Company | she", and takeaways as one per line with indentation for nesting. Parsing is forgiving about
 * spacing and bullets; what cannot be understood is reported by line number.
 */

/** A parse; a refusal names the line (1-based, blank lines counted) it is about. */
export type Lines<T> = { ok: true; items: T[] } | { ok: false; error: string; line: number };

function nonEmptyLines(text: string | undefined): Array<{ line: string; number: number }> {
  return (text ?? '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line, i) => ({ line, number: i + 1 }))
    .filter((l) => l.line.trim() !== '');
}

/** Split "Name | https://…" (or "Name https://…") into its text and its link. */
function splitLink(line: string): { text: string; url?: string } {
  const bar = line.lastIndexOf('|');
  if (bar >= 0) {
    const url = line.slice(bar + 1).trim();
    return { text: line.slice(0, bar).trim(), ...(url ? { url } : {}) };
  }
  const match = /^(.*?)\s+(https?:\/\/\S+)\s*$/i.exec(line.trim());
  if (match) return { text: match[1] as string, url: match[2] as string };
  if (/^https?:\/\//i.test(line.trim())) return { text: '', url: line.trim() };
  return { text: line.trim() };
}

/** "StorageOS | https://storageos.com/" per line; the link is optional. */
export function parseNamedLinks(text: string | undefined): Lines<{ name: string; url?: string }> {
  const items: Array<{ name: string; url?: string }> = [];
  for (const { line, number } of nonEmptyLines(text)) {
    const { text: name, url } = splitLink(line);
    if (!name)
      return {
        ok: false,
        error: `Line ${number} has a link but no name; write "Name | https://…".`,
        line: number,
      };
    items.push({ name, ...(url ? { url } : {}) });
  }
  return { ok: true, items };
}

export function formatNamedLinks(items: ReadonlyArray<{ name: string; url?: string }>): string {
  // A name holding a bar gets one more, empty, so that it reads back as a name with no link.
  return items
    .map((i) => (i.url ? `${i.name} | ${i.url}` : i.name.includes('|') ? `${i.name} |` : i.name))
    .join('\n');
}

/** "Label | https://…" per line; a line with only a link gets the default label. */
export function parseLabelledLinks(text: string | undefined): Lines<{ label?: string; url: string }> {
  const items: Array<{ label?: string; url: string }> = [];
  for (const { line, number } of nonEmptyLines(text)) {
    const { text: label, url } = splitLink(line);
    if (!url)
      return { ok: false, error: `Line ${number} has no link; write "Label | https://…".`, line: number };
    items.push({ ...(label ? { label } : {}), url });
  }
  return { ok: true, items };
}

export function formatLabelledLinks(items: ReadonlyArray<{ label: string; url: string }>): string {
  return items.map((i) => `${i.label} | ${i.url}`).join('\n');
}

/** Pronouns as a speaker line may end with them: "she", "she / her", "they/them". */
function pronounsOf(text: string): Speaker['pronouns'] | 'unknown' {
  const first = text.toLowerCase().split('/')[0]?.trim();
  return (PRONOUNS as readonly string[]).includes(first ?? '') ? (first as Speaker['pronouns']) : 'unknown';
}

/** "Name | Company | pronouns" per line; the company and the pronouns are optional. */
export function parseSpeakers(text: string | undefined): Lines<Speaker> {
  const items: Speaker[] = [];
  for (const { line, number } of nonEmptyLines(text)) {
    const [name = '', company = '', said = '', ...rest] = line.split('|').map((p) => p.trim());
    if (rest.length > 0)
      return {
        ok: false,
        error: `Line ${number} has more than two "|"; write "Name | Company | she".`,
        line: number,
      };
    if (!name)
      return { ok: false, error: `Line ${number} has no name; write "Name | Company".`, line: number };
    const pronouns = said ? pronounsOf(said) : undefined;
    if (pronouns === 'unknown')
      return {
        ok: false,
        error: `Line ${number} ends with "${said.slice(0, 40)}"; after the company write he, she or they.`,
        line: number,
      };
    items.push({ name, ...(company ? { company } : {}), ...(pronouns ? { pronouns } : {}) });
  }
  return { ok: true, items };
}

export function formatSpeakers(items: readonly Speaker[]): string {
  return items
    .map((s) =>
      s.pronouns
        ? `${s.name} | ${s.company ?? ''} | ${s.pronouns}`
        : s.company
          ? `${s.name} | ${s.company}`
          : s.name,
    )
    .join('\n');
}

// A bullet alone on a line (trimmed, so nothing follows it) leaves nothing: the line is skipped.
const BULLET = /^(?:[-*•◦▪]|\d+[.)])(?:\s+|$)/;

/** One takeaway per line; a line indented deeper than the one above is nested under it. */
export function parseTakeaways(text: string | undefined): Lines<Takeaway> {
  const top: Takeaway[] = [];
  const stack: Array<{ indent: number; node: Takeaway }> = [];
  for (const { line, number } of nonEmptyLines(text)) {
    const indent = (/^[ \t]*/.exec(line)?.[0] ?? '').replace(/\t/g, '    ').length;
    const body = line.trim().replace(BULLET, '').trim();
    if (!body) continue;
    while (stack.length > 0 && (stack[stack.length - 1] as { indent: number }).indent >= indent) stack.pop();
    if (stack.length >= LIMITS.takeawayDepth) {
      return {
        ok: false,
        error: `Line ${number} nests more than ${LIMITS.takeawayDepth} levels deep.`,
        line: number,
      };
    }
    const node: Takeaway = { text: body, items: [] };
    const parent = stack[stack.length - 1];
    (parent ? parent.node.items : top).push(node);
    stack.push({ indent, node });
  }
  return { ok: true, items: top };
}

export function formatTakeaways(items: readonly Takeaway[], depth = 0): string {
  return items
    .flatMap((t) => [
      `${'  '.repeat(depth)}${t.text}`,
      ...(t.items.length ? [formatTakeaways(t.items, depth + 1)] : []),
    ])
    .join('\n');
}
