import { isWebUrl, LIMITS, text } from './fields';

/**
 * Prose is what an organiser writes in their own words: plain text in which `[label](https://...)` is a link
 * and `{name}` stands for a generated piece (the speakers, the linked title ...). Everything else comes out
 * as typed. The renderer turns the parts into Markdown; here we only split them and check them.
 */
export type ProsePart =
  | { kind: 'text'; text: string }
  | { kind: 'link'; label: string; url: string }
  | { kind: 'placeholder'; name: string };

const TOKEN = /\[([^[\]\n]{1,300})\]\(([^()\s]{1,2000})\)|\{([A-Za-z_]{1,30})\}/g;

export function parseProse(source: string): ProsePart[] {
  const parts: ProsePart[] = [];
  let last = 0;
  for (const m of source.matchAll(TOKEN)) {
    const at = m.index ?? 0;
    const [whole, label, url, name] = m;
    if (label !== undefined && url !== undefined && !isWebUrl(url)) continue; // not a link: plain text
    if (at > last) parts.push({ kind: 'text', text: source.slice(last, at) });
    if (name !== undefined) parts.push({ kind: 'placeholder', name });
    else parts.push({ kind: 'link', label: label ?? '', url: url ?? '' });
    last = at + whole.length;
  }
  if (last < source.length) parts.push({ kind: 'text', text: source.slice(last) });
  return parts;
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
    for (const part of parseProse(value)) {
      if (part.kind === 'placeholder' && !allowed.includes(part.name)) {
        ctx.addIssue({
          code: 'custom',
          message:
            allowed.length === 0
              ? `uses {${part.name}}, but this text takes no placeholders`
              : `uses {${part.name}}, which is not a placeholder here; use ${allowed.map((a) => `{${a}}`).join(', ')}`,
        });
      }
    }
  });
}
