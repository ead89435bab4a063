import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { KnownBlock } from '@slack/types';
import { buildPostPreview, type PreviewMessage, type PreviewOptions } from '../../src/render/slack-preview';

const POSTS_DIR = join(__dirname, '..', 'fixtures', 'posts');
const POSTS = readdirSync(POSTS_DIR)
  .filter((f) => f.endsWith('.md'))
  .sort();

function readPost(name: string): string {
  return readFileSync(join(POSTS_DIR, name), 'utf8');
}

function bodyOf(post: string): string {
  return post.replace(/^---\n[\s\S]*?\n---\n/, '');
}

function blocksOf(messages: PreviewMessage[]): KnownBlock[] {
  return messages.flatMap((m) => m.blocks);
}

/** Every piece of text a block shows (image blocks: what they point at and their alt text). */
function textOf(block: KnownBlock): string {
  switch (block.type) {
    case 'header':
      return block.text.text;
    case 'section':
      return block.text?.text ?? '';
    case 'context':
      return block.elements.map((e) => ('text' in e ? e.text : '')).join('\n');
    case 'image':
      return `${'image_url' in block ? block.image_url : ''} ${block.alt_text}`;
    default:
      return '';
  }
}

function allText(messages: PreviewMessage[]): string {
  return blocksOf(messages).map(textOf).join('\n');
}

function sectionTexts(messages: PreviewMessage[]): string[] {
  return blocksOf(messages).flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));
}

function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack's limits, checked on every message the preview makes. */
function expectWithinSlackLimits(messages: PreviewMessage[], maxBlocks = 50): void {
  expect(messages.length).toBeGreaterThan(0);
  for (const message of messages) {
    expect(message.blocks.length).toBeGreaterThan(0);
    expect(message.blocks.length).toBeLessThanOrEqual(maxBlocks);
    for (const block of message.blocks) {
      if (block.type === 'header') {
        expect(block.text.text.length).toBeGreaterThan(0);
        expect(block.text.text.length).toBeLessThanOrEqual(150);
      }
      if (block.type === 'section') {
        expect(block.text?.text.length).toBeGreaterThan(0);
        expect(block.text?.text.length).toBeLessThanOrEqual(3000);
      }
      if (block.type === 'context') {
        for (const e of block.elements) if ('text' in e) expect(e.text.length).toBeLessThanOrEqual(3000);
      }
    }
  }
}

/** Link URLs of the post, in order (not images). */
function linkUrls(body: string): string[] {
  return [...body.matchAll(/(?<!!)\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1] as string);
}

function imagesOf(body: string): { alt: string; src: string }[] {
  return [...body.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)].map((m) => ({
    alt: m[1] as string,
    src: m[2] as string,
  }));
}

/** List items as the preview should show them: `• text` at the top, `    ◦ text` one level in. */
function expectedBulletLines(body: string): string[] {
  return [...body.matchAll(/^( *)[*-] +(.+?) *$/gm)].map((m) => {
    const marker = (m[1] as string).length > 0 ? '    ◦ ' : '• ';
    const text = escapeMrkdwn(m[2] as string).replace(/\[([^\]]*)\]\(([^)\s]+)\)/g, '<$2|$1>');
    return marker + text;
  });
}

const fakeImageFor = (src: string) => {
  if (src.startsWith('/images/')) return { slackFileId: `F_${basename(src)}` };
  if (src.startsWith('https://')) return { imageUrl: `${src}?shown` };
  return undefined;
};

