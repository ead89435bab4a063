import { claim } from '../../src/domain/reminder-lifecycle';
import { startReminderScheduler } from '../../src/scheduler/reminder-scheduler';
import { runTick } from '../../src/services/reminders';
import { ACTION, MEETUP, NEXT, SETUP } from '../../src/slack/views/ids';
import type { ReminderRecord } from '../../src/store/store';
import { eventually, FAKE_DEFAULTS, TestBot } from '../support/bot';
import { loadRoundup } from '../support/fixtures';
import { meetupValues, nextValues, setupValues, talkValues } from '../support/organiser-evening';
import { input } from '../support/slack-requests';
import { makeTempFolder } from '../support/temp-db';

const TEAM = FAKE_DEFAULTS.teamId;
const november = loadRoundup('2018-11-cloud-native-london');

/** A clock the test moves by hand; the bot reads it through `now`. */
class Clock {
  constructor(public current: Date) {}
  set(iso: string) {
    this.current = new Date(iso);
  }
  now = () => this.current;
}

interface Evening {
  bot: TestBot;
  clock: Clock;
  community: string;
  organisers: string;
}

/** Set up through the modals: a group in `zone`, a meetup held on `heldOn`, its next meetup on `nextOn`. */
async function groupWithNextMeetup(o: {
  zone?: string;
  heldOn: string;
  nextOn: string;
  now: string;
  bot?: TestBot;
  clock?: Clock;
  /** The reminder plan as typed in setup, one step a line. */
  plan?: string;
}): Promise<Evening> {
  const clock = o.clock ?? new Clock(new Date(o.now));
  // The fake Slack shares the clock, so message timestamps fall where the reminders are due.
  const bot =
    o.bot ?? (await TestBot.start({ now: clock.now, fake: { now: () => clock.current.getTime() } }));
  const organisers = bot.slack.addChannel({ name: 'organisers', isPrivate: true });
  const community = bot.slack.addChannel({ name: 'community' });
  await bot.submit(await bot.open('setup'), {
    ...setupValues(november, organisers, FAKE_DEFAULTS.userId),
    [SETUP.timeZone]: input.externalSelect(o.zone ?? 'Europe/London'),
    [SETUP.communityChannels]: input.conversations([community]),
    ...(o.plan ? { [SETUP.reminderPlan]: input.text(o.plan) } : {}),
  });
  await bot.submit(await bot.open('new'), {
    ...meetupValues(november.meetup),
    [MEETUP.date]: input.date(o.heldOn),
  });
  const reply = await bot.submit(await bot.open('next'), {
    ...nextValues(november.meetup),
    [NEXT.date]: input.date(o.nextOn),
  });
  if (reply.json) throw new Error(`next refused: ${reply.text}`);
  return { bot, clock, community, organisers };
}

const befores = async (bot: TestBot, status: ReminderRecord['status'][] = ['pending']) =>
  (await bot.store.listReminders(TEAM, { statuses: status })).filter((r) => r.kind.startsWith('before:'));

/** Messages Slack accepted in a channel. */
/** A form's answer that is not a list of inline errors: it was saved. */
const expectSaved = (reply: { json?: unknown }) =>
  expect((reply.json as { response_action?: string } | undefined)?.response_action).not.toBe('errors');

const postsIn = (bot: TestBot, channel: string) =>
  bot.slack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === channel && (c.response as { ok?: boolean } | undefined)?.ok === true);

