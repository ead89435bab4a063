import fs from 'node:fs';
import path from 'node:path';
import { ACTION, SITE } from '../../src/slack/views/ids';
import { FAKE_DEFAULTS, TestBot } from '../support/bot';
import { FakeGitHub } from '../support/fake-github';
import { loadRoundup } from '../support/fixtures';
import { cloneBranch, makeBareSite } from '../support/git-site';
import { playEvening } from '../support/organiser-evening';
import { input } from '../support/slack-requests';

const TEAM = FAKE_DEFAULTS.teamId;
const REPO = 'cloudnativelondon/site';
const POST = '2018-11-07-cloud-native-london-november-2018';
const BRANCH = `roundup/${POST}`;

function siteValues(kind: 'git' | 'github', repository: string) {
  return {
    [SITE.kind]: input.staticSelect(kind),
    [SITE.repository]: input.text(repository),
    [SITE.branch]: input.text('main'),
    [SITE.postsFolder]: input.text('_posts'),
    [SITE.imagesFolder]: input.text('images'),
    [SITE.maxPhotoWidth]: input.text('1600'),
  };
}

describe('Publish to the site, through the real bot over HTTP', () => {
  let bot: TestBot;
  let github: FakeGitHub;
  const november = loadRoundup('2018-11-cloud-native-london');

  beforeEach(async () => {
    github = await FakeGitHub.start();
    github.addRepo(REPO, { '_config.yml': 'title: CNL\n' });
    bot = await TestBot.start({ env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.apiUrl } });
  });
  afterEach(async () => {
    await bot.stop();
    await github.stop();
  });

  /** The evening, the site set with /roundup site, and the draft regenerated so it carries the button. */
  async function eveningWithSite(kind: 'git' | 'github', repository: string) {
    const evening = await playEvening(bot, november);
    const reply = await bot.submit(await bot.open('site'), siteValues(kind, repository));
    expect(reply.text).toBe('');
    await bot.settled();
    expect((await bot.store.getGroup(TEAM))?.site).toMatchObject({ kind, repository, branch: 'main' });
    const meetup = (await bot.store.currentMeetup(TEAM))!;
    const message = { channelId: evening.organisersChannel, ts: evening.draft.ts };
    await bot.act({
      actionId: ACTION.draftRegenerate,
      action: { type: 'button', value: meetup.id },
      message,
    });
    await bot.settled();
    return { evening, meetup, message };
  }

  const draftMessage = (channel: string, ts: string) => bot.slack.messages(channel).find((m) => m.ts === ts)!;
  const threadTexts = (channel: string, ts: string) =>
    bot.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === channel && c.args.thread_ts === ts)
      .map((c) => String(c.args.text));

  it('GitHub: the button, confirmed with the repository and branch, opens one pull request; its link goes in the thread, its state on the draft, and merging marks the meetup published', async () => {
    const { evening, meetup, message } = await eveningWithSite('github', REPO);
    const blocks = JSON.stringify(draftMessage(message.channelId, message.ts).blocks);
    expect(blocks).toContain(ACTION.draftPublish);
    expect(blocks).toContain(`In ${REPO} on GitHub: commits the post and its photos to the branch ${BRANCH}`);

    await bot.act({ actionId: ACTION.draftPublish, action: { type: 'button', value: meetup.id }, message });
    await bot.settled();
    expect(github.pulls(REPO)).toHaveLength(1);
    expect(github.shapeErrors).toEqual([]);
    const [first] = threadTexts(evening.organisersChannel, evening.draft.ts).filter((t) =>
      t.includes('pull request'),
    );
    expect(first).toContain('/pull/1|pull request #1>');
    expect(first).toContain(BRANCH);
    expect(JSON.stringify(draftMessage(message.channelId, message.ts).blocks)).toContain(
      ':large_green_circle: open',
    );

    // Again: the same branch and pull request, never a second one.
    await bot.act({ actionId: ACTION.draftPublish, action: { type: 'button', value: meetup.id }, message });
    await bot.settled();
    expect(github.pulls(REPO)).toHaveLength(1);
    expect(github.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/pulls'))).toHaveLength(1);

    github.merge(REPO, 1);
    await bot.act({
      actionId: ACTION.draftRegenerate,
      action: { type: 'button', value: meetup.id },
      message,
    });
    await bot.settled();
    expect((await bot.store.getMeetup(TEAM, meetup.id))?.status).toBe('published');
    const shown = JSON.stringify(draftMessage(message.channelId, message.ts).blocks);
    expect(shown).toContain(':purple_heart: merged');
    expect(shown).toContain(':tada: Published');
  });

  it('a git remote: the branch is pushed and named in the thread', async () => {
    const remote = makeBareSite(bot.folder.dir);
    const { evening, meetup, message } = await eveningWithSite('git', remote);
    await bot.act({ actionId: ACTION.draftPublish, action: { type: 'button', value: meetup.id }, message });
    await bot.settled();
    const text = threadTexts(evening.organisersChannel, evening.draft.ts).find((t) => t.includes(':rocket:'));
    expect(text).toContain(`on the branch \`${BRANCH}\``);
    expect(text).toContain('merge');
    const clone = cloneBranch(remote, BRANCH, bot.folder.dir);
    expect(fs.existsSync(path.join(clone, '_posts', `${POST}.md`))).toBe(true);
    // The clone the bot works in lives beside the database.
    expect(fs.readdirSync(path.join(bot.folder.dir, 'sites'))).toHaveLength(1);
  });

  it('a refused token: explained in the thread with the fix, never the token; pressing again after the fix continues', async () => {
    const { evening, meetup, message } = await eveningWithSite('github', REPO);
    github.failNext('GET', /\/pulls$/, 401, 'Bad credentials');
    await bot.act({ actionId: ACTION.draftPublish, action: { type: 'button', value: meetup.id }, message });
    await bot.settled();
    const failed = threadTexts(evening.organisersChannel, evening.draft.ts).find((t) =>
      t.includes(':warning:'),
    );
    expect(failed).toContain('GitHub refused the token');
    expect(failed).toContain('The draft and its photos are kept as they were.');
    const everything = JSON.stringify(
      bot.slack.callsTo('chat.postMessage').concat(bot.slack.callsTo('chat.update')),
    );
    expect(everything).not.toContain(github.token);
    expect(github.pulls(REPO)).toHaveLength(0);

    await bot.act({ actionId: ACTION.draftPublish, action: { type: 'button', value: meetup.id }, message });
    await bot.settled();
    expect(github.pulls(REPO)).toHaveLength(1);
  });

  it('refuses a non-organiser, and /roundup site refuses a repository that holds a token', async () => {
    const { meetup, message } = await eveningWithSite('github', REPO);
    bot.slack.addUser({ id: 'U0OTHER001', name: 'other' });
    await bot.act({
      actionId: ACTION.draftPublish,
      action: { type: 'button', value: meetup.id },
      message,
      userId: 'U0OTHER001',
    });
    await bot.settled();
    expect(github.pulls(REPO)).toHaveLength(0);

    const reply = await bot.submit(
      await bot.open('site'),
      siteValues('git', 'https://someone:ghp_secret123456@example.invalid/site.git'),
    );
    expect(reply.text).toContain('must not hold a password or token');
    expect(reply.text).not.toContain('ghp_secret123456');
  });
});
