import { ACTION } from '../../src/slack/views/ids';
import { eventually, FAKE_DEFAULTS, stateValues, TestBot } from '../support/bot';
import { loadRoundup } from '../support/fixtures';
import { meetupValues, playEvening, setupValues, talkValues } from '../support/organiser-evening';
import { interactionBody, viewSubmissionPayload } from '../support/slack-requests';

const TEAM = FAKE_DEFAULTS.teamId;

describe('Slack’s rules: signatures, retries, double submits, acknowledgements', () => {
  let bot: TestBot;
  const november = loadRoundup('2018-11-cloud-native-london');

  beforeEach(async () => {
    bot = await TestBot.start();
  });
  afterEach(async () => {
    await bot.stop();
  });

  async function setUpAndStart() {
    const channel = bot.slack.addChannel({ name: 'organisers' });
    await bot.submit(await bot.open('setup'), setupValues(november, channel, FAKE_DEFAULTS.userId));
    await bot.submit(await bot.open('new'), meetupValues(november.meetup));
  }

  it('stores nothing from a forged signature, a wrong secret or a timestamp older than five minutes', async () => {
    await setUpAndStart();
    const view = await bot.open('talk new');
    const body = interactionBody(
      viewSubmissionPayload({
        callbackId: view.callbackId,
        viewId: view.id,
        privateMetadata: view.privateMetadata,
        values: stateValues(talkValues(november.meetup.talks[0]!)),
      }),
    );
    const stale = Math.floor(Date.now() / 1000) - 5 * 60 - 5;
    expect((await bot.post(body, { secret: '0'.repeat(32) })).status).toBe(401);
    expect(
      (await bot.post(body, { secret: `${'8f742231b10e8888abcd99aaaa85a5a1'.slice(0, -1)}0` })).status,
    ).toBe(401);
    expect((await bot.post(body, { timestamp: stale })).status).toBe(401);
    expect(await bot.database.count('talks')).toBe(0);
    // The same body, properly signed and on time, is saved.
    expect((await bot.post(body)).status).toBe(200);
    expect(await bot.database.count('talks')).toBe(1);
  });

  it('stores nothing from a request signed more than five minutes ahead, and takes one a little ahead', async () => {
    await setUpAndStart();
    const view = await bot.open('talk new');
    const body = (talk: number) =>
      interactionBody(
        viewSubmissionPayload({
          callbackId: view.callbackId,
          viewId: view.id,
          privateMetadata: view.privateMetadata,
          values: stateValues(talkValues(november.meetup.talks[talk]!)),
        }),
      );
    const now = Math.floor(Date.now() / 1000);
    expect((await bot.post(body(0), { timestamp: now + 365 * 24 * 60 * 60 })).status).toBe(401);
    expect((await bot.post(body(0), { timestamp: now + 5 * 60 + 5 })).status).toBe(401);
    expect(await bot.database.count('talks')).toBe(0);
    // A clock a little ahead of this one is Slack's, within the five minutes either way.
    expect((await bot.post(body(1), { timestamp: now + 4 * 60 })).status).toBe(200);
    expect(await bot.database.count('talks')).toBe(1);
  });

  it('has one effect for a slash command Slack redelivers with X-Slack-Retry-Num', async () => {
    await setUpAndStart();
    const first = await bot.command('talk new');
    await bot.viewOpenedWith(first.triggerId);
    const retry = await bot.command('talk new', {
      triggerId: first.triggerId,
      responseUrl: first.responseUrl,
      retryNum: 1,
    });
    expect(retry.reply.status).toBe(200);
    // A retry that slipped through would open its modal after acknowledging: wait for all of that to finish.
    await bot.settled();
    expect(bot.slack.callsTo('views.open').filter((c) => c.args.trigger_id === first.triggerId)).toHaveLength(
      1,
    );
  });

  it('saves a talk once when the same submission arrives twice (a double click, or a redelivery)', async () => {
    await setUpAndStart();
    const view = await bot.open('talk new');
    const values = talkValues(november.meetup.talks[0]!);
    const [a, b] = await Promise.all([bot.submit(view, values), bot.submit(view, values, { retryNum: 1 })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await bot.store.currentMeetup(TEAM))?.talks).toHaveLength(1);
    // A corrected submission of the same modal after an inline error still goes through.
    const other = await bot.open('talk new');
    const bad = await bot.submit(other, {
      ...talkValues(november.meetup.talks[1]!),
      talk_title: { type: 'plain_text_input', value: null },
    });
    expect(bad.json).toMatchObject({ response_action: 'errors', errors: { talk_title: expect.any(String) } });
    expect((await bot.submit(other, talkValues(november.meetup.talks[1]!))).status).toBe(200);
    expect((await bot.store.currentMeetup(TEAM))?.talks.map((t) => t.title)).toEqual([
      november.meetup.talks[0]!.title,
      november.meetup.talks[1]!.title,
    ]);
  });

  it('opens modals straight from the trigger, within Slack’s three seconds', async () => {
    await setUpAndStart();
    for (const text of ['setup', 'new', 'edit', 'talk new', 'photo', 'next', 'ask']) {
      if (text === 'ask') await bot.submit(await bot.open('talk new'), talkValues(november.meetup.talks[0]!));
      const { reply, triggerId } = await bot.command(text);
      expect(reply.status).toBe(200);
      const call = await bot.slack.waitForCall('views.open', (c) => c.args.trigger_id === triggerId);
      expect(call.status).toBe(200);
      expect((call.response as { ok: boolean }).ok).toBe(true);
    }
  });

  it('tells the organiser when Slack refuses to open a modal, instead of leaving them with nothing', async () => {
    await setUpAndStart();
    bot.slack.failNext('views.open', { error: 'expired_trigger_id' });
    const { reply, responseUrl } = await bot.command('talk new');
    expect(reply.status).toBe(200);
    const said = await bot.responseTo(responseUrl, (t) => t.includes(':warning:'));
    expect(said).toContain(
      'I could not open the form: Slack took too long to answer; try the command again.',
    );
    expect(said).toContain('"response_type":"ephemeral"');
  });

  it('reorders and deletes talks from the talk list, redrawing it in place', async () => {
    await playEvening(bot, november);
    const list = await bot.open('talk');
    expect(list.callbackId).toBe('talks_modal');
    const [first, second, third] = (await bot.store.currentMeetup(TEAM))!.talks;

    await bot.act({
      actionId: ACTION.talkMenu,
      view: list,
      action: {
        type: 'overflow',
        selected_option: { text: { type: 'plain_text', text: 'Move down' }, value: `down:${first!.id}` },
      },
    });
    await eventually(async () => {
      expect((await bot.store.currentMeetup(TEAM))?.talks.map((t) => t.id)).toEqual([
        second!.id,
        first!.id,
        third!.id,
      ]);
    });
    const redrawn = await bot.slack.waitForCall('views.update', (c) => c.args.view_id === list.id);
    expect(JSON.stringify(redrawn.args.view)).toMatch(/1\. Cortex.*2\. Deployments with Kapitan/);

    const { triggerId } = await bot.act({
      actionId: ACTION.talkMenu,
      view: list,
      action: {
        type: 'overflow',
        selected_option: { text: { type: 'plain_text', text: 'Delete' }, value: `delete:${third!.id}` },
      },
    });
    const confirm = await bot.viewOpenedWith(triggerId, 'views.push');
    expect(JSON.stringify(confirm.view)).toContain('creating Kubernetes operators for fun and profit');
    expect((await bot.submit(confirm, {})).status).toBe(200);
    expect((await bot.store.currentMeetup(TEAM))?.talks.map((t) => t.id)).toEqual([second!.id, first!.id]);
  });
});