describe('the reminder plan, in local time', () => {
  let bot: TestBot | undefined;
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  it.each([
    [
      'Europe/London across the autumn change (25 October 2026)',
      'Europe/London',
      '2026-10-28',
      ['2026-10-21T09:00:00.000Z', '2026-10-27T10:00:00.000Z', '2026-10-28T09:00:00.000Z'],
    ],
    [
      'Europe/London across the spring change (29 March 2026)',
      'Europe/London',
      '2026-04-01',
      ['2026-03-25T10:00:00.000Z', '2026-03-31T09:00:00.000Z', '2026-04-01T08:00:00.000Z'],
    ],
    [
      'Pacific/Auckland across its autumn change (5 April 2026)',
      'Pacific/Auckland',
      '2026-04-08',
      ['2026-03-31T21:00:00.000Z', '2026-04-06T22:00:00.000Z', '2026-04-07T21:00:00.000Z'],
    ],
  ])(
    'stores a week before at 10:00, the day before at 10:00 and on the day at 09:00: %s',
    async (_what, zone, nextOn, expected) => {
      const evening = await groupWithNextMeetup({
        zone,
        heldOn: '2026-03-04',
        nextOn,
        now: '2026-03-05T12:00:00Z',
      });
      bot = evening.bot;
      const rows = await befores(bot);
      expect(rows.map((r) => [r.kind, r.channel, r.fireAt])).toEqual([
        ['before:7@10:00', evening.community, expected[0]],
        ['before:1@10:00', evening.community, expected[1]],
        ['before:0@09:00', evening.community, expected[2]],
      ]);
    },
  );

  it('resolves a local time that does not exist or happens twice by the stated rule', async () => {
    const evening = await groupWithNextMeetup({
      heldOn: '2026-03-04',
      nextOn: '2026-03-29',
      now: '2026-03-05T12:00:00Z',
    });
    bot = evening.bot;
    const plan = '1 day before at 10:00\non the day at 01:30';
    await bot.submit(await bot.open('setup'), {
      ...setupValues(november, evening.organisers, FAKE_DEFAULTS.userId),
      [SETUP.communityChannels]: input.conversations([evening.community]),
      [SETUP.reminderPlan]: input.text(plan),
    });
    // 01:30 on 29 March 2026 does not exist in London (clocks go 01:00 -> 02:00): it moves forward to 02:30 BST.
    expect((await befores(bot)).map((r) => [r.kind, r.fireAt])).toEqual([
      ['before:1@10:00', '2026-03-28T10:00:00.000Z'],
      ['before:0@01:30', '2026-03-29T01:30:00.000Z'],
    ]);
    // 01:30 on 25 October 2026 happens twice (BST, then GMT): the earlier, 00:30 UTC.
    await bot.submit(await bot.open('next'), {
      ...nextValues(november.meetup),
      [NEXT.date]: input.date('2026-10-25'),
    });
    expect((await befores(bot)).map((r) => [r.kind, r.fireAt])).toEqual([
      ['before:1@10:00', '2026-10-24T09:00:00.000Z'],
      ['before:0@01:30', '2026-10-25T00:30:00.000Z'],
    ]);
  });
});

