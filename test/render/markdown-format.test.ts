import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type Roundup, roundupSchema } from '../../src/domain/meetup';
import { sanitiseMarkdown } from '../../src/render/markdown';
import { renderPost } from '../../src/render/render-post';
import { makeTempFolder } from '../support/temp-db';

/**
 * The organiser's own Markdown (`textFormat: markdown`, what `roundup import` writes): emphasis, links and
 * images stay Markdown, while raw HTML, Liquid and kramdown's extensions still cannot act, built by the
 * real Jekyll.
 */
const JEKYLL = spawnSync('jekyll', ['--version'], { encoding: 'utf8' }).status === 0;
const EVIL =
  '{{ site.title }} and {% include evil.html %} and {{page.title}} and {:.red} and {::comment}x{:/}';
const HTML =
  '<script>alert(1)</script> and <b>bold</b> and <!-- comment --> and <img src=x onerror=alert(1)>';

function markdownMeetup(): Roundup {
  return roundupSchema.parse({
    group: {
      name: 'Cloud Native London',
      signature: 'Cheryl (@oicheryl)',
      location: 'London, UK',
      style: { frontMatter: ['layout', 'title', 'description', 'image', 'tags'], headerPhoto: 'front' },
    },
    meetup: {
      date: '2026-05-06',
      textFormat: 'markdown',
      postName: '2026-05-06-cloud-native-london-may-2026',
      description: `Speakers ${EVIL}`,
      headerPhoto: { path: '/images/2026-05-06-cloud-native-london-may-2026.jpeg' },
      intro: `**Two** speakers joined us, see [the page](https://example.org/a_b) and <https://example.org/c_d>. ${EVIL}`,
      sentences: { title: `Cloud Native London May 2026: ${EVIL}`, sponsors: `Thanks to ${HTML}` },
      talks: [
        {
          speakers: [{ name: 'Ada Lovelace', company: 'Analytical' }],
          title: 'Engines',
          lead: 'First up was {who} with *a talk*:',
          takeaways: [
            `_emphasis_ and [a link](https://example.org/x) and ${EVIL}`,
            { text: HTML, items: ['`code {{ x }}`'] },
          ],
          after: [`A paragraph after, ${EVIL}`],
        },
      ],
      extras: ['```\n<script>alert(1)</script> {{ site.title }} {% include evil.html %}\n```'],
      sections: [{ heading: `Offers ${EVIL}`, text: `Half price ${HTML}`, after: 'sponsors' }],
      photos: [{ role: 'group', path: '/images/group.jpeg', alt: '', caption: `Our group photo! ${EVIL}` }],
      next: { date: '2026-06-03', text: `Our next meetup ${EVIL} ${HTML}` },
    },
  });
}

