import type { ContextBlock, HeaderBlock, ImageBlock, KnownBlock, SectionBlock } from '@slack/types';
import MarkdownIt from 'markdown-it';
import { parse as parseYaml } from 'yaml';
import { type ProsePart, type ProseStyle, parseProse } from '../domain/prose';

/**
 * A Slack Block Kit preview of a rendered Jekyll post, for the organisers to review before it is published.
 * Pure: the post text goes in, Slack messages come out. Nothing of the post is dropped: whatever does not fit
 * one block is split over several, and whatever does not fit one message is split over several messages.
 */

export interface PreviewMessage {
  /** The notification fallback: the post title (mrkdwn-escaped), with " (part i of n)" when split. */
  text: string;
  blocks: KnownBlock[];
}

export interface PreviewOptions {
  /**
   * Maps an image path/URL as written in the post (e.g. `/images/2018-11-07-x-1.jpeg` or `https://...`) to what
   * Slack can show: a public URL or a Slack file id; undefined when it cannot be shown. Default: http(s) URLs
   * shown as-is, site-relative paths not shown.
   */
  imageFor?: (src: string) => { imageUrl: string } | { slackFileId: string } | undefined;
  /** Per-message block limit, default 50 (Slack's limit). */
  maxBlocks?: number;
}

/**
 * The photo types an image block can show, whether by `image_url` or by `slack_file` (Slack's Block Kit
 * reference: png, jpg, jpeg and gif). A WebP in an image block gets the whole message refused.
 */
export const SLACK_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif']);

/** Slack's limits, in UTF-16 units (conservative: Slack counts characters). */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  headerText: 150,
  sectionText: 3000,
  contextText: 3000,
  altText: 2000,
} as const;

type Token = MarkdownIt.Token;

interface Node {
  token: Token;
  children: Node[];
}

interface ImageRef {
  src: string;
  alt: string;
}

/** A piece of the preview before it becomes blocks; sections may still be too long here. */
type Unit =
  | { kind: 'header'; plain: string; mrkdwn: string; hasLink: boolean }
  | { kind: 'section'; text: string; wrap?: [string, string] }
  | { kind: 'image'; image: ImageRef }
  | { kind: 'divider' };

// Strikethrough (`~~struck~~`, GFM's and kramdown's) is not CommonMark, but posts use it.
const md = new MarkdownIt('commonmark').enable('strikethrough');

const BULLETS = ['•', '◦', '▪'] as const;
const INDENT = '    ';

export function buildPostPreview(post: string, options: PreviewOptions = {}): PreviewMessage[] {
  const maxBlocks = options.maxBlocks ?? SLACK_LIMITS.blocksPerMessage;
  if (!Number.isInteger(maxBlocks) || maxBlocks < 1) {
    throw new RangeError(`maxBlocks must be a whole number of at least 1, got ${maxBlocks}`);
  }
  const imageFor = options.imageFor ?? defaultImageFor;

  const { title, body } = splitFrontMatter(post);
  const units: Unit[] = [];
  if (title !== undefined && title.trim() !== '') {
    units.push({ kind: 'header', plain: title.trim(), mrkdwn: escapeMrkdwn(title.trim()), hasLink: false });
  }
  units.push(...blockUnits(toTree(md.parse(body, {}))));

  const blocks = units.flatMap((unit) => unitBlocks(unit, imageFor));
  if (blocks.length === 0) blocks.push(contextBlocks('_This post is empty._')[0] as ContextBlock);

  const pages = paginate(blocks, maxBlocks);
  const name = title?.trim() ? escapeMrkdwn(title.trim()) : 'Post preview';
  return pages.map((page, i) => ({
    text: pages.length > 1 ? `${name} (part ${i + 1} of ${pages.length})` : name,
    blocks: page,
  }));
}

function defaultImageFor(src: string): { imageUrl: string } | undefined {
  return /^https?:\/\//i.test(src) ? { imageUrl: src } : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Front matter

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?---[ \t]*(?:\r?\n|$)/;

/** A post's title (from its front matter) and the body after the front matter. */
export function splitFrontMatter(post: string): { title: string | undefined; body: string } {
  const m = FRONT_MATTER.exec(post);
  if (!m) return { title: undefined, body: post };
  const data: unknown = parseYaml(m[1] ?? '');
  let title: string | undefined;
  if (data !== null && typeof data === 'object' && 'title' in data) {
    const raw = (data as { title: unknown }).title;
    if (raw !== null && raw !== undefined) title = raw instanceof Date ? raw.toISOString() : String(raw);
  }
  return { title, body: post.slice(m[0].length) };
}

// ---------------------------------------------------------------------------------------------------------
// Markdown: markdown-it's flat token stream as a tree of blocks

function toTree(tokens: Token[]): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  for (const token of tokens) {
    const top = stack[stack.length - 1] ?? root;
    if (token.nesting === 1) {
      const node: Node = { token, children: [] };
      top.push(node);
      stack.push(node.children);
    } else if (token.nesting === -1) {
      if (stack.length > 1) stack.pop();
    } else {
      top.push({ token, children: [] });
    }
  }
  return root;
}

