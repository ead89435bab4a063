import MarkdownIt from 'markdown-it';
import { roundupSchema } from '../../src/domain/meetup';
import { formatProse, parseProse } from '../../src/domain/prose';
import { renderPost } from '../../src/render/render-post';
import { buildPostPreview } from '../../src/render/slack-preview';
import { proseMarkdown } from '../../src/render/words';
import { roundupJson } from '../support/fixtures';
import { NASTY } from '../support/nasty-inputs';

const md = new MarkdownIt({ html: true });
/** A paragraph's HTML without the <p> around it. */
const html = (source: string) =>
  md
    .render(proseMarkdown(source))
    .trim()
    .replace(/^<p>|<\/p>$/g, '');

describe('emphasis in prose', () => {
  it('is written in braces with Slack’s marks and read back the same', () => {
    const source =
      'A {*bold*} and {_italic_} and {~struck~} and {`code`} word, {*{_both_}*}, {*[a link](https://x.example/)*}';
    expect(parseProse(source)).toEqual([
      { kind: 'text', text: 'A ' },
      { kind: 'styled', style: 'bold', parts: [{ kind: 'text', text: 'bold' }] },
      { kind: 'text', text: ' and ' },
      { kind: 'styled', style: 'italic', parts: [{ kind: 'text', text: 'italic' }] },
      { kind: 'text', text: ' and ' },
      { kind: 'styled', style: 'strike', parts: [{ kind: 'text', text: 'struck' }] },
      { kind: 'text', text: ' and ' },
      { kind: 'code', text: 'code' },
      { kind: 'text', text: ' word, ' },
      {
        kind: 'styled',
        style: 'bold',
        parts: [{ kind: 'styled', style: 'italic', parts: [{ kind: 'text', text: 'both' }] }],
      },
      { kind: 'text', text: ', ' },
      {
        kind: 'styled',
        style: 'bold',
        parts: [{ kind: 'link', label: 'a link', url: 'https://x.example/' }],
      },
    ]);
    expect(formatProse(parseProse(source))).toBe(source);
  });

  it('renders as Markdown emphasis', () => {
    expect(proseMarkdown('A {*bold*} and {_italic_} and {~struck~} and {`code`}.')).toBe(
      'A **bold** and *italic* and ~~struck~~ and `code`.',
    );
    expect(html('in{*side*}words and {*{_both_}*}')).toBe(
      // Bold and italics together: `***both***`, which Markdown reads as both (in one order or the other).
      'in<strong>side</strong>words and <em><strong>both</strong></em>',
    );
  });

  it('keeps the spaces it holds outside the marks, where Markdown counts the emphasis', () => {
    expect(proseMarkdown('a{* bold *}b')).toBe('a **bold** b');
    expect(proseMarkdown('{*  *}')).toBe('  ');
  });

  it('fills placeholders inside emphasis', () => {
    expect(proseMarkdown('{*{who}*} spoke', { who: '[Ana](https://ana.example/)' })).toBe(
      '**[Ana](https://ana.example/)** spoke',
    );
  });

  it('leaves what only looks like emphasis as typed: unclosed, empty, over two lines, or marks on their own', () => {
    for (const typed of [
      '{*not closed',
      '{**}',
      '{*two\nlines*}',
      '5 * 3 * 2',
      'snake_case_name',
      '~/dir',
      '{ *spaced* }',
    ]) {
      expect(parseProse(typed).every((p) => p.kind === 'text')).toBe(true);
      expect(md.render(proseMarkdown(typed)).replace(/<\/?p>|\n/g, '')).toBe(
        md.utils.escapeHtml(typed.replace(/\n/g, '')),
      );
    }
  });

  it('shows what is typed inside emphasis as typed: markup, Liquid and HTML included', () => {
    expect(html('{*2 * 3 _ 4 [x] {{ page.title }} <b>hi</b>*}')).toBe(
      '<strong>2 * 3 _ 4 [x] {{ page.title }} &lt;b&gt;hi&lt;/b&gt;</strong>',
    );
    expect(proseMarkdown('{*{{ page.title }}*}')).not.toMatch(/\{\{/);
  });

  it('writes code as typed, keeping Liquid in it from running', () => {
    expect(proseMarkdown('{`a <b> *c*`}')).toBe('`a <b> *c*`');
    expect(html('{`a <b> *c*`}')).toBe('<code>a &lt;b&gt; *c*</code>');
    expect(proseMarkdown('{`{{ site.x }}`}')).toBe('{% raw %}`{{ site.x }}`{% endraw %}');
    expect(proseMarkdown('{`{% endraw %}{{ x }}`}')).toBe('`{ % endraw %}{ { x }}`');
    expect(proseMarkdown('{`a`b`}')).toBe('``a`b``');
    expect(proseMarkdown('{``start`}')).toBe('`` `start ``');
    expect(html('{``start`}')).toBe('<code>`start</code>');
  });

  it('writes code no span can hold safely as escaped text', () => {
    expect(proseMarkdown('{`ps | grep x`}')).toBe('ps \\| grep x');
    expect(proseMarkdown('{`a``b`}')).toBe('a\\`\\`b');
    expect(proseMarkdown('{`$$x$$`}')).toBe('\\$\\$x\\$\\$');
  });

  it('at the start of a line, starts no list, heading or code block', () => {
    expect(proseMarkdown('Intro\n{`# not a heading`}\n    {*indented*}')).toBe(
      'Intro\n`# not a heading`\n**indented**',
    );
    expect(proseMarkdown('{`- item`}')).toBe('`- item`');
  });
});

describe('emphasis in a rendered post', () => {
  const json = roundupJson('2018-11-cloud-native-london');
  json.meetup.intro = 'We had {*three*} talks, {_all_} of them {~short~} long: {`kubectl apply`}.';
  json.meetup.extras = ['{*Thanks*} to {{ page.title }} and {% include x %}'];
  const talk = (json.meetup.talks as Array<Record<string, unknown>>)[0] as Record<string, unknown>;
  talk.takeaways = [
    { text: 'Use {*[probes](https://k8s.example/probes)*}', items: ['{_not_} {x} as typed'] },
  ];
  const post = renderPost(roundupSchema.parse(json)).content;

  it('carries the emphasis into the Markdown of the post, takeaways included', () => {
    expect(post).toContain('We had **three** talks, *all* of them ~~short~~ long: `kubectl apply`.');
    expect(post).toContain('**Thanks** to &#123;&#123; page.title }} and &#123;% include x %}');
    expect(post).toContain('* Use **[probes](https://k8s.example/probes)**\n  - *not* &#123;x} as typed');
    expect(post).not.toMatch(/\{\{|\{%/);
  });

  it('previews it in Slack as mrkdwn emphasis', () => {
    const preview = JSON.stringify(buildPostPreview(post));
    expect(preview).toContain('We had *three* talks, _all_ of them ~short~ long: `kubectl apply`.');
    expect(preview).toContain('Use *<https://k8s.example/probes|probes>*');
  });
});

describe('text typed before emphasis existed', () => {
  it.each(NASTY)('renders as it did: %s', (input) => {
    expect(parseProse(input).some((p) => p.kind === 'styled' || p.kind === 'code')).toBe(false);
  });
});

describe('emphasis over many odd texts', () => {
  let seed = 4242;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const PIECES = [
    'a',
    ' ',
    '\n',
    '{',
    '}',
    '%',
    '*',
    '_',
    '~',
    '`',
    '{*',
    '*}',
    '{_',
    '_}',
    '{~',
    '~}',
    '{`',
    '`}',
    '<b>',
    '<script>',
    '</script>',
    '<!--',
    '{{',
    '}}',
    '{%',
    '%}',
    'endraw',
    '[x](https://x.example/)',
    '#',
    '|',
    '$$',
  ];
  const texts = Array.from({ length: 2000 }, () =>
    Array.from(
      { length: 1 + Math.floor(next() * 10) },
      () => PIECES[Math.floor(next() * PIECES.length)],
    ).join(''),
  );

  it('never leaves Liquid to run or HTML to pass', () => {
    for (const t of texts) {
      const out = proseMarkdown(t);
      // What `{% raw %}` holds is shown as typed by Jekyll; outside it no `{{` or `{%` may remain.
      const outside = out.replace(/\{% raw %\}[\s\S]*?\{% endraw %\}/g, '');
      expect([t, outside]).not.toEqual([t, expect.stringMatching(/\{\{|\{%/)]);
      expect([t, md.render(out)]).not.toEqual([t, expect.stringMatching(/<(script|b|!--)[\s>]/)]);
    }
  });
});

describe('a `!` before a link', () => {
  it('stays a `!` rather than making the link an image', () => {
    expect(proseMarkdown('Wow![x](https://x.example/a.png)')).toBe('Wow\\![x](https://x.example/a.png)');
    expect(proseMarkdown('Wow!{titleLink}', { titleLink: '[Talk](https://x.example/)' })).toBe(
      'Wow\\![Talk](https://x.example/)',
    );
    expect(html('a\\\\![x](https://x.example/a.png)')).toBe('a\\\\!<a href="https://x.example/a.png">x</a>');
  });
});

describe('placeholders inside emphasis', () => {
  it('are checked like any other', () => {
    const json = roundupJson('2018-11-cloud-native-london');
    json.meetup.intro = 'A {*{nope}*} night';
    const checked = roundupSchema.safeParse(json);
    expect(checked.error?.issues.map((i) => i.message).join('\n')).toContain(
      'uses {nope}, which is not a placeholder here',
    );
  });
});