describe('the organiser’s Markdown', () => {
  it('keeps Markdown and disarms raw HTML, Liquid and kramdown extensions', () => {
    expect(sanitiseMarkdown('**b** [l](https://x.org) ![](/i.jpeg)')).toBe(
      '**b** [l](https://x.org) ![](/i.jpeg)',
    );
    expect(sanitiseMarkdown('{{ x }} {% y %} {:.z} <b> <!-- c --> <https://x.org/a>')).toBe(
      '&#123;{ x }} &#123;% y %} &#123;:.z} &lt;b> &lt;!-- c --> [https://x.org/a](https://x.org/a)',
    );
    expect(sanitiseMarkdown('a `<b>` and\n\n```\n<i>{{ y }}</i>\n\nz\n```\nafter <b>')).toBe(
      'a `<b>` and\n\n{% raw %}\n```\n<i>{{ y }}</i>\n\nz\n```\n{% endraw %}\nafter &lt;b>',
    );
    // What kramdown might not read as code is made safe as text: an escaped backtick, a span over a blank
    // line, a fence that interrupts a paragraph and holds a blank line.
    expect(sanitiseMarkdown('\\`<script>\\`')).toBe('\\`&lt;script>\\`');
    expect(sanitiseMarkdown('`a\n\n<script>`')).toBe('`a\n\n&lt;script>`');
    expect(sanitiseMarkdown('text\n```\n<b>\n\n```')).toBe('text\n```\n&lt;b>\n\n```');
    expect(sanitiseMarkdown('`{% endraw %}{{ x }}`')).toBe('`{ % endraw %}{ { x }}`');
    const post = renderPost(markdownMeetup()).content;
    // Front matter is data (Jekyll shows it as typed); the body is what kramdown and Liquid read.
    const body = post.slice(post.indexOf('\n---\n', 4) + 5);
    // Code shows as written: Liquid in it is passed through by {% raw %}, the only Liquid in the post.
    expect(body).toContain('- {% raw %}`code {{ x }}`{% endraw %}');
    expect(body.replace(/\{% raw %\}[\s\S]*?\{% endraw %\}/g, '')).not.toMatch(
      /\{\{|\{%|\{:|<script|<b>|<img|<!--/,
    );
    expect(post).toContain('**Two** speakers joined us');
    expect(post).toContain('* _emphasis_ and [a link](https://example.org/x)');
    expect(post).toContain('Our group photo! ');
    expect(post).toContain('\n![](/images/group.jpeg)');
    expect(post).toMatch(
      /^---\nlayout: post\ntitle: ".*"\ndescription: ".*"\nimage: \/images\/2026-05-06-cloud-native-london-may-2026\.jpeg\ntags:\n {2}- Photos\n {2}- Meetup\n {2}- "2026"\nlocation: London, UK\n---\n/,
    );
    // The header photo is in the front matter only, as the style says.
    expect(post).not.toContain('![Cloud Native London May](');
  });

  (JEKYLL ? it : it.skip)('runs nothing and lets no HTML through when the real Jekyll builds it', () => {
    const folder = makeTempFolder();
    try {
      const src = path.join(folder.dir, 'src');
      fs.mkdirSync(path.join(src, '_layouts'), { recursive: true });
      fs.mkdirSync(path.join(src, '_posts'), { recursive: true });
      fs.writeFileSync(
        path.join(src, '_config.yml'),
        'title: SITE-TITLE-MUST-NOT-APPEAR\nmarkdown: kramdown\nkramdown:\n  input: GFM\n',
      );
      fs.writeFileSync(
        path.join(src, '_layouts', 'post.html'),
        '<main>{{ content }}</main>\n<desc>{{ page.description }}</desc>\n',
      );
      const post = renderPost(markdownMeetup());
      fs.writeFileSync(path.join(src, post.path), post.content);
      execFileSync(
        'jekyll',
        ['build', '--source', src, '--destination', path.join(folder.dir, 'out'), '--quiet'],
        {
          stdio: 'pipe',
          timeout: 120_000,
        },
      );
      const html = fs.readFileSync(
        path.join(folder.dir, 'out', '2026', '05', '06', 'cloud-native-london-may-2026.html'),
        'utf8',
      );
      const body = /<main>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';
      expect(html).not.toContain('SITE-TITLE-MUST-NOT-APPEAR');
      expect(body).not.toMatch(/<script|<b>|<img src="x"|<!--|class="red"/);
      expect(body).toContain('<strong>Two</strong>');
      expect(body).toContain('<em>emphasis</em>');
      expect(body).toContain('<a href="https://example.org/c_d">https://example.org/c_d</a>');
      expect(body).toContain('<img src="/images/group.jpeg" alt="" />');
      expect(body).toMatch(/<h2[^>]*>Offers/);
      expect(body).toContain('{{ site.title }} and {% include evil.html %}');
      expect(body).toMatch(/<code[^>]*>code \{\{ x \}\}<\/code>/);
      expect(body).toContain(
        '&lt;script&gt;alert(1)&lt;/script&gt; {{ site.title }} {% include evil.html %}',
      );
    } finally {
      folder.remove();
    }
  });
});