describe('sending, exactly once', () => {
  let evening: Evening;
  beforeEach(async () => {
    evening = await groupWithNextMeetup({
      heldOn: '2026-11-04',
      nextOn: '2026-12-09',
      now: '2026-11-05T12:00:00Z',
    });
  });
  afterEach(async () => {
    await evening.bot.stop();
  });
  const deps = () => evening.bot.bot.deps;

  it('posts a due reminder once, marked in its metadata, with the date in words, the venue, the speakers and an RSVP button', async () => {
    expect((await runTick(deps(), new Date('2026-12-02T09:59:00Z'))).sent).toBe(0);
    const first = await runTick(deps(), new Date('2026-12-02T10:00:30Z'));
    expect(first.sent).toBe(1);
    expect((await runTick(deps(), new Date('2026-12-02T10:01:30Z'))).sent).toBe(0);

    const posts = postsIn(evening.bot, evening.community);
    expect(posts).toHaveLength(1);
    const args = posts[0]!.args;
    expect(args.text).toBe(
      'Cloud Native London is next week: Wednesday 9 December at 18:30, at Monzo. RSVP: https://www.meetup.com/Cloud-Native-London/events/253873413/',
    );
    expect(JSON.stringify(args.blocks)).toContain(
      'Joining us are speakers from Paybase, Double Negative, and Google.',
    );
    expect(JSON.stringify(args.blocks)).toContain(
      '"url":"https://www.meetup.com/Cloud-Native-London/events/253873413/"',
    );
    const [row] = await befores(evening.bot, ['sent']);
    expect(args.metadata).toEqual({
      event_type: 'roundup_reminder',
      event_payload: { reminder_id: row!.id },
    });
    expect(row!.messageTs).toBe((posts[0]!.response as { ts: string }).ts);
  });

  it('lets only one of two racing ticks post a reminder', async () => {
    const at = new Date('2026-12-02T10:00:30Z');
    const [a, b] = await Promise.all([runTick(deps(), at), runTick(deps(), at)]);
    expect(a.sent + b.sent).toBe(1);
    expect(postsIn(evening.bot, evening.community)).toHaveLength(1);
  });

  it('sends one late by less than the grace period, and skips an older one, telling the organisers', async () => {
    // Down from 09:00 on 2 December until 11:30: the week-before reminder (10:00) is 1.5 hours late.
    expect((await runTick(deps(), new Date('2026-12-02T11:30:00Z'))).sent).toBe(1);
    // Down from then until 13:00 on 8 December: the day-before reminder (10:00) is 3 hours late.
    const late = await runTick(deps(), new Date('2026-12-08T13:00:00Z'));
    expect(late).toMatchObject({ sent: 0, skipped: 1 });
    expect(postsIn(evening.bot, evening.community)).toHaveLength(1);
    const told = postsIn(evening.bot, evening.organisers).map((c) => String(c.args.text));
    expect(told).toEqual([
      expect.stringContaining(
        'I was offline when a reminder for <#' +
          evening.community +
          '> was due (Tue 8 Dec, 10:00, about 3 hours ago), so I skipped it',
      ),
    ]);
    expect((await befores(evening.bot, ['skipped'])).map((r) => r.kind)).toEqual(['before:1@10:00']);
  });

  it('reschedules pending reminders when the date changes, and cancels them when the meetup is called off', async () => {
    await runTick(deps(), new Date('2026-12-02T10:00:30Z')); // the week-before one goes out
    await evening.bot.submit(await evening.bot.open('next'), {
      ...nextValues(november.meetup),
      [NEXT.date]: input.date('2026-12-16'),
    });
    expect((await befores(evening.bot)).map((r) => [r.kind, r.eventDate, r.fireAt])).toEqual([
      ['before:7@10:00', '2026-12-16', '2026-12-09T10:00:00.000Z'],
      ['before:1@10:00', '2026-12-16', '2026-12-15T10:00:00.000Z'],
      ['before:0@09:00', '2026-12-16', '2026-12-16T09:00:00.000Z'],
    ]);
    // The old date's day-before time passes without a post.
    expect((await runTick(deps(), new Date('2026-12-08T10:00:30Z'))).sent).toBe(0);

    const prompt = await evening.bot.command('next cancel');
    // Acknowledged at once; the question follows, only to the caller.
    expect(prompt.reply.text).toBe('');
    const asked = await evening.bot.responseTo(prompt.responseUrl, (t) => t.includes('Call off'));
    expect(asked).toContain(
      'Call off the meetup of *Wednesday 16 December*? Its 3 pending reminder(s) will be cancelled',
    );
    expect(asked).toContain('"response_type":"ephemeral"');
    const meetupId = (await evening.bot.store.currentMeetup(TEAM))!.id;
    const { responseUrl } = await evening.bot.act({
      actionId: ACTION.cancelNextMeetup,
      action: { type: 'button', value: meetupId },
      message: { channelId: FAKE_DEFAULTS.channelId, ts: '1700000000.000100' },
    });
    expect(await evening.bot.responseTo(responseUrl, (t) => t.includes('called off'))).toContain(
      '3 reminder(s) cancelled',
    );
    expect(await befores(evening.bot)).toEqual([]);
    expect((await runTick(deps(), new Date('2026-12-15T10:00:30Z'))).sent).toBe(0);

    const notice = await evening.bot.act({
      actionId: ACTION.postCancellationNotice,
      action: { type: 'button', value: meetupId },
      message: { channelId: FAKE_DEFAULTS.channelId, ts: '1700000000.000100' },
    });
    await evening.bot.responseTo(notice.responseUrl, (t) => t.includes('Notice posted'));
    const posted = postsIn(evening.bot, evening.community).map((c) => String(c.args.text));
    expect(posted.at(-1)).toBe('The Cloud Native London meetup on Wednesday 16 December is cancelled.');
  });

  it('lists upcoming reminders with a cancel button each, and previews the next one to the caller only', async () => {
    const list = await evening.bot.command('remind');
    const listed = JSON.stringify(list.reply.json);
    expect(list.reply.json).toMatchObject({ response_type: 'ephemeral' });
    expect(listed).toContain(
      'Reminder of Wednesday 9 December (7 days before): Wed 2 Dec 2026, 10:00 to <#' +
        evening.community +
        '>',
    );
    expect(listed.match(/"action_id":"reminder_cancel"/g)).toHaveLength(3);

    // The App Home lists them too, refreshed when the next meetup was saved.
    await eventually(() =>
      expect(JSON.stringify(evening.bot.slack.homeView(FAKE_DEFAULTS.userId))).toContain(
        'Reminder of Wednesday 9 December (1 day before): Tue 8 Dec 2026, 10:00 to <#' +
          evening.community +
          '>',
      ),
    );

    const preview = await evening.bot.command('remind preview');
    expect(preview.reply.json).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(preview.reply.json)).toContain('Preview, only for you.');
    expect(JSON.stringify(preview.reply.json)).toContain('is next week: *Wednesday 9 December at 18:30*');
    expect(postsIn(evening.bot, evening.community)).toHaveLength(0);

    const weekBefore = (await befores(evening.bot))[0]!;
    const { responseUrl } = await evening.bot.act({
      actionId: ACTION.cancelReminder,
      action: { type: 'button', value: weekBefore.id },
      message: { channelId: FAKE_DEFAULTS.channelId, ts: '1700000000.000100' },
    });
    const redrawn = await evening.bot.responseTo(responseUrl, (t) => t.includes('replace_original'));
    expect(redrawn.match(/reminder_cancel/g)).toHaveLength(2);
    expect((await runTick(deps(), new Date('2026-12-02T10:00:30Z'))).sent).toBe(0);

    // The same Cancel pressed again (an old copy of the list): told it is already gone.
    const again = await evening.bot.act({
      actionId: ACTION.cancelReminder,
      action: { type: 'button', value: weekBefore.id },
      message: { channelId: FAKE_DEFAULTS.channelId, ts: '1700000000.000100' },
    });
    expect(await evening.bot.responseTo(again.responseUrl, (t) => t.includes('already'))).toContain(
      'That reminder had already been sent or cancelled.',
    );

    // Someone who does not organise is refused, and their click cancels nothing.
    evening.bot.slack.addUser({ id: 'U0OTHER001', name: 'someone' });
    const [dayBefore] = await befores(evening.bot);
    const stranger = await evening.bot.act({
      actionId: ACTION.cancelReminder,
      action: { type: 'button', value: dayBefore!.id },
      userId: 'U0OTHER001',
      message: { channelId: FAKE_DEFAULTS.channelId, ts: '1700000000.000100' },
    });
    expect(await evening.bot.responseTo(stranger.responseUrl)).toContain('Sorry, only the organisers');
    expect((await befores(evening.bot)).map((r) => r.id)).toContain(dayBefore!.id);
  });
});

