import { runTick } from '../../src/services/reminders';
import { BOT_SCOPES } from '../../src/slack/scopes';
import { NEXT, SETUP } from '../../src/slack/views/ids';
import type { TestDatabase } from '../support/backends';
import { TestBot } from '../support/bot';
import { describeOnPostgres } from '../support/each-backend';
import { FakeSlack } from '../support/fake-slack';
import { loadRoundup } from '../support/fixtures';
import { meetupValues, nextValues, setupValues } from '../support/organiser-evening';
import { input } from '../support/slack-requests';

const ACME = { team: 'T0ACME0001', user: 'U0ACME0001', name: 'Acme Cloud Meetup', date: '2026-12-10' };
const BETA = { team: 'T0BETA0002', user: 'U0BETA0002', name: 'Beta Kubernetes Night', date: '2026-12-10' };
const UNINSTALLED = 'T0GAMMA003';

const november = loadRoundup('2018-11-cloud-native-london');

/** Organisers of a workspace set up their group, a meetup and the next one, through the forms. */
async function setUpGroup(bot: TestBot, w: typeof ACME): Promise<{ community: string; organisers: string }> {
  const as = { userId: w.user, teamId: w.team };
  const community = bot.slack.addChannel({ name: `community-${w.team}`, teamId: w.team });
  const organisers = bot.slack.addChannel({ name: `organisers-${w.team}`, teamId: w.team });
  const saved = await bot.submit(
    await bot.open('setup', as),
    {
      ...setupValues(november, organisers, w.user),
      [SETUP.name]: input.text(w.name),
      [SETUP.communityChannels]: input.conversations([community]),
    },
    as,
  );
  expect(saved.json).toMatchObject({ response_action: 'update' });
  await bot.submit(await bot.open('new', as), meetupValues({ ...november.meetup, date: '2026-11-04' }), as);
  await bot.submit(
    await bot.open('next', as),
    { ...nextValues(november.meetup), [NEXT.date]: input.date(w.date) },
    as,
  );
  return { community, organisers };
}

/** The reminders posted to a channel: the workspace and token each was posted with, and its text. */
function postsTo(slack: FakeSlack, channel: string) {
  return slack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === channel && c.status === 200)
    .map((c) => ({ teamId: c.teamId, token: c.token, text: String(c.args.text) }));
}