describe.each(POSTS)('buildPostPreview on the real post %s', (name) => {
  const post = readPost(name);
  const body = bodyOf(post);
  const title = /^title: "(.*)"$/m.exec(post)?.[1] as string;
  const messages = buildPostPreview(post, { imageFor: fakeImageFor });
  const text = allText(messages);

  it('fits in one message, opening with the title as a header', () => {
    expect(title).toBeTruthy();
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toBe(escapeMrkdwn(title));
    expect(messages[0]?.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: title, emoji: true },
    });
  });

  it('stays within Slack limits', () => {
    expectWithinSlackLimits(messages);
  });

  it('shows every link of the post as a Slack link, in order', () => {
    const urls = linkUrls(body);
    expect(urls.length).toBeGreaterThan(0);
    let from = 0;
    for (const url of urls) {
      const at = text.indexOf(`<${url}|`, from);
      expect({ url, found: at >= 0 }).toEqual({ url, found: true });
      from = at + 1;
    }
  });

  it('shows every bullet, as its own line with a bullet marker', () => {
    const expected = expectedBulletLines(body);
    expect(expected.length).toBeGreaterThan(0);
    const lines = sectionTexts(messages).flatMap((t) => t.split('\n'));
    for (const line of expected) expect(lines).toContain(line);
  });

  it('maps every image through imageFor, in order, into an image block', () => {
    const images = imagesOf(body);
    expect(images.length).toBeGreaterThan(0);
    const imageFor = jest.fn(fakeImageFor);
    const withImages = buildPostPreview(post, { imageFor });
    expect(imageFor.mock.calls.map((c) => c[0])).toEqual(images.map((i) => i.src));
    const imageBlocks = blocksOf(withImages).filter((b) => b.type === 'image');
    expect(imageBlocks).toEqual(
      images.map(({ alt, src }) =>
        src.startsWith('/images/')
          ? { type: 'image', slack_file: { id: `F_${basename(src)}` }, alt_text: alt || 'photo' }
          : { type: 'image', image_url: `${src}?shown`, alt_text: alt || 'photo' },
      ),
    );
  });

  it('by default shows http(s) images and names the site-relative ones in a context block', () => {
    const byDefault = buildPostPreview(post);
    const blocks = blocksOf(byDefault);
    for (const { alt, src } of imagesOf(body)) {
      if (src.startsWith('https://')) {
        expect(blocks).toContainEqual({ type: 'image', image_url: src, alt_text: alt || 'photo' });
      } else {
        const label = alt === '' ? '_no alt text_' : escapeMrkdwn(alt);
        expect(blocks).toContainEqual({
          type: 'context',
          elements: [{ type: 'mrkdwn', text: `Photo: ${label} (${src})` }],
        });
      }
    }
    expect(blocks.filter((b) => b.type === 'image' || b.type === 'context')).toHaveLength(
      imagesOf(body).length,
    );
  });

  it('makes the ## headings header blocks', () => {
    const headings = [...body.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]);
    expect(headings.length).toBeGreaterThan(0);
    const headers = blocksOf(messages).flatMap((b) => (b.type === 'header' ? [b.text.text] : []));
    expect(headers).toEqual([title, ...headings]);
  });
});

describe('buildPostPreview on details of the real posts', () => {
  it('nests the sub-list of the September post under its item', () => {
    const messages = buildPostPreview(readPost('2018-09-10-cloud-native-london-september-2018.md'));
    expect(sectionTexts(messages)).toContain(
      [
        '• Cloud Native platforms provide lots of options for securing workloads running on them. The wide range of configurable security options can be overwhelming.',
        '• Tools such as Host Intrusion/Abnormality detection can provide an additional layer of security for Cloud Native platforms. These tools can help:',
        '    ◦ Define what normal behavior.',
        '    ◦ Provide a mechanism for generating an audit trail',
        '    ◦ Provide data that can be correlated with other events',
        '• Container image scanning provides a "point in time" method for verifying that you\'re not shipping known vulnerabilities. You still need some form of protection at the Runtime level, which Falco can provide.',
      ].join('\n'),
    );
  });

  it('keeps soft line breaks as line breaks (the signature stays under its line)', () => {
    const messages = buildPostPreview(readPost('2018-09-10-cloud-native-london-september-2018.md'));
    expect(sectionTexts(messages)).toContain('See you in October!\nCheryl (@oicheryl)');
  });

  it('keeps a lazily continued line inside its list item (December post)', () => {
    const messages = buildPostPreview(readPost('2018-12-12-cloud-native-london-december-2018.md'));
    const list = sectionTexts(messages).find((t) => t.startsWith('• Spinnaker is the first'));
    expect(list).toMatch(
      /\n {2}See her slides <https:\/\/docs\.google\.com\/presentation\/d\/1nl0kG-jQ2M2BZvySbYwbUOrF9bd2EokNoA1r2XywTfM\/edit\|here>$/,
    );
  });

  it('keeps the text of a paragraph with an image in it and shows the image after it (February post)', () => {
    const messages = buildPostPreview(readPost('2021-02-03-cloud-native-london-february-2021.md'), {
      imageFor: fakeImageFor,
    });
    const blocks = blocksOf(messages);
    const at = blocks.findIndex(
      (b) => b.type === 'section' && b.text?.text === 'And before we close, a group photo from Rambly!',
    );
    expect(at).toBeGreaterThan(0);
    expect(blocks[at + 1]).toEqual({
      type: 'image',
      slack_file: { id: 'F_CNL_2021-02-03_Rambly.jpg' },
      alt_text: 'photo',
    });
  });
});