describe('a restart at any moment', () => {
  it('posts a reminder claimed but never posted once, after the claim is abandoned', async () => {
    const folder = makeTempFolder();
    const first = await groupWithNextMeetup({
      heldOn: '2026-11-04',
      nextOn: '2026-12-09',
      now: '2026-11-05T12:00:00Z',
    });
    const slack = first.bot.slack;
    const [weekBefore] = await befores(first.bot);
    // The process claims the row at 10:00 and dies before posting.
    expect(
      await first.bot.store.changeReminder(
        weekBefore!.id,
        claim('crashed-sender', '2026-12-02T10:00:05.000Z'),
      ),
    ).toBe(true);
    await first.bot.stop({ keepSlack: true, keepFolder: true });

    const restarted = await TestBot.start({ slack, folder: first.bot.folder });
    try {
      // Within the lease the claim is respected: nothing is posted twice by a slow sender.
      expect((await runTick(restarted.bot.deps, new Date('2026-12-02T10:01:00Z'))).sent).toBe(0);
      const later = await runTick(restarted.bot.deps, new Date('2026-12-02T10:03:00Z'));
      expect(later.sent).toBe(1);
      expect(postsIn(restarted, first.community)).toHaveLength(1);
      expect((await runTick(restarted.bot.deps, new Date('2026-12-02T10:05:00Z'))).sent).toBe(0);
      expect(postsIn(restarted, first.community)).toHaveLength(1);
    } finally {
      await restarted.stop();
      folder.remove();
    }
  });

  it('finds a post Slack accepted just before a crash by its metadata, and does not post it again', async () => {
    const first = await groupWithNextMeetup({
      heldOn: '2026-11-04',
      nextOn: '2026-12-09',
      now: '2026-11-05T12:00:00Z',
    });
    const slack = first.bot.slack;
    const [weekBefore] = await befores(first.bot);
    expect(
      await first.bot.store.changeReminder(
        weekBefore!.id,
        claim('crashed-sender', '2026-12-02T10:00:05.000Z'),
      ),
    ).toBe(true);
    first.clock.set('2026-12-02T10:00:06Z');
    // Slack accepted the post; the process died before recording it.
    const accepted = await first.bot.bot.app.client.chat.postMessage({
      channel: first.community,
      text: 'Cloud Native London is next week',
      metadata: { event_type: 'roundup_reminder', event_payload: { reminder_id: weekBefore!.id } },
    });
    await first.bot.stop({ keepSlack: true, keepFolder: true });
    const postsBefore = postsIn(first.bot, first.community).length;

    const restarted = await TestBot.start({ slack, folder: first.bot.folder });
    try {
      const tick = await runTick(restarted.bot.deps, new Date('2026-12-02T10:03:00Z'));
      expect(tick).toMatchObject({ sent: 0, recovered: 1 });
      expect(postsIn(restarted, first.community)).toHaveLength(postsBefore);
      const [row] = await befores(restarted, ['sent']);
      expect(row).toMatchObject({ id: weekBefore!.id, messageTs: accepted.ts });
    } finally {
      await restarted.stop();
    }
  });
});