describe('installed by OAuth in several workspaces', () => {
  let bot: TestBot;
  let now: Date;
  beforeEach(async () => {
    now = new Date('2026-11-05T12:00:00Z');
    bot = await TestBot.start({ oauth: true, now: () => now });
  });
  afterEach(() => bot.stop());

  it('shows an "Add to Slack" page whose link asks Slack for the manifest’s scopes with a signed state', async () => {
    const page = await fetch(`${bot.base}/slack/install`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Add to Slack');
    const href = /href="([^"]+)"/.exec(html)?.[1]?.replace(/&#38;/g, '&') ?? '';
    const url = new URL(href);
    expect(url.origin + url.pathname).toBe('https://slack.com/oauth/v2/authorize');
    expect(url.searchParams.get('client_id')).toBe(bot.slack.clientId);
    expect(url.searchParams.get('scope')?.split(',')).toEqual([...BOT_SCOPES]);
    const state = url.searchParams.get('state') ?? '';
    expect(state.length).toBeGreaterThan(20);
    // The same state, in a cookie for this browser only.
    expect(page.headers.get('set-cookie')).toMatch(
      new RegExp(`^slack-app-oauth-state=${state}; Secure; HttpOnly`),
    );
    expect(html).not.toContain(bot.slack.clientSecret);
  });

  it('keeps each installation in the database, with its token, its bot and who installed it', async () => {
    const installed = await bot.install(ACME.team, ACME.user);
    expect(installed.status).toBe(200);
    expect(installed.html).toContain(`roundup is installed in Workspace ${ACME.team}`);
    expect(installed.html).toContain('/roundup setup');
    const team = bot.slack.workspaces.team(ACME.team);
    expect(await bot.store.getInstallation(ACME.team)).toMatchObject({
      teamId: ACME.team,
      botToken: bot.slack.botTokenOf(ACME.team),
      botId: team?.botId,
      botUserId: team?.botUserId,
      botScopes: [...BOT_SCOPES],
      installerUserId: ACME.user,
    });
    // The page never shows the token.
    expect(installed.html).not.toContain(String(bot.slack.botTokenOf(ACME.team)));

    // A re-install (new scopes, a new token) replaces the token.
    const before = bot.slack.botTokenOf(ACME.team);
    expect((await bot.install(ACME.team, ACME.user)).status).toBe(200);
    const after = bot.slack.botTokenOf(ACME.team);
    expect(after).not.toBe(before);
    expect((await bot.store.getInstallation(ACME.team))?.botToken).toBe(after);
  });

  it('refuses a redirect whose state is not the browser’s, or forged, or a code used twice, and stores nothing', async () => {
    const noCookie = await bot.install(ACME.team, ACME.user, { cookie: null });
    expect(noCookie.status).toBe(400);
    expect(noCookie.html).toContain('roundup was not installed');
    expect(noCookie.html).toContain('another browser');
    const forged = await bot.install(ACME.team, ACME.user, {
      state: 'forged.state.value',
      cookie: 'slack-app-oauth-state=forged.state.value',
    });
    expect(forged.status).toBe(400);
    expect(await bot.store.getInstallation(ACME.team)).toBeUndefined();
    expect(bot.slack.callsTo('oauth.v2.access')).toHaveLength(0);
  });

  it('serves two workspaces each with its own token, and refuses politely one it is not installed in', async () => {
    await bot.install(ACME.team, ACME.user);
    await bot.install(BETA.team, BETA.user);

    // Before the first setup, only the person who installed may run it.
    const someoneElse = await bot.command('setup', { userId: 'U0ACME0099', teamId: ACME.team });
    expect(someoneElse.reply.text).toContain(`<@${ACME.user}>`);
    expect(bot.slack.callsTo('views.open')).toHaveLength(0);

    const acme = await setUpGroup(bot, ACME);
    const beta = await setUpGroup(bot, BETA);
    // Every call made for a workspace carried that workspace's token.
    for (const call of bot.slack.calls.filter((c) => c.token !== undefined)) {
      expect(call.token).toBe(bot.slack.botTokenOf(call.teamId as string));
    }
    expect(new Set(bot.slack.callsTo('views.open').map((c) => c.teamId))).toEqual(
      new Set([ACME.team, BETA.team]),
    );
    expect((await bot.store.getGroup(ACME.team))?.organisers).toEqual([ACME.user]);
    expect((await bot.store.getGroup(BETA.team))?.name).toBe(BETA.name);

    // Nothing of one is visible to the other.
    const status = await bot.command('status', { userId: BETA.user, teamId: BETA.team });
    expect(status.reply.text ?? JSON.stringify(status.reply.json)).not.toContain(ACME.name);

    // The week-before reminders, each posted in its own workspace with its own token.
    now = new Date('2026-12-03T10:30:00Z');
    const tick = await runTick(bot.bot.deps, now);
    expect(tick).toMatchObject({ sent: 2, failed: 0 });
    expect(postsTo(bot.slack, acme.community)).toEqual([
      {
        teamId: ACME.team,
        token: bot.slack.botTokenOf(ACME.team),
        text: expect.stringMatching(/^Acme Cloud Meetup is next week/),
      },
    ]);
    expect(postsTo(bot.slack, beta.community)).toEqual([
      {
        teamId: BETA.team,
        token: bot.slack.botTokenOf(BETA.team),
        text: expect.stringMatching(/^Beta Kubernetes Night is next week/),
      },
    ]);

    // A workspace roundup is not installed in gets an answer, and Slack is asked nothing for it.
    await bot.settled();
    const calls = bot.slack.calls.length;
    const stranger = await bot.command('help', { teamId: UNINSTALLED, userId: 'U0GAMMA001' });
    expect(stranger.reply.status).toBe(200);
    expect(stranger.reply.json).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('roundup is not installed in this workspace'),
    });
    await bot.settled();
    expect(bot.slack.calls.length).toBe(calls);
  });

  it('an uninstall deletes the workspace’s token and stops its reminders; a re-install brings them back', async () => {
    await bot.install(ACME.team, ACME.user);
    await bot.install(BETA.team, BETA.user);
    const acme = await setUpGroup(bot, ACME);
    const beta = await setUpGroup(bot, BETA);
    const pendingOf = async (team: string) =>
      (await bot.store.listReminders(team, { statuses: ['pending'] })).length;
    const betaPending = await pendingOf(BETA.team);
    expect(betaPending).toBeGreaterThan(0);

    bot.slack.revokeTeam(BETA.team);
    expect((await bot.event({ type: 'app_uninstalled' }, { teamId: BETA.team })).status).toBe(200);
    await bot.settled();
    expect((await bot.store.getInstallation(BETA.team))?.botToken).toBeUndefined();
    expect((await bot.store.getInstallation(BETA.team))?.uninstalledAt).toBeDefined();
    expect(await pendingOf(BETA.team)).toBe(0);
    // Its data stays until an operator forgets the team.
    expect((await bot.store.getGroup(BETA.team))?.name).toBe(BETA.name);

    now = new Date('2026-12-03T10:30:00Z');
    expect(await runTick(bot.bot.deps, now)).toMatchObject({ sent: 1, failed: 0 });
    expect(postsTo(bot.slack, acme.community)).toHaveLength(1);
    expect(postsTo(bot.slack, beta.community)).toHaveLength(0);
    const afterUninstall = await bot.command('status', { userId: BETA.user, teamId: BETA.team });
    expect(afterUninstall.reply.json).toMatchObject({ text: expect.stringContaining('not installed') });

    // Installed again: the reminders its removal stopped are planned again, and go out with the new token.
    await bot.install(BETA.team, BETA.user);
    expect(await pendingOf(BETA.team)).toBe(betaPending);
    expect(await runTick(bot.bot.deps, now)).toMatchObject({ sent: 1 });
    expect(postsTo(bot.slack, beta.community)).toEqual([
      { teamId: BETA.team, token: bot.slack.botTokenOf(BETA.team), text: expect.stringMatching(/^Beta/) },
    ]);
  });

  it('treats a revoked bot token as an uninstall, and ignores a revoked user token', async () => {
    await bot.install(ACME.team, ACME.user);
    await setUpGroup(bot, ACME);
    await bot.event({ type: 'tokens_revoked', tokens: { oauth: ['U0ACME0001'] } }, { teamId: ACME.team });
    await bot.settled();
    expect((await bot.store.getInstallation(ACME.team))?.botToken).toBeDefined();
    const botUser = bot.slack.workspaces.team(ACME.team)?.botUserId as string;
    await bot.event({ type: 'tokens_revoked', tokens: { bot: [botUser] } }, { teamId: ACME.team });
    await bot.settled();
    expect((await bot.store.getInstallation(ACME.team))?.botToken).toBeUndefined();
    expect(await bot.store.listReminders(ACME.team, { statuses: ['pending'] })).toEqual([]);
  });
});

