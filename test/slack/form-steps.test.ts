import { actionIdOf, partBlockId } from '../../src/slack/views/form';
import { MEETUP, SETUP, STEPS, TALK } from '../../src/slack/views/ids';
import { proseToRichText, richTextToProse, richTextToTakeaways } from '../../src/slack/views/rich-text';
import { FAKE_DEFAULTS, type OpenedView, TestBot, viewOf } from '../support/bot';
import type { Json } from '../support/fake-slack';
import { loadRoundup } from '../support/fixtures';
import { meetupValues, setupValues } from '../support/organiser-evening';
import { blockSuggestionPayload, input, interactionBody } from '../support/slack-requests';
import { inputBlocksOf } from '../support/views';

const TEAM = FAKE_DEFAULTS.teamId;
const november = loadRoundup('2018-11-cloud-native-london');

const headerOf = (view: OpenedView) =>
  String(
    (
      (view.view.blocks as Json[]).find((b) => b.block_id === STEPS.header)?.elements as Json[] | undefined
    )?.[0]?.text,
  );
const submitText = (view: OpenedView) => (view.view.submit as { text?: string } | undefined)?.text;
const initial = (view: OpenedView, blockId: string) =>
  inputBlocksOf(view.view).find((b) => b.block_id === blockId)?.element.initial_value;

describe('the meetup form, in steps', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await TestBot.start();
    const organisers = bot.slack.addChannel({ name: 'organisers' });
    await bot.submit(await bot.open('setup'), setupValues(november, organisers, FAKE_DEFAULTS.userId));
  });
  afterEach(() => bot.stop());

  /** Submit one step and return the step Slack shows next (from the bot's `update` answer). */
  async function next(view: OpenedView, values: Record<string, ReturnType<typeof input.text>>) {
    const reply = await bot.submitStep(view, values);
    const answer = reply.json as { response_action?: string; view?: Json };
    expect(answer.response_action).toBe('update');
    return viewOf(bot.slack.answerSubmission(view.id, answer as { response_action: 'update'; view: Json }));
  }

  it('asks a few things at a time, with a header per step, and saves each step as it goes on', async () => {
    let view = await bot.open('new');
    const seen: OpenedView[] = [view];
    for (;;) {
      expect(inputBlocksOf(view.view).length).toBeLessThanOrEqual(8);
      if (submitText(view) !== 'Next') break;
      view = await next(view, meetupValues(november.meetup));
      seen.push(view);
    }
    expect(seen.map(headerOf)).toEqual([
      '*Step 1 of 5 · The evening*',
      '*Step 2 of 5 · The host, the words, the sponsors*',
      '*Step 3 of 5 · Photo, video, after the talks*',
      '*Step 4 of 5 · The post’s file*',
      '*Step 5 of 5 · Sections and status*',
    ]);
    expect(submitText(view)).toBe('Save');
    // The first step's Next already saved the evening.
    expect(await bot.store.currentMeetup(TEAM)).toMatchObject({
      date: '2018-11-07',
      venue: { name: 'Entrepreneur First' },
      intro: november.meetup.intro,
    });
  });

  it('goes back a step keeping what was typed on this one, and shows it again going on', async () => {
    const first = await bot.open('new');
    const second = await next(first, meetupValues(november.meetup));
    expect(second.view.blocks).toContainEqual(
      expect.objectContaining({ block_id: STEPS.nav, type: 'actions' }),
    );
    const typed = { [MEETUP.intro]: input.richText(proseToRichText('A night to remember.')) };
    await bot.act({ actionId: STEPS.back, action: { value: '0' }, view: second, values: typed });
    await bot.slack.waitForCall('views.update', (c) => c.args.view_id === second.id);
    const shownBack = viewOf(bot.slack.view(second.id) as Json);
    expect(headerOf(shownBack)).toBe('*Step 1 of 5 · The evening*');
    expect(initial(shownBack, MEETUP.venue)).toBe('Entrepreneur First');
    expect((await bot.store.currentMeetup(TEAM))?.intro).toBe('A night to remember.');

    const again = await next(shownBack, {});
    expect(richTextToProse(initial(again, MEETUP.intro) as never)).toBe('A night to remember.');
  });

  it('does not go back from a step that cannot be saved: it stays, as typed, saying what to fix', async () => {
    const first = await bot.open('new');
    const second = await next(first, meetupValues(november.meetup));
    const typed = {
      [MEETUP.host]: input.text(null),
      [MEETUP.hostFrom]: input.text('Docker London'),
      [MEETUP.intro]: input.richText(proseToRichText('A night to remember.')),
    };
    await bot.act({ actionId: STEPS.back, action: { value: '0' }, view: second, values: typed });
    await bot.slack.waitForCall('views.update', (c) => c.args.view_id === second.id);
    const shown = viewOf(bot.slack.view(second.id) as Json);
    expect(headerOf(shown)).toBe('*Step 2 of 5 · The host, the words, the sponsors*');
    expect(initial(shown, MEETUP.hostFrom)).toBe('Docker London');
    expect(richTextToProse(initial(shown, MEETUP.intro) as never)).toBe('A night to remember.');
    const problem = (shown.view.blocks as Json[]).find((b) => b.block_id === STEPS.problem);
    expect(((problem?.text ?? {}) as Json).text).toMatch(/Name the host, or leave the host fields empty/);
    // Nothing of the step was saved: the opening paragraph is still the one step 2 showed (none yet).
    expect((await bot.store.currentMeetup(TEAM))?.intro).toBeUndefined();
  });
});