function inlineOf(node: Node): Token[] {
  const inline = node.children.find((c) => c.token.type === 'inline');
  return inline?.token.children ?? [];
}

/** Top-level blocks of the body. */
function blockUnits(nodes: Node[]): Unit[] {
  const units: Unit[] = [];
  for (const node of nodes) {
    const images: ImageRef[] = [];
    switch (node.token.type) {
      case 'heading_open': {
        const inline = inlineOf(node);
        const plain = plainText(inline).trim();
        const mrkdwn = renderInline(inline, images, { emphasis: false }).trim();
        const hasLink = inline.some((t) => t.type === 'link_open');
        if (plain !== '' || mrkdwn !== '') units.push({ kind: 'header', plain, mrkdwn, hasLink });
        break;
      }
      case 'paragraph_open': {
        const text = renderInline(inlineOf(node), images).trim();
        if (text !== '') units.push({ kind: 'section', text });
        break;
      }
      case 'fence':
      case 'code_block':
        units.push({ kind: 'section', text: codeText(node.token), wrap: ['```\n', '\n```'] });
        break;
      case 'hr':
        units.push({ kind: 'divider' });
        break;
      default: {
        const text = nestedText(node, images, 0);
        if (text.trim() !== '') units.push({ kind: 'section', text: trimBlankLines(text) });
      }
    }
    for (const image of images) units.push({ kind: 'image', image });
  }
  return units;
}

/** A block inside a list item or a quote (or any other top-level block) as mrkdwn text. */
function nestedText(node: Node, images: ImageRef[], depth: number): string {
  const { token } = node;
  switch (token.type) {
    case 'paragraph_open':
      return renderInline(inlineOf(node), images).trim();
    case 'heading_open': {
      const text = renderInline(inlineOf(node), images, { emphasis: false }).trim();
      return text === '' ? '' : `*${text}*`;
    }
    case 'bullet_list_open':
    case 'ordered_list_open':
      return listLines(node, images, depth).join('\n');
    case 'blockquote_open':
      return node.children
        .map((c) => nestedText(c, images, 0))
        .filter((t) => t !== '')
        .join('\n')
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
    case 'fence':
    case 'code_block':
      return `\`\`\`\n${codeText(token)}\n\`\`\``;
    case 'hr':
      return '───';
    case 'html_block':
      return escapeMrkdwn(token.content.replace(/\n+$/, ''));
    case 'inline':
      return renderInline(token.children ?? [], images);
    default:
      if (node.children.length > 0) {
        return node.children
          .map((c) => nestedText(c, images, depth))
          .filter((t) => t !== '')
          .join('\n');
      }
      return escapeMrkdwn(token.content);
  }
}

/** A (possibly nested) list as lines: `•` at the top, `    ◦` one level in, `        ▪` two levels in ... */
function listLines(list: Node, images: ImageRef[], depth: number): string[] {
  const ordered = list.token.type === 'ordered_list_open';
  const start = Number(list.token.attrGet('start') ?? 1) || 1;
  const indent = INDENT.repeat(depth);
  const lines: string[] = [];
  let index = 0;
  for (const item of list.children) {
    if (item.token.type !== 'list_item_open') continue;
    const marker = ordered ? `${start + index}.` : (BULLETS[depth % BULLETS.length] as string);
    const first = `${indent}${marker} `;
    const continuation = indent + ' '.repeat(marker.length + 1);
    let hasFirst = false;
    for (const child of item.children) {
      if (child.token.type === 'bullet_list_open' || child.token.type === 'ordered_list_open') {
        if (!hasFirst) {
          lines.push(first.trimEnd());
          hasFirst = true;
        }
        lines.push(...listLines(child, images, depth + 1));
        continue;
      }
      const text = nestedText(child, images, depth + 1);
      if (text === '') continue;
      for (const line of text.split('\n')) {
        lines.push(hasFirst ? `${continuation}${line}` : `${first}${line}`);
        hasFirst = true;
      }
    }
    if (!hasFirst) lines.push(first.trimEnd());
    index++;
  }
  return lines;
}

function codeText(token: Token): string {
  return escapeMrkdwn(token.content.replace(/\n$/, ''));
}

// ---------------------------------------------------------------------------------------------------------
// Inline Markdown -> Slack mrkdwn

