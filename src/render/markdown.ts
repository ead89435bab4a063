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
 * The organiser's own Markdown, kept as Markdown (emphasis, links, images, lists), with what could run or
 * break out of the page made to show as typed: raw HTML (`<b>`, `<script>`, comments) is written as text,
 * an autolink `<https://...>` becomes a link, and Liquid's `{{ }}` / `{% %}` and kramdown's `{: }` /
 * `{:: }` lose their opening brace to an entity, so Jekyll runs nothing and kramdown adds no attribute.
 */
export function sanitiseMarkdown(markdown: string): string {
  return markdown
    .replace(
      /<((?:https?|mailto):[^\s<>]+)>/gi,
      (_, url: string) => `[${escapeInline(url)}](${escapeUrl(url)})`,
    )
    .replace(/<(?=[A-Za-z/!?])/g, '&lt;')
    .replace(/\{(?=[{%:])/g, '&#123;')
    .replace(/\$\$/g, '\\$\\$');
}

/** A YAML double-quoted scalar (JSON strings are valid YAML), for front matter. */
export function yamlString(value: string): string {
  return JSON.stringify(value).replace(
    /[\u0085\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