describe('channels the bot cannot post in', () => {
  let evening: Evening;
  beforeEach(async () => {
    evening = await groupWithNextMeetup({
      heldOn: '2026-11-04',
      nextOn: '2026-12-09',
      now: '2026-11-05T12:00:00Z',
    });
  });
  afterEach(async () => {
    await evening.bot.stop();
  });
  const at = new Date('2026-12-02T10:00:30Z');

  it('joins a public channel it is not in, then posts', async () => {
    const outside = evening.bot.slack.addChannel({ name: 'announcements', isMember: false });
    await evening.bot.submit(await evening.bot.open('next'), {
      ...nextValues(november.meetup),
      [NEXT.date]: input.date('2026-12-09'),
      [NEXT.channels]: input.conversations([outside]),
    });
    expect((await runTick(evening.bot.bot.deps, at)).sent).toBe(1);
    expect(evening.bot.slack.callsTo('conversations.join').map((c) => c.args.channel)).toEqual([outside]);
    expect(postsIn(evening.bot, outside)).toHaveLength(1);
  });

  it.each([
    ['a private channel it is not in', 'private', 'is gone or private to the bot'],
    ['a channel Slack cannot find', 'channel_not_found', 'is gone or private to the bot'],
    ['an archived channel', 'is_archived', 'is archived: pick other channels with `/roundup next`'],
  ])(
    'marks the reminder failed for %s and tells the organisers how to fix it',
    async (_what, fault, advice) => {
      if (fault === 'private') {
        const secret = evening.bot.slack.addChannel({ name: 'secret', isPrivate: true, isMember: false });
        await evening.bot.submit(await evening.bot.open('next'), {
          ...nextValues(november.meetup),
          [NEXT.date]: input.date('2026-12-09'),
          [NEXT.channels]: input.conversations([secret]),
        });
      } else {
        evening.bot.slack.failNext('chat.postMessage', { error: fault });
      }
      const tick = await runTick(evening.bot.bot.deps, at);
      expect(tick).toMatchObject({ sent: 0, failed: 1 });
      const [failed] = await befores(evening.bot, ['failed']);
      expect(failed?.lastError).toBe(fault === 'private' ? 'channel_not_found' : fault);
      const told = postsIn(evening.bot, evening.organisers).map((c) => String(c.args.text));
      expect(told).toEqual([expect.stringContaining(advice)]);
      expect(told[0]).toContain('The reminder for Wednesday 9 December in <#');
      // Failed is final: the next tick does not try again.
      expect((await runTick(evening.bot.bot.deps, new Date('2026-12-02T10:01:30Z'))).failed).toBe(0);
    },
  );

  it('waits out a 429 and posts; a reminder Slack keeps failing is retried on later ticks', async () => {
    evening.bot.slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    expect((await runTick(evening.bot.bot.deps, at)).sent).toBe(1);

    evening.bot.slack.failNext('chat.postMessage', { status: 500, times: 5 });
    const failing = await runTick(evening.bot.bot.deps, new Date('2026-12-08T10:00:30Z'));
    expect(failing).toMatchObject({ sent: 0, retried: 1 });
    const again = await runTick(evening.bot.bot.deps, new Date('2026-12-08T10:01:30Z'));
    expect(again.sent).toBe(1);
    expect(postsIn(evening.bot, evening.community)).toHaveLength(2);
  }, 30_000);
});

