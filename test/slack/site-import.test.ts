import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FAKE_DEFAULTS, TestBot } from '../support/bot';
import { FIXTURES, loadRoundup } from '../support/fixtures';
import { setupValues } from '../support/organiser-evening';
import { makeTempFolder, type TempFolder } from '../support/temp-db';

/**
 * `/roundup import` over HTTP: the posts of the group's connected site (a folder, or a git remote cloned with
 * the real git) become the group's history, its sponsors join the roster, and its house style is kept.
 */
const TEAM = FAKE_DEFAULTS.teamId;
const SITE = path.join(FIXTURES, 'site');
const POSTS = fs.readdirSync(path.join(SITE, '_posts')).length;

describe('/roundup import', () => {
  let bot: TestBot;
  let temp: TempFolder | undefined;
  beforeEach(async () => {
    bot = await TestBot.start();
    const organisers = bot.slack.addChannel({ name: 'organisers', isPrivate: true });
    await bot.submit(
      await bot.open('setup'),
      setupValues(loadRoundup('2018-11-cloud-native-london'), organisers, FAKE_DEFAULTS.userId),
    );
  });
  afterEach(async () => {
    await bot.stop();
    temp?.remove();
    temp = undefined;
  });

  async function connect(repository: string, branch = 'main'): Promise<void> {
    const { id: _id, teamId: _team, ...group } = (await bot.store.getGroup(TEAM))!;
    await bot.store.saveGroup(TEAM, {
      ...group,
      site: {
        kind: 'git',
        repository,
        branch,
        postsFolder: '_posts',
        imagesFolder: 'images',
        maxPhotoWidth: 1600,
      },
    });
  }

  async function importNow(): Promise<string> {
    const { reply, responseUrl } = await bot.command('import');
    expect(reply.status).toBe(200);
    const told = await bot.responseTo(
      responseUrl,
      (t) => t.includes(':inbox_tray:') || t.includes(':warning:'),
      60_000,
    );
    await bot.settled();
    return told;
  }

  it('fills the history, the roster and the house style from a site folder, once', async () => {
    await connect(SITE);
    const told = await importNow();
    expect(told).toContain(
      `Read ${POSTS} post(s) from the site: ${POSTS} of ${POSTS} come out of roundup as the same page.`,
    );
    expect(told).toContain(`Added ${POSTS} meetup(s)`);
    const meetups = await bot.store.listMeetups(TEAM);
    expect(meetups.map((m) => m.date).sort()).toEqual(
      fs
        .readdirSync(path.join(SITE, '_posts'))
        .map((f) => f.slice(0, 10))
        .sort(),
    );
    const group = (await bot.store.getGroup(TEAM))!;
    expect(group.style).toBeDefined();
    expect(group.sponsors.map((s) => s.name)).toEqual(
      expect.arrayContaining(['Armakuni', 'ForgeRock', 'Contino']),
    );

    // Again: nothing twice.
    const again = await importNow();
    expect(again).toContain('Added 0 meetup(s)');
    expect(again).toContain(`${POSTS} already there`);
    expect(await bot.store.listMeetups(TEAM)).toHaveLength(POSTS);
  }, 120_000);

  it('clones a git remote at the site’s branch, and explains a remote it cannot read', async () => {
    temp = makeTempFolder();
    const work = path.join(temp.dir, 'work');
    const bare = path.join(temp.dir, 'site.git');
    fs.cpSync(SITE, work, { recursive: true });
    const git = (cwd: string, ...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', ...args], {
        cwd,
        stdio: 'pipe',
      });
    git(work, 'init', '--quiet', '--initial-branch=gh-pages');
    git(work, 'add', '.');
    git(work, 'commit', '--quiet', '-m', 'the site');
    git(temp.dir, 'clone', '--quiet', '--bare', work, bare);

    await connect(path.join(temp.dir, 'nowhere.git'), 'gh-pages');
    const refused = await importNow();
    expect(refused).toContain('could not be read from');
    expect(refused).toContain('/roundup site');
    expect(await bot.store.listMeetups(TEAM)).toHaveLength(0);

    await connect(bare, 'gh-pages');
    expect(await importNow()).toContain(`Added ${POSTS} meetup(s)`);
    expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('roundup-import-'))).toEqual([]);
  }, 120_000);

  it('asks for a site first, and refuses someone who does not organise', async () => {
    expect(await importNow()).toContain('Connect the group’s site first with `/roundup site`.');
    bot.slack.addUser({ id: 'U0OTHER001', name: 'someone' });
    const stranger = await bot.command('import', { userId: 'U0OTHER001' });
    expect(JSON.stringify(stranger.reply.json)).toContain('only the organisers');
  });
});