describe('buildPostPreview on large posts', () => {
  const frontMatter = (title: string) => `---\nlayout: post\ntitle: ${JSON.stringify(title)}\n---\n\n`;

  it('splits 120 paragraphs over several messages, in order, losing nothing', () => {
    const paragraphs = Array.from(
      { length: 120 },
      (_, i) => `Paragraph P${String(i + 1).padStart(3, '0')} says hello.`,
    );
    const messages = buildPostPreview(frontMatter('Huge') + paragraphs.join('\n\n'));
    expectWithinSlackLimits(messages);
    expect(messages.map((m) => m.text)).toEqual([
      'Huge (part 1 of 3)',
      'Huge (part 2 of 3)',
      'Huge (part 3 of 3)',
    ]);
    expect(messages.map((m) => m.blocks.length)).toEqual([50, 50, 21]);
    expect(sectionTexts(messages)).toEqual(paragraphs);
  });

  it('keeps every message within a smaller maxBlocks, and leaves no header alone at the foot of one', () => {
    const sections = Array.from(
      { length: 12 },
      (_, i) =>
        `## Part ${i}\n\nFirst of ${i}.\n\nSecond of ${i}.\n\n![photo ${i}](https://example.com/${i}.jpg)`,
    );
    const messages = buildPostPreview(frontMatter('Parts') + sections.join('\n\n'), { maxBlocks: 7 });
    expectWithinSlackLimits(messages, 7);
    expect(blocksOf(messages)).toHaveLength(1 + 12 * 4);
    for (const message of messages.slice(0, -1)) expect(message.blocks.at(-1)?.type).not.toBe('header');
    const headers = blocksOf(messages).flatMap((b) => (b.type === 'header' ? [b.text.text] : []));
    expect(headers).toEqual(['Parts', ...sections.map((_, i) => `Part ${i}`)]);
  });

  it('splits a 10,000-character paragraph into sections at word boundaries', () => {
    const words: string[] = [];
    while (words.join(' ').length < 10_000) words.push(`w${String(words.length).padStart(5, '0')}`);
    const messages = buildPostPreview(frontMatter('Long') + words.join(' '));
    expectWithinSlackLimits(messages);
    const sections = sectionTexts(messages);
    expect(sections.length).toBeGreaterThanOrEqual(4);
    for (const s of sections.slice(0, -1)) expect(s.length).toBeGreaterThan(2900);
    expect(sections.flatMap((s) => s.split(' '))).toEqual(words);
  });

  it('splits a 10,000-character word without losing a character', () => {
    const word = Array.from({ length: 10_000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
    const messages = buildPostPreview(frontMatter('Word') + word);
    expectWithinSlackLimits(messages);
    expect(sectionTexts(messages).join('')).toBe(word);
  });

  it('never splits inside a Slack link', () => {
    const links = Array.from(
      { length: 300 },
      (_, i) => `[the slides of talk ${i} at the meetup](https://example.com/page/${i}?q=${i})`,
    );
    const messages = buildPostPreview(frontMatter('Links') + links.join(', '));
    expectWithinSlackLimits(messages);
    const sections = sectionTexts(messages);
    expect(sections.length).toBeGreaterThan(1);
    for (const s of sections) expect(s).toMatch(/^(?:[^<>]|<[^<>]+>)*$/);
    const all = sections.join(' ');
    let from = 0;
    for (let i = 0; i < 300; i++) {
      const at = all.indexOf(
        `<https://example.com/page/${i}?q=${i}|the slides of talk ${i} at the meetup>`,
        from,
      );
      expect(at).toBeGreaterThanOrEqual(from);
      from = at;
    }
  });

  it('splits a long list between items, every piece still a list', () => {
    const items = Array.from({ length: 200 }, (_, i) => `Item ${i} has a takeaway worth a line of its own.`);
    const messages = buildPostPreview(frontMatter('List') + items.map((i) => `* ${i}`).join('\n'));
    expectWithinSlackLimits(messages);
    const sections = sectionTexts(messages);
    expect(sections.length).toBeGreaterThan(1);
    const lines = sections.flatMap((s) => s.split('\n'));
    expect(lines).toEqual(items.map((i) => `• ${i}`));
  });
});

describe('buildPostPreview on headings and escaping', () => {
  it('does not cut a 200-character title: it becomes a bold section', () => {
    const title = `A & B: ${'a very long title '.repeat(11)}`.trim();
    expect(title.length).toBeGreaterThan(150);
    const messages = buildPostPreview(`---\ntitle: ${JSON.stringify(title)}\n---\nBody.\n`);
    expectWithinSlackLimits(messages);
    expect(messages[0]?.text).toBe(escapeMrkdwn(title));
    expect(messages[0]?.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(title)}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: 'Body.' } },
    ]);
  });

  it('makes a heading over 150 characters a bold section, and one of 150 a header', () => {
    const long = 'x'.repeat(151);
    const exact = 'y'.repeat(150);
    const blocks = blocksOf(buildPostPreview(`## ${long}\n\n### ${exact}\n`));
    expect(blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: `*${long}*` } },
      { type: 'header', text: { type: 'plain_text', text: exact, emoji: true } },
    ]);
  });

  it('keeps the link of a heading: a bold section, as header blocks cannot hold links', () => {
    const blocks = blocksOf(buildPostPreview('## Watch [the video](https://youtu.be/x?t=1)\n'));
    expect(blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*Watch <https://youtu.be/x?t=1|the video>*' } },
    ]);
  });

  it('escapes &, < and > in text, so <script> shows as typed', () => {
    const post = [
      '---',
      'title: "Q&A <live>"',
      '---',
      '',
      'Tom & Jerry say <script>alert(1)</script> and 1 < 2 > 0 &amp; `a<b>&c`.',
      '',
      '<script>steal()</script>',
      '',
      '* a list item with <b>bold?</b> & more',
    ].join('\n');
    const messages = buildPostPreview(post);
    expect(messages[0]?.text).toBe('Q&amp;A &lt;live&gt;');
    expect(sectionTexts(messages)).toEqual([
      'Tom &amp; Jerry say &lt;script&gt;alert(1)&lt;/script&gt; and 1 &lt; 2 &gt; 0 &amp; `a&lt;b&gt;&amp;c`.',
      '&lt;script&gt;steal()&lt;/script&gt;',
      '• a list item with &lt;b&gt;bold?&lt;/b&gt; &amp; more',
    ]);
    // plain_text is shown as typed, so the header keeps the title as written
    expect(messages[0]?.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Q&A <live>', emoji: true },
    });
    for (const t of sectionTexts(messages)) expect(t).not.toMatch(/[<>]|&(?!amp;|lt;|gt;)/);
  });

  it('converts links, emphasis, strong and code to mrkdwn', () => {
    const messages = buildPostPreview(
      'Read **the slides** _now_ with `kubectl get` at [the site](https://x.example/a?b=1&c=2) or <https://auto.example>.\nNext line.',
    );
    expect(sectionTexts(messages)).toEqual([
      'Read *the slides* _now_ with `kubectl get` at <https://x.example/a?b=1&amp;c=2|the site> or <https://auto.example>.\nNext line.',
    ]);
  });

  it('numbers ordered lists and nests three levels', () => {
    const messages = buildPostPreview('3. three\n4. four\n   * in\n     - deeper\n');
    expect(sectionTexts(messages)).toEqual(['3. three\n4. four\n    ◦ in\n        ▪ deeper']);
  });

  it('rejects a maxBlocks that cannot hold a block', () => {
    const options: PreviewOptions = { maxBlocks: 0 };
    expect(() => buildPostPreview('Hello', options)).toThrow(RangeError);
  });
});
