import MarkdownIt from 'markdown-it';
import { parsePost } from './parse-post';

/**
 * Whether two posts are the same page: the same front-matter values, and the same HTML from their bodies
 * once whitespace is normalised. Here the HTML comes from markdown-it, set up as close to kramdown's GFM
 * input as it goes (raw HTML allowed, no bare-address links, typography left alone on both sides); the
 * tests build the same pairs with a real Jekyll. `sameHtml` compares HTML from any builder.
 */

const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false, breaks: false });

export interface Comparison {
  same: boolean;
  /** Where the two first part, in words: `front matter "title": ...` or the HTML around it. */
  difference?: string;
}

export function comparePosts(original: string, rendered: string, file = 'the post'): Comparison {
  const a = parsePost(file, original);
  const b = parsePost('the rendered post', rendered);
  const front = compareFront(a.front, b.front);
  if (front) return { same: false, difference: front };
  return sameHtml(markdown.render(a.body), markdown.render(b.body));
}

export function compareFront(a: Record<string, unknown>, b: Record<string, unknown>): string | undefined {
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const va = JSON.stringify(a[key] ?? null);
    const vb = JSON.stringify(b[key] ?? null);
    if (va !== vb) return `front matter "${key}": ${va} in the post, ${vb} rendered`;
  }
  return undefined;
}

/** HTML with whitespace normalised: runs of white space as one space, none between tags, entities decoded. */
export function normaliseHtml(html: string): string {
  const named: Record<string, string> = {
    amp: '&',
    quot: '"',
    apos: "'",
    nbsp: '\u00a0',
    lt: '&lt;',
    gt: '>',
  };
  return html
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
        const c = String.fromCodePoint(code);
        return c === '<' ? '&lt;' : c === '&' ? '&amp;' : c;
      }
      const c = named[e.toLowerCase()];
      return c === undefined ? all : c === '&' ? '&amp;' : c;
    })
    .replace(/\s+/g, ' ')
    .replace(/\s*(<[^>]+>)\s*/g, '$1')
    .trim();
}

export function sameHtml(a: string, b: string): Comparison {
  const x = normaliseHtml(a);
  const y = normaliseHtml(b);
  if (x === y) return { same: true };
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  const around = (s: string) =>
    `${i > 40 ? '…' : ''}${s.slice(Math.max(0, i - 40), i + 60)}${i + 60 < s.length ? '…' : ''}`;
  return {
    same: false,
    difference: `the HTML parts at character ${i}: the post has "${around(x)}", the rendered post "${around(y)}"`,
  };
}
