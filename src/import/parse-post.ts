import { parseDocument } from 'yaml';

/**
 * A Jekyll post read as text: its front matter (YAML between `---` lines) and its Markdown body cut into
 * blocks the way kramdown would see them (headings, paragraphs, lists, images). Nothing is interpreted
 * here; `import-post.ts` decides what each block is in the model.
 */

export class PostError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}, line ${line}: ${reason}`);
    this.name = 'PostError';
  }
}

export interface PostSource {
  file: string;
  /** The front matter's values, and its keys in the order written. */
  front: Record<string, unknown>;
  frontKeys: string[];
  body: string;
  /** The line of the file the body starts at (1-based). */
  bodyLine: number;
}

/** Split a post into its front matter and body; a post without readable front matter is refused by line. */
export function parsePost(file: string, text: string): PostSource {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  if (lines[0]?.trim() !== '---') {
    throw new PostError(
      file,
      1,
      'does not start with front matter (a line "---"), so Jekyll would not treat it as a post',
    );
  }
  const end = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  if (end < 0) throw new PostError(file, 1, 'its front matter is never closed by a line "---"');
  const yaml = lines.slice(1, end).join('\n');
  const doc = parseDocument(yaml, { uniqueKeys: true, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0]?.line ?? 1;
    throw new PostError(file, at + 1, `its front matter is not valid YAML: ${error.message.split('\n')[0]}`);
  }
  const front = doc.toJS() ?? {};
  if (typeof front !== 'object' || Array.isArray(front)) {
    throw new PostError(file, 2, 'its front matter is not a set of keys and values');
  }
  return {
    file,
    front: front as Record<string, unknown>,
    frontKeys: Object.keys(front as object),
    body: lines.slice(end + 1).join('\n'),
    bodyLine: end + 2,
  };
}

export interface ImageRef {
  alt: string;
  src: string;
}

export type Block =
  | { kind: 'heading'; level: number; text: string; line: number }
  | { kind: 'paragraph'; text: string; line: number; image?: ImageRef }
  | { kind: 'image'; image: ImageRef; line: number }
  | { kind: 'list'; lines: string[]; line: number };

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const LIST_ITEM = /^(\s*)[*+-]\s+/;
const IMAGE_LINE = /^!\[([^\]]*)\]\(\s*([^\s)]+)\s*\)\s*$/;

/** The body's blocks in order. Blank lines end a block; a heading, a list or an image line starts one. */
export function bodyBlocks(body: string, firstLine = 1): Block[] {
  const blocks: Block[] = [];
  let para: { lines: string[]; line: number } | null = null;
  let list: { lines: string[]; line: number } | null = null;
  const endPara = () => {
    if (para) blocks.push({ kind: 'paragraph', text: para.lines.join('\n').trim(), line: para.line });
    para = null;
  };
  const endList = () => {
    if (list) blocks.push({ kind: 'list', lines: list.lines, line: list.line });
    list = null;
  };
  const lines = body.split('\n');
  let fence: { marker: string; lines: string[]; line: number } | null = null;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\s+$/, '');
    const at = firstLine + i;
    // A fenced code block is one block, blank lines and all, kept as written.
    if (fence) {
      fence.lines.push(raw);
      if (line.trim().startsWith(fence.marker)) {
        blocks.push({ kind: 'paragraph', text: fence.lines.join('\n'), line: fence.line });
        fence = null;
      }
      return;
    }
    const opens = /^\s{0,3}(```|~~~)/.exec(line);
    if (opens && !list) {
      endPara();
      fence = { marker: opens[1] ?? '```', lines: [raw], line: at };
      return;
    }
    if (line.trim() === '') {
      endPara();
      endList();
      return;
    }
    const heading = HEADING.exec(line);
    if (heading && !list) {
      endPara();
      blocks.push({ kind: 'heading', level: (heading[1] ?? '').length, text: heading[2] ?? '', line: at });
      return;
    }
    if (list) {
      // Items, their nested items, and lines run on without a blank line (kramdown reads those as part
      // of the item above) all stay in the list.
      list.lines.push(line);
      return;
    }
    if (LIST_ITEM.test(line) && !/^\s*[*+-]\s*$/.test(line) && !/^(\s*[*-]\s*){3,}$/.test(line)) {
      endPara();
      list = { lines: [line], line: at };
      return;
    }
    const image = IMAGE_LINE.exec(line.trim());
    if (image) {
      const ref = { alt: image[1] ?? '', src: image[2] ?? '' };
      if (para) {
        // An image line directly under a paragraph shares its <p>: the paragraph is its caption.
        const p: { lines: string[]; line: number } = para;
        blocks.push({ kind: 'paragraph', text: p.lines.join('\n').trim(), line: p.line, image: ref });
        para = null;
      } else blocks.push({ kind: 'image', image: ref, line: at });
      return;
    }
    if (!para) para = { lines: [], line: at };
    para.lines.push(line);
  });
  endPara();
  endList();
  const open = fence as { lines: string[]; line: number } | null;
  if (open) blocks.push({ kind: 'paragraph', text: open.lines.join('\n'), line: open.line });
  return blocks;
}
