import type { Roundup } from '../../src/domain/meetup';
import { ASK, CALLBACK, MEETUP, NEXT, PHOTO, SETUP, TALK } from '../../src/slack/views/ids';
import { eventually, FAKE_DEFAULTS, type OpenedView, TestBot } from '../support/bot';
import type { Json } from '../support/fake-slack';
import { loadRoundup } from '../support/fixtures';
import { meetupValues, nextValues, setupValues, talkValues } from '../support/organiser-evening';
import { type BoltResponse, input } from '../support/slack-requests';

/**
 * Who may do what, through the bot's HTTP interface: organisers run the meetup, anyone may run the first
 * setup, an asked speaker may fill in their own talk and nothing else, and one team never sees another's.
 */

const TEAM = FAKE_DEFAULTS.teamId;
const OTHER_TEAM = 'T0TEAM0002';
const ORGANISER = FAKE_DEFAULTS.userId;
const OTHER = 'U0OTHER001';
const SPEAKER = 'U0SPEAK001';

interface Notice {
  response_type?: string;
  text?: string;
}

function noticeOf(reply: BoltResponse): Notice {
  expect(reply.status).toBe(200);
  return (reply.json ?? {}) as Notice;
}

/** A polite ephemeral refusal in the acknowledgement itself. */
function expectRefused(reply: BoltResponse): void {
  const notice = noticeOf(reply);
  expect(notice.response_type).toBe('ephemeral');
  expect(notice.text).toMatch(/^Sorry, only the organisers of Cloud Native London can do that\./);
  expect(notice.text).toContain(`Ask <@${ORGANISER}> if you should be one.`);
}

function inlineErrors(reply: BoltResponse): Record<string, string> {
  expect(reply.status).toBe(200);
  const body = reply.json as { response_action?: string; errors?: Record<string, string> } | undefined;
  expect(body?.response_action).toBe('errors');
  return body?.errors ?? {};
}

function expectClosed(reply: BoltResponse): void {
  expect(reply.status).toBe(200);
  expect(reply.text).toBe('');
}

function initialOf(view: OpenedView, blockId: string): unknown {
  const blocks = view.view.blocks as Array<{ block_id?: string; element?: Record<string, unknown> }>;
  return blocks.find((b) => b.block_id === blockId)?.element?.initial_value;
}

/** The buttons of a message's actions blocks. */
function buttonsOf(message: Json): Array<{ action_id?: string; value?: string }> {
  const blocks = (message.blocks ?? []) as Array<{ type: string; elements?: Array<Record<string, string>> }>;
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
}

/** Whatever the user sees of a reply: its text and its blocks. */
const shown = (reply: BoltResponse) => JSON.stringify(reply.json ?? '');