describe('failures and shutdown', () => {
  const november = loadRoundup('2018-11-cloud-native-london');

  it('rides out Slack answering 500 for a while, and finishes a draft under way before stopping', async () => {
    const bot = await TestBot.start();
    let stopped = false;
    try {
      const evening = await playEvening(bot, november);
      bot.slack.failNext('chat.update', { status: 500, times: 2 });
      const { reply, responseUrl } = await bot.command('draft');
      expect(reply.status).toBe(200);
      // SIGTERM's path: stop taking requests, wait for the work under way, then close the database.
      await bot.bot.stop();
      stopped = true;
      const updates = bot.slack.callsTo('chat.update').map((c) => c.status);
      expect(updates).toEqual([500, 500, 200]);
      expect(
        bot.slack.responses.some(
          (r) => r.url === responseUrl && JSON.stringify(r.body).includes('Draft 2 updated'),
        ),
      ).toBe(true);
      expect((await bot.store.getDraft(TEAM, (await bot.store.currentMeetup(TEAM))!.id))?.messageTs).toBe(
        evening.draft.ts,
      );
    } finally {
      if (!stopped) await bot.bot.stop();
      await bot.stop();
    }
  });

  it('refreshes the organisers’ App Home when a talk changes', async () => {
    const bot = await TestBot.start();
    try {
      await playEvening(bot, november);
      const view = await bot.open('talk 1');
      await bot.submit(view, {
        ...talkValues(november.meetup.talks[0]!),
        talk_takeaways: { type: 'plain_text_input', value: null },
      });
      await eventually(() => {
        const home = JSON.stringify(bot.slack.homeView(FAKE_DEFAULTS.userId));
        expect(home).toContain('*Talks:* 3 (2 with takeaways)');
        expect(home).toContain('Talk 1 (“Deployments with Kapitan”) has no takeaways.');
      });
    } finally {
      await bot.stop();
    }
  });
});
