import fs from 'node:fs';
import path from 'node:path';
import type { RichTextBlock, RichTextElement, RichTextList, RichTextSection } from '@slack/types';
import { WebClient } from '@slack/web-api';
import MarkdownIt from 'markdown-it';
import { type Roundup, roundupSchema, type Takeaway } from '../../../src/domain/meetup';
import { renderPost } from '../../../src/render/render-post';
import { buildPostPreview } from '../../../src/render/slack-preview';
import {
  proseToRichText,
  readRichText,
  richTextInput,
  richTextToProse,
  richTextToTakeaways,
  takeawaysToRichText,
} from '../../../src/slack/views/rich-text';
import { FakeSlack } from '../../support/fake-slack';
import { FIXTURES, loadRoundup, REPO, roundupJson } from '../../support/fixtures';

const text = (t: string, style?: RichTextElement['style']): RichTextElement =>
  style ? { type: 'text', text: t, style } : { type: 'text', text: t };
const section = (...elements: RichTextElement[]): RichTextSection => ({
  type: 'rich_text_section',
  elements,
});
const rich = (...elements: RichTextBlock['elements']): RichTextBlock => ({ type: 'rich_text', elements });
const bullets = (indent: number, ...items: RichTextSection[]): RichTextList => ({
  type: 'rich_text_list',
  style: 'bullet',
  ...(indent > 0 ? { indent } : {}),
  elements: items,
});
const leaf = (t: string): Takeaway => ({ text: t, items: [] });

function takeawaysOf(value: RichTextBlock, names?: Record<string, string>): Takeaway[] {
  const result = richTextToTakeaways(value, { names });
  if (!result.ok) throw new Error(`expected takeaways, got: ${result.error}`);
  return result.items;
}

/** What an organiser might type in Slack's rich text box, all of it at once. */
const TYPED = rich(
  section(
    text('Thanks to '),
    { type: 'user', user_id: 'U0HOST' },
    text(' and '),
    { type: 'user', user_id: 'U0NOBODY' },
    text(' for hosting! '),
    { type: 'broadcast', range: 'here' },
    text(' see '),
    { type: 'channel', channel_id: 'C0GENERAL' },
    text(' '),
    { type: 'emoji', name: 'tada', unicode: '1f389' },
    text('\n\n'),
    text('Bold', { bold: true }),
    text(', '),
    text('italic', { italic: true }),
    text(', '),
    text('gone', { strike: true }),
    text(', '),
    text('kubectl get pods', { code: true }),
    text(' and '),
    { type: 'link', url: 'https://slides.example/talk?a=1&b=2', text: 'the slides', style: { bold: true } },
    text('. Typed: {% include x %} and {{ page.title }} and <script>alert(1)</script> and 2 * 3 _ 4.'),
  ),
);