describe('permissions, over HTTP', () => {
  const november: Roundup = loadRoundup('2018-11-cloud-native-london');
  const [kapitan, cortex] = november.meetup.talks;
  let bot: TestBot;
  let organisersChannel: string;

  beforeEach(async () => {
    bot = await TestBot.start();
    bot.slack.addUser({ id: OTHER, name: 'other' });
    bot.slack.addUser({ id: SPEAKER, name: 'alessandro', realName: 'Alessandro De Maria' });
    organisersChannel = bot.slack.addChannel({ name: 'organisers', isPrivate: true });
  });
  afterEach(async () => {
    await bot.stop();
  });

  async function setUp(): Promise<void> {
    const reply = await bot.submit(
      await bot.open('setup'),
      setupValues(november, organisersChannel, ORGANISER),
    );
    expect(reply.json).toMatchObject({ response_action: 'update' });
  }

  /** Setup, the meetup and its first two talks, as the organiser. */
  async function organiserEvening(): Promise<{ meetupId: string; talkIds: string[] }> {
    await setUp();
    expectClosed(await bot.submit(await bot.open('new'), meetupValues(november.meetup)));
    for (const talk of [kapitan!, cortex!]) {
      expectClosed(
        await bot.submit(await bot.open('talk new'), {
          ...talkValues(talk),
          [TALK.takeaways]: input.text(null),
        }),
      );
    }
    const meetup = await bot.store.currentMeetup(TEAM);
    return { meetupId: meetup!.id, talkIds: meetup!.talks.map((t) => t.id) };
  }

  it('lets anyone run the first /roundup setup, then refuses a non-organiser every organiser command, politely and without opening a modal', async () => {
    const first = await bot.open('setup', { userId: OTHER });
    expect(first.callbackId).toBe(CALLBACK.setup);
    // The form offers whoever runs it as the first organiser.
    const blocks = first.view.blocks as Array<{ block_id?: string; element?: { initial_users?: string[] } }>;
    expect(blocks.find((b) => b.block_id === SETUP.organisers)?.element?.initial_users).toEqual([OTHER]);

    await organiserEvening();
    const opened = bot.slack.callsTo('views.open').length;
    const refused: string[] = [];
    for (const text of [
      'new',
      'talk',
      'talk new',
      'talk 1',
      'draft',
      'setup',
      'status',
      'edit',
      'next',
      'ask',
      'photo',
      'export',
    ]) {
      const { reply, triggerId } = await bot.command(text, { userId: OTHER });
      expectRefused(reply);
      refused.push(triggerId);
    }
    // Whatever the handlers would (wrongly) do after acknowledging is done by now.
    await bot.settled();
    expect(bot.slack.callsTo('views.open')).toHaveLength(opened);
    expect(
      bot.slack.callsTo('views.open').filter((c) => refused.includes(String(c.args.trigger_id))),
    ).toEqual([]);
    // Nothing was drafted or uploaded on their behalf either.
    expect(bot.slack.uploads).toEqual([]);
    expect(bot.slack.messages(organisersChannel)).toEqual([]);

    const help = await bot.command('help', { userId: OTHER });
    expect(noticeOf(help.reply)).toMatchObject({ response_type: 'ephemeral', text: 'roundup commands' });
    expect(shown(help.reply)).toContain('`/roundup talk [new | number]`');

    // The organiser still may.
    expect((await bot.open('talk 1')).callbackId).toBe(CALLBACK.talk);
  });

  it('refuses inline a non-organiser submitting any organiser’s modal, and saves nothing', async () => {
    const { meetupId } = await organiserEvening();
    const before = await bot.store.getMeetup(TEAM, meetupId);
    const group = await bot.store.getGroup(TEAM);

    const submissions: Array<[view: string, values: Parameters<TestBot['submit']>[1], block: string]> = [
      ['talk new', talkValues(november.meetup.talks[2]!), TALK.speaker],
      ['talk 1', { ...talkValues(kapitan!), [TALK.title]: input.text('Taken over') }, TALK.speaker],
      ['edit', { ...meetupValues(november.meetup), [MEETUP.venue]: input.text('Elsewhere') }, MEETUP.date],
      ['next', nextValues(november.meetup), NEXT.date],
      [
        'photo',
        { [PHOTO.role]: input.staticSelect('other'), [PHOTO.urls]: input.text('https://example.com/a.jpg') },
        PHOTO.files,
      ],
      [
        'ask',
        { [ASK.speaker]: input.user(OTHER), [ASK.talk]: input.staticSelect(before!.talks[0]!.id) },
        ASK.speaker,
      ],
      [
        'setup',
        { ...setupValues(november, organisersChannel, OTHER), [SETUP.name]: input.text('Mine now') },
        SETUP.name,
      ],
    ];
    for (const [command, values, block] of submissions) {
      // A modal the organiser opened, submitted by someone else.
      const view = await bot.open(command);
      const errors = inlineErrors(await bot.submit(view, values, { userId: OTHER }));
      expect(Object.keys(errors)).toEqual([block]);
      expect(errors[block]).toMatch(/^Sorry, only the organisers of Cloud Native London can do that\./);
    }

    expect(await bot.store.getMeetup(TEAM, meetupId)).toEqual(before);
    expect(await bot.store.getGroup(TEAM)).toEqual(group);
    expect(await bot.store.listAsks(TEAM, meetupId)).toEqual([]);
    expect(bot.dms(OTHER)).toEqual([]);
  });

  it('does not let an organiser remove themselves in setup, first time or later', async () => {
    const view = await bot.open('setup');
    const values = setupValues(november, organisersChannel, ORGANISER);
    const first = inlineErrors(
      await bot.submit(view, { ...values, [SETUP.organisers]: input.users([OTHER]) }),
    );
    expect(Object.keys(first)).toEqual([SETUP.organisers]);
    expect(first[SETUP.organisers]).toBe(
      'Keep yourself in the list, or ask another organiser to make this change.',
    );
    expect(await bot.store.getGroup(TEAM)).toBeUndefined();

    await setUp();
    const later = inlineErrors(
      await bot.submit(await bot.open('setup'), { ...values, [SETUP.organisers]: input.users([OTHER]) }),
    );
    expect(Object.keys(later)).toEqual([SETUP.organisers]);
    expect((await bot.store.getGroup(TEAM))?.organisers).toEqual([ORGANISER]);

    // Adding someone while staying in the list is fine.
    const added = await bot.submit(await bot.open('setup'), {
      ...values,
      [SETUP.organisers]: input.users([ORGANISER, OTHER]),
    });
    expect(added.json).toMatchObject({ response_action: 'update' });
    expect((await bot.store.getGroup(TEAM))?.organisers).toEqual([ORGANISER, OTHER]);
    expect((await bot.open('setup', { userId: OTHER })).callbackId).toBe(CALLBACK.setup);
  });

  it('keeps each team to its own group and meetups', async () => {
    const { meetupId } = await organiserEvening();
    const before = await bot.store.getMeetup(TEAM, meetupId);

    // A team that has not set roundup up is told so, whatever the command.
    for (const text of ['status', 'talk 1', 'draft', 'new']) {
      const { reply } = await bot.command(text, { teamId: OTHER_TEAM });
      const notice = noticeOf(reply);
      expect(notice.response_type).toBe('ephemeral');
      expect(notice.text).toMatch(/roundup is not set up here yet/);
      expect(notice.text).toContain('/roundup setup');
      expect(shown(reply)).not.toContain('Cloud Native London');
    }

    // A form of the first team's meetup, submitted from the second team, changes nothing.
    const view = await bot.open('talk 1');
    const errors = inlineErrors(
      await bot.submit(
        view,
        { ...talkValues(kapitan!), [TALK.title]: input.text('Leaked') },
        { teamId: OTHER_TEAM },
      ),
    );
    expect(Object.keys(errors)).toEqual([TALK.speaker]);
    expect(await bot.store.getMeetup(TEAM, meetupId)).toEqual(before);

    // Once set up, the second team has a group of its own and no meetup.
    const setup = await bot.command('setup', { teamId: OTHER_TEAM });
    const ownSetup = await bot.viewOpenedWith(setup.triggerId);
    expect(initialOf(ownSetup, SETUP.name)).toBeUndefined();
    const saved = await bot.submit(
      ownSetup,
      {
        ...setupValues(november, organisersChannel, ORGANISER),
        [SETUP.name]: input.text('Second Team Meetup'),
      },
      { teamId: OTHER_TEAM },
    );
    expect(saved.json).toMatchObject({ response_action: 'update' });
    const status = noticeOf((await bot.command('status', { teamId: OTHER_TEAM })).reply);
    expect(status.text).toBe('There is no meetup yet: start one with `/roundup new`.');
    expect(await bot.store.currentMeetup(OTHER_TEAM)).toBeUndefined();
    expect((await bot.store.getGroup(TEAM))?.name).toBe('Cloud Native London');
    expect((await bot.store.getGroup(OTHER_TEAM))?.name).toBe('Second Team Meetup');
  });

  it('lets an asked speaker fill in their own talk from the DM, and nothing else', async () => {
    const { meetupId, talkIds } = await organiserEvening();
    const [talkId, otherTalkId] = talkIds as [string, string];

    const ask = await bot.open('ask');
    expect(ask.callbackId).toBe(CALLBACK.ask);
    expectClosed(
      await bot.submit(ask, { [ASK.speaker]: input.user(SPEAKER), [ASK.talk]: input.staticSelect(talkId) }),
    );

    // The speaker's DM carries the button to their talk; the organiser is told it went.
    const dm = await eventually(() => {
      const [message] = bot.dms(SPEAKER);
      expect(message).toBeDefined();
      return message!;
    });
    expect(String(dm.text)).toContain('Deployments with Kapitan');
    expect(buttonsOf(dm)).toEqual([expect.objectContaining({ action_id: 'ask_open_talk', value: talkId })]);
    await eventually(() =>
      expect(
        bot
          .dms(ORGANISER)
          .map((m) => String(m.text))
          .join('\n'),
      ).toContain(`I asked <@${SPEAKER}>`),
    );

    // Before they answer, the organiser's status names who has not.
    const waiting = shown((await bot.command('status')).reply);
    expect(waiting).toContain(`<@${SPEAKER}> has not filled in “Deployments with Kapitan” yet.`);
    expect(waiting).toContain('1 (1 not answered)');

    // The button opens their talk, filled in as far as the organiser got.
    const click = await bot.act({
      actionId: 'ask_open_talk',
      action: { type: 'button', value: talkId },
      userId: SPEAKER,
      message: { channelId: 'D0SPEAK001', ts: '1700000000.000100' },
    });
    expect(click.reply.status).toBe(200);
    const form = await bot.viewOpenedWith(click.triggerId);
    expect(form.callbackId).toBe(CALLBACK.talk);
    expect(form.view.title).toMatchObject({ text: 'Your talk' });
    expect(initialOf(form, TALK.speaker)).toBe('Alessandro De Maria');
    expect(initialOf(form, TALK.title)).toBe('Deployments with Kapitan');
    expect(initialOf(form, TALK.company)).toBe('DeepMind Health');

    // The same button with another talk's id opens nothing.
    const stray = await bot.act({
      actionId: 'ask_open_talk',
      action: { type: 'button', value: otherTalkId },
      userId: SPEAKER,
      message: { channelId: 'D0SPEAK001', ts: '1700000000.000100' },
    });
    expect(await bot.responseTo(stray.responseUrl)).toContain('this button is for the speaker who was asked');

    // Nor may they use the organisers' commands, or edit another talk with a form they got hold of.
    const opened = bot.slack.callsTo('views.open').length;
    expectRefused((await bot.command('talk', { userId: SPEAKER })).reply);
    expectRefused((await bot.command('talk 2', { userId: SPEAKER })).reply);
    const otherForm = await bot.open('talk 2');
    const refused = inlineErrors(
      await bot.submit(
        otherForm,
        { ...talkValues(cortex!), [TALK.takeaways]: input.text('Not mine to write') },
        { userId: SPEAKER },
      ),
    );
    expect(Object.keys(refused)).toEqual([TALK.speaker]);
    expect(refused[TALK.speaker]).toMatch(/^Sorry, only the organisers/);
    await bot.settled();
    expect(bot.slack.callsTo('views.open')).toHaveLength(opened + 1);
    const untouched = (await bot.store.getMeetup(TEAM, meetupId))?.talks.find((t) => t.id === otherTalkId);
    expect(untouched?.takeaways).toEqual([]);
    expect((await bot.store.listAsks(TEAM, meetupId)).map((a) => a.status)).toEqual(['waiting']);

    // Their own talk: the takeaways are saved, the ask answered, and the organisers told.
    const { [TALK.lead]: _lead, ...speakerValues } = talkValues(kapitan!);
    expectClosed(
      await bot.submit(
        form,
        {
          ...speakerValues,
          [TALK.takeaways]: input.text(
            'Kapitan manages every deployment\nThe inventory is the single source',
          ),
        },
        { userId: SPEAKER },
      ),
    );
    const talk = (await bot.store.getMeetup(TEAM, meetupId))?.talks.find((t) => t.id === talkId);
    expect(talk?.takeaways.map((t) => t.text)).toEqual([
      'Kapitan manages every deployment',
      'The inventory is the single source',
    ]);
    const [answered] = await bot.store.listAsks(TEAM, meetupId);
    expect(answered).toMatchObject({ talkId, userId: SPEAKER, status: 'answered' });
    await eventually(() =>
      expect(bot.slack.messages(organisersChannel).map((m) => m.text)).toContain(
        `<@${SPEAKER}> filled in their talk “Deployments with Kapitan” (2 takeaway(s)).`,
      ),
    );

    const after = shown((await bot.command('status')).reply);
    expect(after).not.toContain('has not filled in');
    expect(after).toContain('1 (0 not answered)');
  });
});