describe('nudges the morning after', () => {
  it('gives the organisers the checklist at 09:00 and a speaker who has not answered one polite DM', async () => {
    const evening = await groupWithNextMeetup({
      heldOn: '2026-11-04',
      nextOn: '2026-12-09',
      now: '2026-11-04T21:00:00Z',
    });
    const { bot } = evening;
    bot.slack.addUser({ id: 'U0SPEAK001', name: 'alessandro' });
    bot.slack.addUser({ id: 'U0SPEAK002', name: 'tom' });
    try {
      await bot.submit(await bot.open('talk new'), {
        ...talkValues({
          ...november.meetup.talks[0]!,
          takeaways: [],
        }),
      });
      await bot.submit(await bot.open('talk new'), talkValues(november.meetup.talks[1]!));
      const [first, second] = (await bot.store.currentMeetup(TEAM))!.talks;
      for (const [user, talk] of [
        ['U0SPEAK001', first!],
        ['U0SPEAK002', second!],
      ] as const) {
        await bot.submit(await bot.open(`ask <@${user}>`), {
          ask_speaker: input.user(user),
          ask_talk: input.staticSelect(talk.id),
        });
      }
      // Speaker 2 answers before the morning.
      const button = await bot.act({
        actionId: ACTION.openAskedTalk,
        action: { type: 'button', value: second!.id },
        userId: 'U0SPEAK002',
        message: { channelId: 'D0SPEAK002', ts: '1700000000.000100' },
      });
      const form = await bot.viewOpenedWith(button.triggerId);
      await bot.submit(form, talkValues(november.meetup.talks[1]!), { userId: 'U0SPEAK002' });

      const nine = await runTick(bot.bot.deps, new Date('2026-11-05T09:00:30Z'));
      expect(nine.sent).toBe(1);
      const checklist = postsIn(bot, evening.organisers).at(-1)!;
      expect(String(checklist.args.text)).toBe('What the roundup of the November 2026 meetup still needs');
      expect(JSON.stringify(checklist.args.blocks)).toContain(
        'Talk 1 (“Deployments with Kapitan”) has no takeaways.',
      );

      const ten = await runTick(bot.bot.deps, new Date('2026-11-05T10:00:30Z'));
      // Speaker 2's nudge was dropped from the plan when they answered; speaker 1 gets theirs.
      expect(ten).toMatchObject({ sent: 1, skipped: 0 });
      expect((await bot.store.listReminders(TEAM)).find((r) => r.channel === 'U0SPEAK002')?.status).toBe(
        'unplanned',
      );
      const dms = bot.slack
        .callsTo('chat.postMessage')
        .filter((c) => String(c.args.text).startsWith('A gentle reminder'));
      expect(dms).toHaveLength(1);
      expect(String(dms[0]!.args.text)).toContain('“Deployments with Kapitan”');
      expect(JSON.stringify(dms[0]!.args.blocks)).toContain(`"value":"${first!.id}"`);
      expect(bot.slack.callsTo('conversations.open').some((c) => c.args.users === 'U0SPEAK001')).toBe(true);
      expect((await runTick(bot.bot.deps, new Date('2026-11-06T10:00:30Z'))).sent).toBe(0);
      await eventually(() => expect(bot.slack.homeView(FAKE_DEFAULTS.userId)).toBeDefined());
    } finally {
      await bot.stop();
    }
  });
});