/** Slack's required escapes for text in mrkdwn (and everywhere in message text). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const MRKDWN_MARKS: Record<ProseStyle, string> = { bold: '*', italic: '_', strike: '~' };

/**
 * An organiser's prose (a reminder's note) as Slack mrkdwn: emphasis, code and links kept, the rest escaped,
 * so that nothing in it can ping or turn into a link of Slack's own.
 */
export function proseMrkdwn(source: string): string {
  const parts = (list: readonly ProsePart[]): string =>
    list
      .map((part) => {
        switch (part.kind) {
          case 'text':
            return escapeMrkdwn(part.text);
          case 'placeholder':
            return escapeMrkdwn(`{${part.name}}`);
          case 'link':
            return `<${escapeUrl(part.url)}|${escapeMrkdwn(part.label).replace(/\|/g, '¦')}>`;
          case 'code':
            return `\`${escapeMrkdwn(part.text).replace(/`/g, 'ˋ')}\``;
          case 'styled': {
            const mark = MRKDWN_MARKS[part.style];
            const [, lead = '', core = '', trail = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(
              parts(part.parts),
            ) as RegExpExecArray;
            return core === '' ? lead + trail : `${lead}${mark}${core}${mark}${trail}`;
          }
        }
        return '';
      })
      .join('');
  return parts(parseProse(source));
}

function escapeUrl(url: string): string {
  return escapeMrkdwn(url).replace(/\|/g, '%7C');
}

/**
 * Soft line breaks become `\n`: Slack shows them, and the post's own line structure (a signature under
 * "See you soon!", a lazily continued list item) reads as the author wrote it.
 */
function renderInline(tokens: Token[], images: ImageRef[], opts: { emphasis: boolean } = { emphasis: true }) {
  let out = '';
  const links: { href: string; start: number }[] = [];
  for (const t of tokens) {
    switch (t.type) {
      case 'text':
        out += escapeMrkdwn(t.content);
        break;
      case 'softbreak':
      case 'hardbreak':
        out += '\n';
        break;
      case 'code_inline':
        out += `\`${escapeMrkdwn(t.content)}\``;
        break;
      case 'em_open':
      case 'em_close':
        if (opts.emphasis) out += '_';
        break;
      case 'strong_open':
      case 'strong_close':
        if (opts.emphasis) out += '*';
        break;
      case 's_open':
      case 's_close':
        if (opts.emphasis) out += '~';
        break;
      case 'link_open':
        links.push({ href: attr(t, 'href'), start: out.length });
        break;
      case 'link_close': {
        const link = links.pop();
        if (link) out = out.slice(0, link.start) + formatLink(link.href, out.slice(link.start));
        break;
      }
      case 'image':
        images.push({ src: attr(t, 'src'), alt: plainText(t.children ?? []).trim() });
        break;
      default:
        // html_inline and anything unknown: shown as typed.
        out += escapeMrkdwn(t.content);
    }
  }
  return out;
}

function attr(token: Token, name: string): string {
  const value = token.attrGet(name);
  return value === null ? '' : String(value);
}

function formatLink(href: string, label: string): string {
  const text = label.replace(/\s*\n\s*/g, ' ').trim();
  if (!/^[a-z][a-z0-9+.-]*:/i.test(href)) {
    // A site-relative link: Slack cannot follow it, so show where it points.
    return text === '' ? escapeMrkdwn(href) : `${text} (${escapeMrkdwn(href)})`;
  }
  const url = escapeUrl(href);
  return text === '' || text === escapeMrkdwn(href) ? `<${url}>` : `<${url}|${text}>`;
}

/** Inline tokens as plain text: for header blocks and alt text. */
function plainText(tokens: Token[]): string {
  let out = '';
  for (const t of tokens) {
    if (t.type === 'softbreak' || t.type === 'hardbreak') out += ' ';
    else if (t.type === 'image') out += plainText(t.children ?? []);
    else if (t.type === 'text' || t.type === 'code_inline' || t.type === 'html_inline') out += t.content;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Units -> blocks, within Slack's limits

function unitBlocks(unit: Unit, imageFor: NonNullable<PreviewOptions['imageFor']>): KnownBlock[] {
  switch (unit.kind) {
    case 'header':
      if (!unit.hasLink && unit.plain !== '' && unit.plain.length <= SLACK_LIMITS.headerText) {
        const header: HeaderBlock = {
          type: 'header',
          text: { type: 'plain_text', text: unit.plain, emoji: true },
        };
        return [header];
      }
      // Too long for a header (or it holds a link): a bold section, never a cut header.
      return sectionBlocks(unit.mrkdwn, ['*', '*']);
    case 'section':
      return sectionBlocks(unit.text, unit.wrap);
    case 'divider':
      return [{ type: 'divider' }];
    case 'image':
      return imageBlocks(unit.image, imageFor);
  }
}

function sectionBlocks(text: string, wrap: [string, string] = ['', '']): SectionBlock[] {
  const [before, after] = wrap;
  return splitText(text, SLACK_LIMITS.sectionText - before.length - after.length).map((chunk) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: `${before}${chunk}${after}` },
  }));
}