describe('rich text to prose', () => {
  it('keeps paragraphs, emphasis and web links, and turns mentions into words that cannot ping', () => {
    const prose = richTextToProse(TYPED, {
      names: { U0HOST: 'Dominique Top' },
      channels: { C0GENERAL: 'general' },
    });
    expect(prose).toBe(
      'Thanks to Dominique Top and @\u200Bsomeone for hosting! @\u200Bhere see #general 🎉\n\n' +
        '{*Bold*}, {_italic_}, {~gone~}, {`kubectl get pods`} and {*[the slides](https://slides.example/talk?a=1&b=2)*}. ' +
        'Typed: {% include x %} and {{ page.title }} and <script>alert(1)</script> and 2 * 3 _ 4.',
    );
  });

  it('names an unknown channel and an emoji without unicode in words, and drops links that are not web pages', () => {
    const prose = richTextToProse(
      rich(
        section(
          { type: 'channel', channel_id: 'C0SECRET' },
          text(' '),
          { type: 'emoji', name: 'party-parrot' },
          text(' '),
          { type: 'broadcast', range: 'channel' },
          text(' '),
          { type: 'broadcast', range: 'everyone' },
          text(' '),
          { type: 'usergroup', usergroup_id: 'S0ORGS' },
          text(' '),
          { type: 'link', url: 'mailto:someone@example.com', text: 'write to us' },
          text(' '),
          { type: 'link', url: 'javascript:alert(1)' },
          text(' '),
          { type: 'link', url: 'https://en.example/wiki/Kubernetes_(software)' },
        ),
      ),
    );
    expect(prose).toBe(
      '#channel :party-parrot: @\u200Bchannel @\u200Beveryone @\u200Bgroup write to us javascript:alert(1) ' +
        '[https://en.example/wiki/Kubernetes_(software)](https://en.example/wiki/Kubernetes_%28software%29)',
    );
  });

  it('writes a list in a paragraph field as lines, nested ones indented, numbered ones numbered', () => {
    const value = rich(
      section(text('Three things:\n')),
      bullets(0, section(text('one')), section(text('two'))),
      bullets(1, section(text('two and a half', { italic: true }))),
      {
        type: 'rich_text_list',
        style: 'ordered',
        elements: [section(text('first')), section(text('second'))],
      },
      section(text('\nThat was all.')),
    );
    const prose = richTextToProse(value);
    expect(prose).toBe(
      'Three things:\n• one\n• two\n  • {_two and a half_}\n1. first\n2. second\n\nThat was all.',
    );
    expect(proseToRichText(prose)).toEqual(value);
  });

  it('keeps emphasis on one line and leaves out what would end it early', () => {
    const prose = richTextToProse(
      rich(
        section(
          text('two\nlines', { bold: true }),
          text(' '),
          text('a*}b', { bold: true }),
          text(' '),
          text('x`}y', { code: true }),
        ),
      ),
    );
    expect(prose).toBe('{*two*}\n{*lines*} a*}b x`}y');
  });

  it('reads a missing value as nothing', () => {
    expect(richTextToProse(undefined)).toBe('');
    expect(richTextToProse(null)).toBe('');
    expect(richTextToProse(rich())).toBe('');
  });
});

describe('prose to rich text and back', () => {
  it('opens the form with the same rich text it was saved from', () => {
    const prose = richTextToProse(TYPED, {
      names: { U0HOST: 'Dominique Top' },
      channels: { C0GENERAL: 'general' },
    });
    const reopened = proseToRichText(prose);
    expect(richTextToProse(reopened)).toBe(prose);
    // Mentions were saved as words: they come back as words, everything else as it was typed.
    const section0 = reopened.elements[0] as RichTextSection;
    expect(section0.elements).toContainEqual(text('Bold', { bold: true }));
    expect(section0.elements).toContainEqual(text('kubectl get pods', { code: true }));
    expect(section0.elements).toContainEqual({
      type: 'link',
      url: 'https://slides.example/talk?a=1&b=2',
      text: 'the slides',
      style: { bold: true },
    });
    expect(JSON.stringify(reopened)).not.toMatch(/"type":"(user|broadcast|channel)"/);
  });

  it('keeps a placeholder as typed, for the renderer to fill', () => {
    expect(proseToRichText('{Count} talks by {who}')).toEqual(rich(section(text('{Count} talks by {who}'))));
  });

  const roundups: Array<[string, Roundup]> = [
    ...fs
      .readdirSync(path.join(FIXTURES, 'roundups'))
      .filter((f) => f.endsWith('.json'))
      .map((f): [string, Roundup] => [f, loadRoundup(f.replace(/\.json$/, ''))]),
    ...fs
      .readdirSync(path.join(REPO, 'examples'))
      .filter((f) => f.endsWith('.json'))
      .map((f): [string, Roundup] => [
        `examples/${f}`,
        roundupSchema.parse(JSON.parse(fs.readFileSync(path.join(REPO, 'examples', f), 'utf8'))),
      ]),
  ];

  it.each(roundups)('round-trips every text and takeaway of %s', (_, roundup) => {
    const texts: string[] = [];
    const takeaways: Takeaway[][] = [];
    const walk = (value: unknown, key: string) => {
      if (typeof value === 'string') texts.push(value);
      else if (Array.isArray(value)) {
        if (key === 'takeaways') takeaways.push(value as Takeaway[]);
        for (const v of value) walk(v, '');
      } else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) walk(v, k);
      }
    };
    walk(roundup, '');
    expect(texts.length).toBeGreaterThan(20);
    expect(takeaways.flat().length).toBeGreaterThan(0);
    for (const t of texts) expect(richTextToProse(proseToRichText(t))).toBe(t);
    for (const items of takeaways) expect(takeawaysOf(takeawaysToRichText(items))).toEqual(items);
  });
});

