import { MEETUP, STEPS, TALK } from '../../src/slack/views/ids';
import { FAKE_DEFAULTS, type OpenedView, TestBot, viewOf } from '../support/bot';
import type { Json } from '../support/fake-slack';
import { loadRoundup } from '../support/fixtures';
import { meetupValues, setupValues } from '../support/organiser-evening';
import { type BoltResponse, input } from '../support/slack-requests';

const TEAM = FAKE_DEFAULTS.teamId;
const november = loadRoundup('2018-11-cloud-native-london');

type Update = { response_action: 'update'; view: Json };

const headerOf = (view: Json) =>
  String(
    ((view.blocks as Json[]).find((b) => b.block_id === STEPS.header)?.elements as Json[] | undefined)?.[0]
      ?.text,
  );

/** The step a step's submission answered with (an `update` of the modal). */
function nextStepOf(reply: BoltResponse): Update {
  expect(reply.status).toBe(200);
  expect(reply.json).toMatchObject({ response_action: 'update', view: expect.any(Object) });
  return reply.json as Update;
}

describe('a step of a form that Slack delivers again (X-Slack-Retry-Num)', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await TestBot.start();
    const organisers = bot.slack.addChannel({ name: 'organisers' });
    await bot.submit(await bot.open('setup'), setupValues(november, organisers, FAKE_DEFAULTS.userId));
  });
  afterEach(() => bot.stop());

  /** Submit a step, then Slack's retry of that very submission; both answers. */
  async function submitTwice(view: OpenedView, values: Parameters<TestBot['submitStep']>[1]) {
    const first = nextStepOf(await bot.submitStep(view, values));
    const retry = nextStepOf(await bot.submitStep(view, values, { retryNum: 1 }));
    await bot.settled();
    return { first, retry };
  }

  it('answers a new talk’s retried first step with the same next step, and the talk is saved once', async () => {
    await bot.submit(await bot.open('new'), meetupValues(november.meetup));
    const view = await bot.open('talk new');
    const { first, retry } = await submitTwice(view, {
      [TALK.speaker]: input.text('Tom Wilkie'),
      [TALK.title]: input.text('Cortex'),
    });

    expect(headerOf(first.view)).toBe('*Step 2 of 3 · Takeaways and links*');
    expect(retry.view).toEqual(first.view);
    const talks = (await bot.store.currentMeetup(TEAM))?.talks ?? [];
    expect(talks.map((t) => t.title)).toEqual(['Cortex']);
    // The step shown again edits the talk the first delivery saved: going on from it adds no other talk.
    expect(JSON.parse(String(retry.view.private_metadata))).toMatchObject({ talkId: talks[0]?.id, step: 1 });
    const second = viewOf(bot.slack.answerSubmission(view.id, retry));
    const done = await bot.submit(second, { [TALK.link]: input.url('https://example.com/cortex') });
    expect(done.status).toBe(200);
    expect(await bot.database.count('talks')).toBe(1);
    expect((await bot.store.currentMeetup(TEAM))?.talks[0]).toMatchObject({
      title: 'Cortex',
      link: { url: 'https://example.com/cortex' },
    });
  });

  it('answers a retried last step of the setup form with the same summary, not by closing it', async () => {
    let last = await bot.open('setup');
    while ((last.view.submit as { text?: string }).text === 'Next')
      last = viewOf(bot.slack.answerSubmission(last.id, nextStepOf(await bot.submitStep(last, {}))));
    expect(headerOf(last.view)).toBe('*Step 3 of 3 · The site’s style*');
    const first = nextStepOf(await bot.submitStep(last, {}));
    const retry = nextStepOf(await bot.submitStep(last, {}, { retryNum: 1 }));
    expect(first.view).toMatchObject({ callback_id: 'setup_done' });
    expect(retry.view).toEqual(first.view);
  });

  it('answers a retried step of a new meetup with the same next step, and the meetup is saved once', async () => {
    const view = await bot.open('new');
    const { first, retry } = await submitTwice(view, meetupValues(november.meetup));

    expect(headerOf(first.view)).toBe('*Step 2 of 5 · The host, the words, the sponsors*');
    expect(retry.view).toEqual(first.view);
    expect(await bot.database.count('meetups')).toBe(1);
    const second = viewOf(bot.slack.answerSubmission(view.id, retry));
    const third = nextStepOf(await bot.submitStep(second, { [MEETUP.hostFrom]: input.text(null) }));
    expect(headerOf(third.view)).toBe('*Step 3 of 5 · Photo, video, after the talks*');
    expect(await bot.database.count('meetups')).toBe(1);
  });
});