describe('a person’s cancel, and a slow or silent Slack', () => {
  let evening: Evening | undefined;
  afterEach(async () => {
    await evening?.bot.stop();
    evening = undefined;
  });
  const at = (iso: string) => new Date(iso);

  it('keeps a cancelled reminder cancelled when every form is saved again, until an organiser restores it', async () => {
    evening = await groupWithNextMeetup({
      heldOn: '2026-11-04',
      nextOn: '2026-12-09',
      now: '2026-11-05T12:00:00Z',
    });
    const { bot } = evening;
    const [weekBefore] = await befores(bot);
    const cancelled = await bot.act({
      actionId: ACTION.cancelReminder,
      action: { type: 'button', value: weekBefore!.id },
      message: { channelId: FAKE_DEFAULTS.channelId, ts: '1700000000.000100' },
    });
    const redrawn = await bot.responseTo(cancelled.responseUrl, (t) => t.includes('replace_original'));
    expect(redrawn).toContain('reminder_restore');

    // The same values saved again in setup, the meetup form and the next meetup's form.
    const organisers = (await bot.store.getGroup(TEAM))!.organisersChannel!;
    expectSaved(
      await bot.submit(await bot.open('setup'), {
        ...setupValues(november, organisers, FAKE_DEFAULTS.userId),
        [SETUP.timeZone]: input.externalSelect('Europe/London'),
        [SETUP.communityChannels]: input.conversations([evening.community]),
      }),
    );
    expectSaved(
      await bot.submit(await bot.open('edit'), {
        ...meetupValues(november.meetup),
        [MEETUP.date]: input.date('2026-11-04'),
      }),
    );
    expectSaved(
      await bot.submit(await bot.open('next'), {
        ...nextValues(november.meetup),
        [NEXT.date]: input.date('2026-12-09'),
      }),
    );
    expect(await bot.store.getReminder(weekBefore!.id)).toMatchObject({ status: 'cancelled' });
    expect((await runTick(bot.bot.deps, at('2026-12-02T10:00:30Z'))).sent).toBe(0);
    expect(postsIn(bot, evening.community)).toHaveLength(0);

    // Restored from the list: it is pending again and goes out (within the grace period).
    const restored = await bot.act({
      actionId: ACTION.restoreReminder,
      action: { type: 'button', value: weekBefore!.id },
      message: { channelId: FAKE_DEFAULTS.channelId, ts: '1700000000.000100' },
    });
    const list = await bot.responseTo(restored.responseUrl, (t) => t.includes('replace_original'));
    expect(list).not.toContain('reminder_restore');
    expect(await bot.store.getReminder(weekBefore!.id)).toMatchObject({ status: 'pending' });
    expect((await runTick(bot.bot.deps, at('2026-12-02T10:05:00Z'))).sent).toBe(1);
    expect(postsIn(bot, evening.community)).toHaveLength(1);
  });

  it('keeps a cancelled nudge cancelled when the talk is saved again', async () => {
    evening = await groupWithNextMeetup({
      heldOn: '2026-11-04',
      nextOn: '2026-12-09',
      now: '2026-11-04T12:00:00Z',
    });
    const { bot } = evening;
    const checklist = (await bot.store.listReminders(TEAM)).find((r) => r.kind === 'nudge:checklist')!;
    await bot.act({
      actionId: ACTION.cancelReminder,
      action: { type: 'button', value: checklist.id },
      message: { channelId: FAKE_DEFAULTS.channelId, ts: '1700000000.000100' },
    });
    await eventually(async () =>
      expect(await bot.store.getReminder(checklist.id)).toMatchObject({ status: 'cancelled' }),
    );
    expect(
      (await bot.submit(await bot.open('talk new'), talkValues(november.meetup.talks[0]!))).json,
    ).toBeUndefined();
    expect(await bot.store.getReminder(checklist.id)).toMatchObject({ status: 'cancelled' });
    expect((await runTick(bot.bot.deps, at('2026-11-05T09:00:30Z'))).sent).toBe(0);
  });

  it('keeps two steps on the same day, and refuses the same step twice with its line number', async () => {
    evening = await groupWithNextMeetup({
      heldOn: '2026-11-04',
      nextOn: '2026-12-09',
      now: '2026-11-05T12:00:00Z',
      plan: 'on the day at 09:00\non the day at 18:00',
    });
    const { bot } = evening;
    expect((await befores(bot)).map((r) => [r.kind, r.fireAt])).toEqual([
      ['before:0@09:00', '2026-12-09T09:00:00.000Z'],
      ['before:0@18:00', '2026-12-09T18:00:00.000Z'],
    ]);
    const group = (await bot.store.getGroup(TEAM))!;
    const refused = await bot.submit(await bot.open('setup'), {
      ...setupValues(november, group.organisersChannel!, FAKE_DEFAULTS.userId),
      // The group's step is saved as it stands; the plan's step is refused.
      [SETUP.communityChannels]: input.conversations(group.communityChannels),
      [SETUP.reminderPlan]: input.text('on the day at 09:00\nthe day before at 10:00\non the day at 9.00'),
    });
    expect(refused.json).toMatchObject({
      response_action: 'errors',
      errors: { [SETUP.reminderPlan]: expect.stringContaining('Line 3 repeats line 1') },
    });
    expect((await befores(bot)).map((r) => r.kind)).toEqual(['before:0@09:00', 'before:0@18:00']);
  });

  it('posts the reminder due a minute later while a post hangs, then the hung one once', async () => {
    const clock = new Clock(new Date('2026-11-05T12:00:00Z'));
    // A long timeout: the hung call stays unanswered for the whole test unless released.
    const bot = await TestBot.start({
      now: clock.now,
      fake: { now: () => clock.current.getTime() },
      env: { SLACK_TIMEOUT_SECONDS: '30' },
    });
    evening = await groupWithNextMeetup({
      heldOn: '2026-11-04',
      nextOn: '2026-12-09',
      now: '2026-11-05T12:00:00Z',
      bot,
      clock,
      plan: '7 days before at 10:00\n7 days before at 10:01',
    });
    const [first, second] = await befores(bot);
    bot.slack.hangNext('chat.postMessage');
    clock.set('2026-12-02T10:00:30Z');
    const scheduler = startReminderScheduler(bot.bot.deps, { tickSeconds: 1 });
    try {
      await eventually(() => expect(bot.slack.callsTo('chat.postMessage')).toHaveLength(1));
      clock.set('2026-12-02T10:01:30Z');
      // The next tick is not held up by the hung one: the 10:01 reminder goes out.
      await eventually(async () =>
        expect(await bot.store.getReminder(second!.id)).toMatchObject({ status: 'sent' }),
      );
      expect(await bot.store.getReminder(first!.id)).toMatchObject({ status: 'sending' });
      // The connection drops: the sender reads the history (nothing there), posts, and records it.
      bot.slack.releaseHung();
      await eventually(async () =>
        expect(await bot.store.getReminder(first!.id)).toMatchObject({ status: 'sent' }),
      );
    } finally {
      await scheduler.stop();
    }
    await bot.bot.deps.inFlight.drain();
    const metadataOf = (c: { args: Record<string, unknown> }) =>
      (c.args.metadata as { event_payload?: { reminder_id?: string } } | undefined)?.event_payload
        ?.reminder_id;
    const posted = postsIn(bot, evening.community).map(metadataOf);
    expect(posted.sort()).toEqual([first!.id, second!.id].sort());
  });

  it('gives up on a post that takes longer than its timeout and posts it once, reading the history first', async () => {
    const clock = new Clock(new Date('2026-11-05T12:00:00Z'));
    const bot = await TestBot.start({
      now: clock.now,
      fake: { now: () => clock.current.getTime() },
      env: { SLACK_TIMEOUT_SECONDS: '0.2' },
    });
    evening = await groupWithNextMeetup({
      heldOn: '2026-11-04',
      nextOn: '2026-12-09',
      now: '2026-11-05T12:00:00Z',
      bot,
      clock,
    });
    bot.slack.setDelay(1500, 'chat.postMessage');
    const slow = runTick(bot.bot.deps, at('2026-12-02T10:00:30Z'));
    await eventually(() => expect(bot.slack.callsTo('chat.postMessage')).toHaveLength(1));
    bot.slack.setDelay(0, 'chat.postMessage');
    expect(await slow).toMatchObject({ sent: 1 });
    const calls = bot.slack.calls.map((c) => c.method).filter((m) => m.startsWith('c'));
    // The post, no answer in time, the history read, the post again.
    expect(calls).toEqual(['chat.postMessage', 'conversations.history', 'chat.postMessage']);
    // The first request, dropped when its caller gave up, never lands: one message in all.
    await bot.slack.waitForCall('chat.postMessage', (c) => c.status === 0, 5000);
    expect(postsIn(bot, evening.community)).toHaveLength(1);
  });

  it('finds a post made before a crash behind more than a page of the channel’s history', async () => {
    evening = await groupWithNextMeetup({
      heldOn: '2026-11-04',
      nextOn: '2026-12-09',
      now: '2026-11-05T12:00:00Z',
    });
    const { bot, clock } = evening;
    const [weekBefore] = await befores(bot);
    expect(await bot.store.changeReminder(weekBefore!.id, claim('crashed', '2026-12-02T10:00:05.000Z'))).toBe(
      true,
    );
    clock.set('2026-12-02T10:00:06Z');
    const accepted = await bot.bot.app.client.chat.postMessage({
      channel: evening.community,
      text: 'Cloud Native London is next week',
      metadata: { event_type: 'roundup_reminder', event_payload: { reminder_id: weekBefore!.id } },
    });
    // A busy channel: 450 messages after it, more than two pages of 200.
    for (let i = 0; i < 450; i++) {
      clock.set(new Date(Date.parse('2026-12-02T10:00:07Z') + i * 100).toISOString());
      await bot.bot.app.client.chat.postMessage({ channel: evening.community, text: `chatter ${i}` });
    }
    const tick = await runTick(bot.bot.deps, at('2026-12-02T10:03:00Z'));
    expect(tick).toMatchObject({ sent: 0, recovered: 1 });
    expect(await bot.store.getReminder(weekBefore!.id)).toMatchObject({
      status: 'sent',
      messageTs: accepted.ts,
    });
    expect(bot.slack.callsTo('conversations.history').length).toBeGreaterThanOrEqual(3);
  }, 30_000);
});