function contextBlocks(text: string): ContextBlock[] {
  return splitText(text, SLACK_LIMITS.contextText).map((chunk) => ({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: chunk }],
  }));
}

function imageBlocks(image: ImageRef, imageFor: NonNullable<PreviewOptions['imageFor']>): KnownBlock[] {
  const target = image.src === '' ? undefined : imageFor(image.src);
  const altFits = image.alt !== '' && image.alt.length <= SLACK_LIMITS.altText;
  const alt_text = altFits ? image.alt : 'photo';
  let block: ImageBlock | undefined;
  if (target && 'imageUrl' in target && target.imageUrl) {
    block = { type: 'image', image_url: target.imageUrl, alt_text };
  } else if (target && 'slackFileId' in target && target.slackFileId) {
    block = { type: 'image', slack_file: { id: target.slackFileId }, alt_text };
  }
  if (!block) return contextBlocks(photoLine(image.alt, image.src));
  // An alt text longer than Slack takes is shown in full under the photo rather than cut.
  return altFits || image.alt === ''
    ? [block]
    : [block, ...contextBlocks(`Photo: ${escapeMrkdwn(image.alt)}`)];
}

/** A photo named in words, with where it is: a link for a web address, the site path for a stored photo. */
function photoLine(alt: string, src: string): string {
  const what = alt === '' ? '_no alt text_' : escapeMrkdwn(alt);
  if (src === '') return `Photo: ${what}`;
  const where = /^https?:\/\//i.test(src) ? `<${escapeUrl(src)}>` : escapeMrkdwn(src);
  return `Photo: ${what} (${where})`;
}

/**
 * What an image block becomes when Slack cannot show its photo (a dead link, a file the bot may not show):
 * the photo as a line with its link, like a photo the preview never tried to show. Always one block for
 * one, so the message keeps its length and the blocks after it keep their places.
 */
export function photoAsLink(block: ImageBlock, src: string): ContextBlock {
  let text = photoLine(block.alt_text, src);
  // A link too long for the line (Slack takes image URLs of up to 3,000 characters): the words alone.
  if (text.length > SLACK_LIMITS.contextText) text = photoLine(block.alt_text.slice(0, 1000), '');
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

/**
 * Splits text into pieces of at most `max` characters, at a line break if there is one in reach, else at a
 * space, else anywhere; never inside a Slack link `<...>` or an escape `&amp;` if that can be helped, never
 * between the halves of a surrogate pair. The line break or space cut at is dropped; nothing else is.
 */
export function splitText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = findCut(rest, max);
    chunks.push(rest.slice(0, cut.at));
    rest = rest.slice(cut.at + cut.skip);
  }
  chunks.push(rest);
  return chunks.filter((c) => c.trim() !== '');
}

function findCut(text: string, max: number): { at: number; skip: number } {
  const protectedRanges: [number, number][] = [];
  for (const m of text.matchAll(/<[^<>\n]*>|&(?:amp|lt|gt);/g)) {
    const start = m.index ?? 0;
    if (start > max) break;
    protectedRanges.push([start, start + m[0].length]);
  }
  const inside = (p: number) => protectedRanges.some(([s, e]) => s < p && p < e);
  const separatorCut = (sep: string) => {
    for (let p = text.lastIndexOf(sep, max); p > 0; p = text.lastIndexOf(sep, p - 1)) {
      if (!inside(p) && !inside(p + 1)) return p;
    }
    return -1;
  };
  const nl = separatorCut('\n');
  if (nl > 0) return { at: nl, skip: 1 };
  const sp = separatorCut(' ');
  if (sp > 0) return { at: sp, skip: 1 };
  for (let p = max; p > 0; p--) {
    if (!inside(p) && !isLowSurrogate(text.charCodeAt(p))) return { at: p, skip: 0 };
  }
  return { at: isLowSurrogate(text.charCodeAt(max)) ? max - 1 : max, skip: 0 };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function trimBlankLines(text: string): string {
  return text.replace(/^(?:[ \t]*\n)+/, '').replace(/\s+$/, '');
}

/** Splits blocks into messages of at most `max`, without leaving a header alone at the foot of a message. */
function paginate(blocks: KnownBlock[], max: number): KnownBlock[][] {
  const pages: KnownBlock[][] = [];
  let i = 0;
  while (i < blocks.length) {
    let end = Math.min(i + max, blocks.length);
    if (end < blocks.length && end - i > 1 && blocks[end - 1]?.type === 'header') end--;
    pages.push(blocks.slice(i, end));
    i = end;
  }
  return pages;
}