describe('the setup form, in steps, with the time zone picked from a searchable list', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await TestBot.start();
  });
  afterEach(() => bot.stop());

  const search = async (view: OpenedView, value: string) => {
    const reply = await bot.post(
      interactionBody(
        blockSuggestionPayload({
          actionId: actionIdOf(SETUP.timeZone),
          blockId: SETUP.timeZone,
          value,
          view: { id: view.id, callback_id: view.callbackId },
        }),
      ),
    );
    expect(reply.status).toBe(200);
    return ((reply.json as { options: Array<{ value: string; text: { text: string } }> }).options ?? []).map(
      (o) => o.value,
    );
  };

  it('offers the zones matching what is typed, the group’s own first, at most a hundred', async () => {
    const view = await bot.open('setup');
    expect(await search(view, 'new york')).toEqual(['America/New_York']);
    expect(await search(view, 'lond')).toEqual(['Europe/London']);
    const all = await search(view, '');
    expect(all.length).toBe(100);
    const organisers = bot.slack.addChannel({ name: 'organisers' });
    await bot.submit(view, {
      ...setupValues(november, organisers, FAKE_DEFAULTS.userId),
      [SETUP.timeZone]: input.externalSelect('America/New_York'),
    });
    expect((await bot.store.getGroup(TEAM))?.timeZone).toBe('America/New_York');
    // Once set, the group's zone comes first.
    expect((await search(await bot.open('setup'), 'america'))[0]).toBe('America/New_York');
  });

  it('saves the group on the first step and asks for the roster and the site’s style after', async () => {
    const organisers = bot.slack.addChannel({ name: 'organisers' });
    const reply = await bot.submit(
      await bot.open('setup'),
      setupValues(november, organisers, FAKE_DEFAULTS.userId),
    );
    expect(reply.steps.map(headerOf)).toEqual([
      '*Step 1 of 3 · The group*',
      '*Step 2 of 3 · Sponsors, reminders, template*',
      '*Step 3 of 3 · The site’s style*',
    ]);
    for (const step of reply.steps) expect(inputBlocksOf(step.view).length).toBeLessThanOrEqual(8);
    expect(reply.json).toMatchObject({ response_action: 'update', view: { callback_id: 'setup_done' } });
  });
});