describe('takeaways', () => {
  const nested = rich(
    bullets(0, section(text('Observability is '), text('not', { bold: true }), text(' monitoring'))),
    bullets(
      1,
      section(text('Logs')),
      section({ type: 'link', url: 'https://metrics.example/', text: 'Metrics' }),
    ),
    bullets(2, section(text('RED and USE', { code: true }))),
    bullets(
      0,
      section(text('Ask '), { type: 'user', user_id: 'U0SPEAKER' }, text(' about '), {
        type: 'broadcast',
        range: 'here',
      }),
    ),
  );
  const tree: Takeaway[] = [
    {
      text: 'Observability is {*not*} monitoring',
      items: [
        leaf('Logs'),
        { text: '[Metrics](https://metrics.example/)', items: [leaf('{`RED and USE`}')] },
      ],
    },
    leaf('Ask Ana Speaker about @\u200Bhere'),
  ];

  it('reads nested bullets by their indent, and writes them back the same', () => {
    expect(takeawaysOf(nested, { U0SPEAKER: 'Ana Speaker' })).toEqual(tree);
    const reopened = takeawaysToRichText(tree);
    expect(takeawaysOf(reopened)).toEqual(tree);
    expect(
      reopened.elements.map((l) => [(l as RichTextList).indent ?? 0, (l as RichTextList).elements.length]),
    ).toEqual([
      [0, 1],
      [1, 2],
      [2, 1],
      [0, 1],
    ]);
  });

  it('takes lines typed without bullets as takeaways, dropping a typed bullet', () => {
    expect(takeawaysOf(rich(section(text('- first\n• second\n\nthird'))))).toEqual([
      leaf('first'),
      leaf('second'),
      leaf('third'),
    ]);
  });

  it('nests a list indented too far one level under the item above it', () => {
    expect(takeawaysOf(rich(bullets(0, section(text('a'))), bullets(2, section(text('b')))))).toEqual([
      { text: 'a', items: [leaf('b')] },
    ]);
  });

  it('refuses a takeaway nested deeper than takeaways go, naming it', () => {
    const result = richTextToTakeaways(
      rich(
        bullets(0, section(text('one'))),
        bullets(1, section(text('two'))),
        bullets(2, section(text('three'))),
        bullets(3, section(text('four levels down'))),
      ),
    );
    expect(result).toEqual({
      ok: false,
      error: '"four levels down" is nested 4 levels deep; takeaways nest at most 3 levels.',
    });
  });
});

