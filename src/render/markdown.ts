/**
 * Turning what people typed into Markdown that reads back as exactly what they typed, under CommonMark and
 * under Jekyll (kramdown with GFM input, after Liquid has run over the page). Ordinary text comes out
 * unchanged; only characters that would start markup are escaped.
 */

/** Characters that start inline markup anywhere in a line, and their escaped form. */
const INLINE: Record<string, string> = {
  '\\': '\\\\',
  '`': '\\`',
  '*': '\\*',
  _: '\\_',
  '[': '\\[',
  ']': '\\]',
  '|': '\\|', // kramdown and GFM tables
  '~': '\\~', // GFM strikethrough
  '<': '&lt;', // raw HTML, autolinks, comments
  '{': '&#123;', // Liquid `{{ }}` and `{% %}`, kramdown `{: }` and `{:: }`: an entity, so no `{` survives
};

/** Escape one line or a block of lines of plain text for use inside a paragraph or list item. */
export function escapeText(text: string): string {
  return text
    .split('\n')
    .map((line) => escapeLineStart(escapeInline(line.trim())))
    .join('\n');
}

/** Escape markup that counts anywhere in a line. */
export function escapeInline(line: string): string {
  // One pass, so that the entities written for `<` and `{` are not escaped again as ampersands.
  return line.replace(/\$\$|&(?=#?[A-Za-z0-9]+;)|[\\`*_[\]|~<{]/g, (c) => {
    if (c === '$$') return '\\$\\$'; // kramdown maths
    if (c === '&') return '&amp;'; // "&copy;" typed stays "&copy;", not ©
    return INLINE[c] ?? c;
  });
}

/** Block markup that only counts at the start of a line: headings, quotes, lists, rules, definitions. */
export function escapeLineStart(line: string): string {
  if (/^[#>+\-=:]/.test(line)) return `\\${line}`;
  return line.replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

/** Make a URL safe as a Markdown link destination without changing where it points. */
export function escapeUrl(url: string): string {
  return url.replace(
    /[\s()<>{}"\\`|^[\]]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

export function link(label: string, url: string): string {
  return `[${escapeText(label)}](${escapeUrl(url)})`;
}

export function image(alt: string, src: string): string {
  return `![${escapeText(alt)}](${escapeUrl(src)})`;
}

/**
 * The organiser's own Markdown, kept as Markdown (emphasis, links, images, lists, code), with what could run
 * or break out of the page made to show as typed: raw HTML (`<b>`, `<script>`, comments) is written as
 * text, an autolink `<https://...>` becomes a link, and Liquid's `{{ }}` / `{% %}` and kramdown's `{: }` /
 * `{:: }` lose their opening brace to an entity, so Jekyll runs nothing and kramdown adds no attribute.
 * Code (fenced blocks and `spans`) is left as written, since kramdown shows it as text; only Liquid, which
 * Jekyll runs before kramdown sees the page, is kept from it with `{% raw %}`.
 */
export function sanitiseMarkdown(markdown: string): string {
  // Only code kramdown surely reads as code is left as written: a fence at the start or after a blank line
  // and closed, or a span not after a backslash and within one paragraph. Anything else is text, and made
  // safe as text (at worst a `<` in it shows as `&lt;`).
  const CODE =
    /(^|\n[ \t]*\n)(```|~~~)[^\n`]*\n[\s\S]*?\n\2[ \t]*(?=\n|$)|(?<![\\`])(`+)(?!`)((?:(?!\n[ \t]*\n)[^`])(?:(?!\n[ \t]*\n)[\s\S])*?)(?<!`)\3(?!`)/g;
  let out = '';
  let last = 0;
  for (const m of markdown.matchAll(CODE)) {
    const at = m.index ?? 0;
    const lead = m[1] ?? '';
    out +=
      sanitiseText(markdown.slice(last, at)) + lead + rawCode(m[0].slice(lead.length), m[2] !== undefined);
    last = at + m[0].length;
  }
  return out + sanitiseText(markdown.slice(last));
}

function sanitiseText(markdown: string): string {
  return markdown
    .replace(
      /<((?:https?|mailto):[^\s<>]+)>/gi,
      (_, url: string) => `[${escapeInline(url)}](${escapeUrl(url)})`,
    )
    .replace(/<(?=[A-Za-z/!?])/g, '&lt;')
    .replace(/\{(?=[{%:])/g, '&#123;')
    .replace(/\$\$/g, '\\$\\$');
}

/** Code with Liquid in it, wrapped so that Jekyll passes it through; code that names `endraw` loses its braces. */
function rawCode(code: string, fenced: boolean): string {
  if (!/\{[{%]/.test(code)) return code;
  if (/endraw/i.test(code)) return code.replace(/\{(?=[{%])/g, '{ ');
  return fenced ? `{% raw %}\n${code}\n{% endraw %}` : `{% raw %}${code}{% endraw %}`;
}

/** A YAML double-quoted scalar (JSON strings are valid YAML), for front matter. */
export function yamlString(value: string): string {
  return JSON.stringify(value).replace(
    /[\u0085\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