describe('the talk form: speakers in rows, takeaways as a rich-text list', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await TestBot.start();
    const organisers = bot.slack.addChannel({ name: 'organisers' });
    await bot.submit(await bot.open('setup'), setupValues(november, organisers, FAKE_DEFAULTS.userId));
    await bot.submit(await bot.open('new'), meetupValues(november.meetup));
  });
  afterEach(() => bot.stop());

  const bold = (text: string) => ({ type: 'text', text, style: { bold: true } });
  const item = (...elements: object[]) => ({ type: 'rich_text_section', elements });
  const list = (indent: number, ...items: object[]) => ({
    type: 'rich_text_list',
    style: 'bullet',
    indent,
    elements: items,
  });

  it('adds a speaker row with its button, keeping what was typed, and reads speakers from the rows', async () => {
    const view = await bot.open('talk new');
    expect(headerOf(view)).toBe('*Step 1 of 3 · Who and what*');
    expect(inputBlocksOf(view.view).map((b) => b.block_id)).toEqual([
      TALK.speaker,
      TALK.company,
      TALK.pronouns,
      TALK.title,
      TALK.topic,
    ]);
    await bot.act({
      actionId: TALK.addSpeaker,
      view,
      values: { [TALK.speaker]: input.text('Tom Wilkie'), [TALK.title]: input.text('Cortex') },
    });
    await bot.settled();
    const two = viewOf(bot.slack.view(view.id) as Json);
    expect(inputBlocksOf(two.view).map((b) => b.block_id)).toContain(partBlockId(TALK.speaker, 2));
    expect(initial(two, TALK.speaker)).toBe('Tom Wilkie');
    expect(initial(two, TALK.title)).toBe('Cortex');
    expect(inputBlocksOf(two.view).length).toBeLessThanOrEqual(8);

    const reply = await bot.submit(two, {
      [TALK.speaker]: input.text('Tom Wilkie'),
      [TALK.company]: input.text('Grafana Labs'),
      [partBlockId(TALK.speaker, 2)]: input.text('Goutham Veeramachaneni'),
      [TALK.title]: input.text('Cortex'),
    });
    expect(reply.steps.map(headerOf)).toEqual([
      '*Step 1 of 3 · Who and what*',
      '*Step 2 of 3 · Takeaways and links*',
      '*Step 3 of 3 · Photo and more*',
    ]);
    const [talk] = (await bot.store.currentMeetup(TEAM))?.talks ?? [];
    expect(talk?.speakers).toEqual([
      { name: 'Tom Wilkie', company: 'Grafana Labs' },
      { name: 'Goutham Veeramachaneni' },
    ]);
  });

  it('keeps a nested list with a link, bold, a mention and a Liquid tag as typed, and reopens it as the same list', async () => {
    const takeaways = {
      type: 'rich_text',
      elements: [
        list(
          0,
          item({ type: 'text', text: 'Cortex is ' }, bold('horizontally scalable'), {
            type: 'text',
            text: ' Prometheus',
          }),
          item(
            { type: 'text', text: 'Thanks to ' },
            { type: 'user', user_id: 'U0USER0001' },
            { type: 'text', text: ' {% include x %}' },
          ),
        ),
        list(1, item({ type: 'link', url: 'https://cortexmetrics.io/', text: 'its docs' })),
      ],
    };
    await bot.submit(await bot.open('talk new'), {
      [TALK.speaker]: input.text('Tom Wilkie'),
      [TALK.title]: input.text('Cortex'),
      [TALK.takeaways]: input.richText(takeaways),
    });
    const [talk] = (await bot.store.currentMeetup(TEAM))?.talks ?? [];
    expect(talk?.takeaways).toEqual([
      { text: 'Cortex is {*horizontally scalable*} Prometheus', items: [] },
      {
        text: 'Thanks to @\u200Bsomeone {% include x %}',
        items: [{ text: '[its docs](https://cortexmetrics.io/)', items: [] }],
      },
    ]);
    const reopened = await bot.openWhole('talk 1');
    const shown = inputBlocksOf(reopened.view).find((b) => b.block_id === TALK.takeaways);
    expect(shown?.element.type).toBe('rich_text_input');
    expect(richTextToTakeaways(shown?.element.initial_value as never)).toEqual({
      ok: true,
      items: talk?.takeaways,
    });

    // In the draft's post: bold as Markdown, the Liquid tag shown as typed (not run), no mention left.
    const { responseUrl } = await bot.command('draft');
    await bot.responseTo(responseUrl, () => true, 10_000).catch(() => undefined);
    await bot.settled();
    const upload = bot.slack.uploads.find((u) => u.filename.endsWith('.md'));
    const post = upload?.bytes.toString('utf8') ?? '';
    expect(post).toContain('**horizontally scalable**');
    expect(post).not.toContain('{% include x %}');
    expect(post).not.toMatch(/<@U|@here/);
  });
});

describe('a step of a form, before Slack gets its answer', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await TestBot.start();
    const organisers = bot.slack.addChannel({ name: 'organisers' });
    await bot.submit(await bot.open('setup'), setupValues(november, organisers, FAKE_DEFAULTS.userId));
    await bot.submit(await bot.open('new'), meetupValues(november.meetup));
    await bot.submit(await bot.open('talk new'), {
      [TALK.speaker]: input.text('Tom Wilkie'),
      [TALK.title]: input.text('Cortex'),
    });
    await bot.settled();
  });
  afterEach(() => bot.stop());

  it('reads the talk it edits once, and still saves the step and shows the next', async () => {
    const view = await bot.open('talk 1');
    const reads = jest.spyOn(bot.store, 'getTalk');
    const reply = await bot.submitStep(view, { [TALK.title]: input.text('Cortex, scaled') });
    await bot.settled();
    expect(reads).toHaveBeenCalledTimes(1);
    expect(reply.json).toMatchObject({ response_action: 'update' });
    expect(headerOf(viewOf((reply.json as { view: Json }).view))).toBe('*Step 2 of 3 · Takeaways and links*');
    expect((await bot.store.currentMeetup(TEAM))?.talks[0]?.title).toBe('Cortex, scaled');
  });
});