describe('what rich text becomes in the post and in its Slack preview', () => {
  const markdown = new MarkdownIt({ html: true });
  const json = roundupJson('2018-11-cloud-native-london');
  const prose = richTextToProse(TYPED, {
    names: { U0HOST: 'Dominique Top' },
    channels: { C0GENERAL: 'general' },
  });
  json.meetup.intro = prose;
  json.meetup.extras = [prose];
  const talk = (json.meetup.talks as Array<Record<string, unknown>>)[0] as Record<string, unknown>;
  const result = richTextToTakeaways(
    rich(
      bullets(0, section(text('Run '), text('{{ site.secret }}', { code: true }), text(' safely'))),
      bullets(1, section(text('<b>not bold</b> '), { type: 'broadcast', range: 'channel' })),
    ),
  );
  if (!result.ok) throw new Error(result.error);
  talk.takeaways = result.items;
  const post = renderPost(roundupSchema.parse(json)).content;
  const body = post.replace(/^---\n[\s\S]*?\n---\n/, '');
  const html = markdown.render(body);

  it('keeps the emphasis and links as Markdown', () => {
    expect(body).toContain(
      '**Bold**, *italic*, ~~gone~~, `kubectl get pods` and **[the slides](https://slides.example/talk?a=1&b=2)**',
    );
    expect(html).toContain('<strong>Bold</strong>, <em>italic</em>');
    expect(html).toContain('<code>kubectl get pods</code>');
    expect(html).toContain(
      '<strong><a href="https://slides.example/talk?a=1&amp;b=2">the slides</a></strong>',
    );
  });

  it('shows what was typed as typed and runs nothing', () => {
    expect(html).toContain(
      'Typed: {% include x %} and {{ page.title }} and &lt;script&gt;alert(1)&lt;/script&gt; and 2 * 3 _ 4.',
    );
    expect(html).not.toMatch(/<(script|b)[\s>]/);
    // The only Liquid left is the `{% raw %}` that keeps the code's braces from running.
    expect(body.replace(/\{% raw %\}`\{\{ site\.secret \}\}`\{% endraw %\}/g, '')).not.toMatch(/\{\{|\{%/);
    expect(body).toContain(
      '* Run {% raw %}`{{ site.secret }}`{% endraw %} safely\n  - &lt;b>not bold&lt;/b> @\u200Bchannel',
    );
  });

  it('previews in Slack with the emphasis and without a ping', () => {
    const preview = JSON.stringify(buildPostPreview(post));
    expect(preview).toContain('*Bold*, _italic_, ~gone~, `kubectl get pods`');
    expect(preview).not.toMatch(/<@U|<!here|<!channel|<!everyone|<!subteam/);
    expect(preview).not.toMatch(/(^|[^\u200B])@(here|channel|everyone)\b/);
    expect(preview).toContain('&lt;script&gt;');
  });
});

describe('round trips over many odd texts', () => {
  // A fixed pseudo-random sequence: the same texts on every run.
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const PIECES = [
    'a',
    'word',
    ' ',
    '\n',
    '\n\n',
    '{',
    '}',
    '*',
    '_',
    '~',
    '`',
    '[',
    ']',
    '(',
    ')',
    '{*',
    '*}',
    '{_',
    '_}',
    '{~',
    '~}',
    '{`',
    '`}',
    '{who}',
    '[x](https://x.example/)',
    '• ',
    '  • ',
    '1. ',
    '> ',
    '#',
    '<',
    '&',
    '@here',
    '\\',
  ];
  const texts = Array.from({ length: 2000 }, () =>
    Array.from(
      { length: 1 + Math.floor(next() * 12) },
      () => PIECES[Math.floor(next() * PIECES.length)],
    ).join(''),
  )
    // As a text field keeps it: no spaces at line ends, no blank lines around it.
    .map((t) =>
      t
        .split('\n')
        .map((l) => l.trimEnd())
        .join('\n')
        .replace(/^\n+|\n+$/g, ''),
    )
    .filter((t) => t !== '');

  it('prose to rich text and back gives the same prose', () => {
    for (const t of texts) expect([t, richTextToProse(proseToRichText(t))]).toEqual([t, t]);
  });

  it('rich text made from prose is rich text the fake Slack accepts the shape of', () => {
    for (const t of texts) {
      for (const block of proseToRichText(t).elements) {
        const inline =
          block.type === 'rich_text_list' ? block.elements.flatMap((s) => s.elements) : block.elements;
        for (const e of inline) if (e.type === 'text') expect(e.text).not.toBe('');
      }
    }
  });
});

describe('the rich text input', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await FakeSlack.start();
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('opens in a modal with the saved prose as its rich text, and reads back what was submitted', async () => {
    const client = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    const prose = 'We had {*three*} talks:\n• one\n  • {`two`}\n\nSee [the slides](https://slides.example/).';
    const block = richTextInput('meetup_intro', 'Intro', { initial: proseToRichText(prose), optional: true });
    const opened = await client.views.open({
      trigger_id: fake.issueTriggerId(),
      view: {
        type: 'modal',
        callback_id: 'x',
        title: { type: 'plain_text', text: 'Roundup' },
        submit: { type: 'plain_text', text: 'Save' },
        blocks: [block, richTextInput('meetup_extra', 'Extra', { initial: proseToRichText('') })],
      },
    });
    expect(opened.ok).toBe(true);
    const element = block.element as { action_id: string; initial_value?: RichTextBlock };
    const values = {
      meetup_intro: {
        [element.action_id]: { type: 'rich_text_input', rich_text_value: element.initial_value },
      },
      meetup_extra: { meetup_extra_input: { type: 'rich_text_input', rich_text_value: rich() } },
    } as never;
    expect(richTextToProse(readRichText(values, 'meetup_intro'))).toBe(prose);
    expect(readRichText(values, 'meetup_extra')).toBeUndefined();
    expect(readRichText(values, 'missing')).toBeUndefined();
  });
});
