import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { normaliseHtml } from '../../src/import/compare';
import { importSite } from '../../src/import/import-site';
import { renderPost } from '../../src/render/render-post';
import { FIXTURES } from '../support/fixtures';
import { makeTempFolder, type TempFolder } from '../support/temp-db';

/**
 * The proof, with the real Jekyll (Debian's package, installed by .ci/run): every post of the site and
 * roundup's render of its imported JSON are built side by side, and their pages compared: the HTML of the
 * body after whitespace normalisation, and every front-matter value as Jekyll read it.
 */
const JEKYLL = spawnSync('jekyll', ['--version'], { encoding: 'utf8' }).status === 0;
const SITE = path.join(FIXTURES, 'site');
const KEYS = ['layout', 'title', 'description', 'location', 'image', 'video', 'tags', 'redirect_from'];

describe('the site’s posts and their re-render, built by a real Jekyll', () => {
  let folder: TempFolder;
  const pages = new Map<string, { original: string; rendered: string }>();
  const imported = importSite(SITE);

  beforeAll(() => {
    if (!JEKYLL) return;
    folder = makeTempFolder();
    const src = path.join(folder.dir, 'src');
    fs.mkdirSync(path.join(src, '_layouts'), { recursive: true });
    fs.mkdirSync(path.join(src, '_posts'), { recursive: true });
    fs.writeFileSync(
      path.join(src, '_config.yml'),
      'title: SITE\nmarkdown: kramdown\nkramdown:\n  input: GFM\npermalink: /:year/:month/:day/:title.html\n',
    );
    const front = KEYS.map((k) => `"${k}": {{ page.${k} | jsonify }}`).join(', ');
    fs.writeFileSync(
      path.join(src, '_layouts', 'post.html'),
      `<front>{ ${front} }</front>\n<main>{{ content }}</main>\n`,
    );
    for (const post of imported.posts) {
      const base = path.basename(post.file, '.md');
      fs.copyFileSync(path.join(SITE, post.file), path.join(src, '_posts', `${base}.md`));
      const rendered = renderPost(post.roundup!);
      expect(rendered.path).toBe(post.file);
      fs.writeFileSync(path.join(src, '_posts', `${base}-rendered.md`), rendered.content);
    }
    execFileSync(
      'jekyll',
      ['build', '--source', src, '--destination', path.join(folder.dir, 'out'), '--quiet'],
      {
        stdio: 'pipe',
        timeout: 120_000,
      },
    );
    const html: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.html')) html.push(file);
      }
    };
    walk(path.join(folder.dir, 'out'));
    for (const post of imported.posts) {
      const title = path.basename(post.file, '.md').slice(11);
      const find = (name: string) => {
        const file = html.find((f) => path.basename(f) === `${name}.html`);
        if (!file) throw new Error(`jekyll wrote no page for ${name}`);
        return fs.readFileSync(file, 'utf8');
      };
      pages.set(post.file, { original: find(title), rendered: find(`${title}-rendered`) });
    }
  }, 150_000);

  afterAll(() => folder?.remove());

  it('is installed (.ci/run installs it; without it this test can only say so)', () => {
    if (!JEKYLL && process.env.CI)
      throw new Error('jekyll is not installed: .ci/run installs Debian’s jekyll package');
    if (!JEKYLL) console.warn('jekyll is not installed here, so the posts were not built; CI builds them');
    expect(imported.posts).toHaveLength(8);
  });

  const each = (JEKYLL ? it.each : it.skip.each)(fs.readdirSync(path.join(SITE, '_posts')).sort());
  each('%s: the same page', (name) => {
    const page = pages.get(`_posts/${name}`)!;
    const body = (html: string) => normaliseHtml(/<main>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '');
    const front = (html: string) => JSON.parse(/<front>([\s\S]*?)<\/front>/.exec(html)?.[1] ?? 'null');
    expect(front(page.rendered)).toEqual(front(page.original));
    expect(body(page.rendered)).toBe(body(page.original));
    expect(body(page.original).length).toBeGreaterThan(1000);
  });
});