describeOnPostgres('installed by OAuth, served by two replicas on one PostgreSQL database', () => {
  let slack: FakeSlack;
  let one: TestBot;
  let two: TestBot;
  let database: TestDatabase;
  const now = () => new Date('2026-11-05T12:00:00Z');
  beforeEach(async () => {
    slack = await FakeSlack.start();
    one = await TestBot.start({ oauth: true, slack, now });
    database = one.database;
    two = await TestBot.start({ oauth: true, slack, now, database });
  });
  afterEach(async () => {
    await two.stop({ keepSlack: true, keepFolder: true });
    await one.stop();
  });

  it('an install through one is served by the other, and an uninstall through one stops both', async () => {
    await one.install(ACME.team, ACME.user);
    await two.install(BETA.team, BETA.user);
    const acme = await setUpGroup(two, ACME);
    const beta = await setUpGroup(one, BETA);
    expect((await one.store.getGroup(ACME.team))?.name).toBe(ACME.name);

    const due = new Date('2026-12-03T10:30:00Z');
    const [a, b] = await Promise.all([runTick(one.bot.deps, due), runTick(two.bot.deps, due)]);
    expect(a.sent + b.sent).toBe(2);
    expect(postsTo(slack, acme.community)).toEqual([
      { teamId: ACME.team, token: slack.botTokenOf(ACME.team), text: expect.stringMatching(/^Acme/) },
    ]);
    expect(postsTo(slack, beta.community)).toHaveLength(1);

    await one.event({ type: 'app_uninstalled' }, { teamId: ACME.team });
    await one.settled();
    const refused = await two.command('help', { userId: ACME.user, teamId: ACME.team });
    expect(refused.reply.json).toMatchObject({ text: expect.stringContaining('not installed') });
  });
});
