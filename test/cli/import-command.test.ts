import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/run-cli';
import { comparePosts } from '../../src/import/compare';
import { FIXTURES, REPO } from '../support/fixtures';

/** Runs the real command in-process with captured output. */
async function roundup(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    cwd,
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

const SITE = path.join(FIXTURES, 'site');
const POSTS = fs.readdirSync(path.join(SITE, '_posts')).sort();

describe('roundup import', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roundup-import-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads every post of the site, each reproduced, and writes its JSON, the roster, the style and the report', async () => {
    const run = await roundup(['import', SITE, '--out', path.join(dir, 'out')], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('8 of 8 posts reproduced');
    const out = fs.readdirSync(path.join(dir, 'out')).sort();
    expect(out).toEqual(
      [
        ...POSTS.map((p) => p.replace(/\.md$/, '.json')),
        'group.json',
        'report.md',
        'roster.json',
        'style.json',
      ].sort(),
    );
    const report = fs.readFileSync(path.join(dir, 'out', 'report.md'), 'utf8');
    expect(report).toContain('8 of 8 posts reproduced');
    expect(report).not.toMatch(/\| no \|/);
    const roster = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'roster.json'), 'utf8'));
    expect(roster.sponsors).toContainEqual({
      name: 'Tecknuovo',
      url: 'https://www.tecknuovo.com/',
      posts: POSTS.slice(0, 6).map((p) => `_posts/${p}`),
    });
    expect(roster.speakers).toContainEqual({
      name: 'Billie Thompson',
      company: 'Armakuni',
      posts: [`_posts/${POSTS[0]}`],
    });
    expect(roster.venues.map((v: { name: string }) => v.name)).toEqual([
      'Entrepreneur First',
      'Monzo',
      'Palo Alto Networks',
      'Thought Machine',
    ]);
  });

  it('gives back each post from its JSON with roundup render, under the post’s own file name', async () => {
    await roundup(['import', SITE, '--out', path.join(dir, 'out')], dir);
    for (const post of POSTS) {
      const json = path.join(dir, 'out', post.replace(/\.md$/, '.json'));
      const run = await roundup(['render', json, '--out', path.join(dir, 'site')], dir);
      expect(run.code).toBe(0);
      const rendered = fs.readFileSync(path.join(dir, 'site', '_posts', post), 'utf8');
      const original = fs.readFileSync(path.join(SITE, '_posts', post), 'utf8');
      expect(comparePosts(original, rendered)).toEqual({ same: true });
      // The rendered post, imported again, is reproduced too: nothing was lost on the way.
      const again = await roundup(['render', '--check', path.join('site', '_posts', post)], dir);
      expect(again.stdout).toContain('reproduced with the');
      expect(again.code).toBe(0);
    }
  });

  it('tries the site’s own template first (_roundup/post.liquid), and render reads it beside the JSON', async () => {
    const site = path.join(dir, 'site');
    fs.cpSync(SITE, site, { recursive: true });
    fs.mkdirSync(path.join(site, '_roundup'));
    // The group's own template: the modern one, with a comment of its own (which writes nothing).
    const own = fs
      .readFileSync(path.join(REPO, 'templates', 'modern.liquid'), 'utf8')
      .replace('{% if next %}', '{% comment %}our own{% endcomment %}{% if next %}');
    fs.writeFileSync(path.join(site, '_roundup', 'post.liquid'), own);
    const run = await roundup(['import', 'site', '--out', 'out'], dir);
    expect(run.code).toBe(0);
    const report = fs.readFileSync(path.join(dir, 'out', 'report.md'), 'utf8');
    expect(report).toContain(
      '| _posts/2026-04-01-cloud-native-london-april-2026.md | _roundup/post.liquid | yes |',
    );
    expect(report).toContain(
      '| _posts/2018-09-10-cloud-native-london-september-2018-financial-times-armakuni-and-sysdig.md | classic | yes |',
    );
    const json = JSON.parse(
      fs.readFileSync(path.join(dir, 'out', '2026-04-01-cloud-native-london-april-2026.json'), 'utf8'),
    );
    expect(json.group.template).toBe(path.join('..', 'site', '_roundup', 'post.liquid'));
    const rendered = await roundup(
      ['render', path.join('out', '2026-04-01-cloud-native-london-april-2026.json')],
      dir,
    );
    expect(rendered.code).toBe(0);
    expect(rendered.stdout).toContain('Our next meetup will be on Wednesday 6th May');
    const check = await roundup(
      ['render', '--check', path.join('site', '_posts', '2026-04-01-cloud-native-london-april-2026.md')],
      dir,
    );
    expect(check.stdout).toContain(
      `reproduced with the ${path.join('site', '_roundup', 'post.liquid')} template`,
    );
  });

  it('checks one post with render --check', async () => {
    for (const post of POSTS) {
      const run = await roundup(['render', '--check', path.join(SITE, '_posts', post)], dir);
      expect(run.stdout).toContain('reproduced with the');
      expect(run.code).toBe(0);
    }
    const changed = path.join(dir, '_posts', POSTS[0]!);
    fs.mkdirSync(path.dirname(changed), { recursive: true });
    // A raw HTML block cannot come back as it was: the first difference is named.
    fs.writeFileSync(
      changed,
      fs
        .readFileSync(path.join(SITE, '_posts', POSTS[0]!), 'utf8')
        .replace('See you soon!', '<b>See you soon!</b>'),
    );
    const run = await roundup(['render', '--check', changed], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('not reproduced');
    expect(run.stdout).toContain('See you soon!');
    expect(run.stderr).toContain('raw HTML');
  });

  it('names the file and line of a post with broken front matter, and imports the rest', async () => {
    const site = path.join(dir, 'site');
    fs.mkdirSync(path.join(site, '_posts'), { recursive: true });
    for (const post of POSTS.slice(0, 2))
      fs.copyFileSync(path.join(SITE, '_posts', post), path.join(site, '_posts', post));
    fs.writeFileSync(
      path.join(site, '_posts', '2019-01-01-broken.md'),
      '---\nlayout: post\ntitle: "Cloud Native London, January 2019\ntags: [\n---\n\nHello.\n',
    );
    fs.writeFileSync(path.join(site, '_posts', '2019-02-01-no-front-matter.md'), 'Just text.\n');
    fs.writeFileSync(path.join(site, '_posts', 'notes.txt'), 'not a post\n');
    const run = await roundup(['import', site, '--out', path.join(dir, 'out')], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/_posts\/2019-01-01-broken\.md, line \d+: its front matter is not valid YAML/);
    expect(run.stderr).toContain(
      '_posts/2019-02-01-no-front-matter.md, line 1: does not start with front matter',
    );
    expect(run.stdout).toContain('2 of 4 posts reproduced');
    const out = fs.readdirSync(path.join(dir, 'out'));
    expect(out).toContain(POSTS[0]!.replace(/\.md$/, '.json'));
    expect(out).toContain(POSTS[1]!.replace(/\.md$/, '.json'));
    const report = fs.readFileSync(path.join(dir, 'out', 'report.md'), 'utf8');
    expect(report).toContain('2 of 4 posts reproduced');
    expect(report).toContain('Not read: _posts/2019-01-01-broken.md, line');
    expect(report).toContain('_posts/notes.txt: not named YYYY-MM-DD-title.md');
  });

  it('refuses a folder that is not a Jekyll site, and one that does not exist', async () => {
    fs.writeFileSync(path.join(dir, 'README.md'), 'hello\n');
    const notJekyll = await roundup(['import', '.'], dir);
    expect(notJekyll.code).toBe(1);
    expect(notJekyll.stderr).toContain('is not a Jekyll site with posts: it has no _posts folder');
    const missing = await roundup(['import', 'nowhere'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nowhere: there is no such folder');
    const usage = await roundup(['import'], dir);
    expect(usage.code).toBe(2);
    const extra = await roundup(['import', 'a', 'b'], dir);
    expect(extra.code).toBe(2);
  });
});
