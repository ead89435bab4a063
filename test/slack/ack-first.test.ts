import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { loadConfig } from '../../src/config';
import { createSlackApp } from '../../src/slack/create-app';
import { CALLBACK } from '../../src/slack/views/ids';
import { openStore } from '../../src/store/sql-store';
import { FAKE_DEFAULTS, SIGNING_SECRET, stateValues, TestBot } from '../support/bot';
import { FakeSlack, UPLOAD_METHOD } from '../support/fake-slack';
import { loadRoundup } from '../support/fixtures';
import { meetupValues, nextValues, playEvening, talkValues } from '../support/organiser-evening';
import { slashCommandBody, viewSubmissionPayload } from '../support/slack-requests';
import { makeTempFolder } from '../support/temp-db';

/** Every Web API method the fake answers, and the upload POST: all of them are made to hang below. */
const METHODS = [
  'auth.test',
  'chat.postMessage',
  'chat.update',
  'chat.postEphemeral',
  'chat.delete',
  'conversations.history',
  'conversations.replies',
  'conversations.open',
  'conversations.join',
  'conversations.info',
  'views.open',
  'views.push',
  'views.update',
  'views.publish',
  'users.info',
  'files.info',
  'files.getUploadURLExternal',
  'files.completeUploadExternal',
  UPLOAD_METHOD,
];

type Entry = { kind: 'ack'; request: number } | { kind: 'call'; request: number | undefined; path: string };

/**
 * What this process sends to the fake Slack, in the order it is sent, each request attributed to the Slack
 * delivery whose handling made it, with the moment the bot writes each delivery's acknowledgement. Node's
 * HTTP diagnostics channels report both synchronously, so the order is exact: no clock is read.
 */
class SlackTraffic {
  readonly log: Entry[] = [];
  private readonly context = new AsyncLocalStorage<number>();
  private deliveries = 0;
  private readonly slackHost: string;

  private readonly onInbound = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    if (request.url !== '/slack/events') return;
    const id = ++this.deliveries;
    // Everything the bot does for this delivery, before and after its ack, runs in this context.
    this.context.enterWith(id);
    const end = response.end;
    const log = this.log;
    response.end = function (this: ServerResponse, ...args: unknown[]) {
      log.push({ kind: 'ack', request: id });
      return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse['end'];
  };
  private readonly onHttpCall = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    if (request.getHeader('host') === this.slackHost)
      this.log.push({ kind: 'call', request: this.context.getStore(), path: request.path });
  };
  private readonly onFetch = (message: unknown) => {
    const { request } = message as { request: { origin: string; path: string } };
    if (request.origin.includes(this.slackHost))
      this.log.push({ kind: 'call', request: this.context.getStore(), path: request.path });
  };

  constructor(slackBase: string) {
    this.slackHost = new URL(slackBase).host;
    diagnostics.subscribe('http.server.request.start', this.onInbound);
    diagnostics.subscribe('http.client.request.start', this.onHttpCall);
    diagnostics.subscribe('undici:request:create', this.onFetch);
  }

  stop(): void {
    diagnostics.unsubscribe('http.server.request.start', this.onInbound);
    diagnostics.unsubscribe('http.client.request.start', this.onHttpCall);
    diagnostics.unsubscribe('undici:request:create', this.onFetch);
  }

  /** The last delivery's Slack calls, split at its acknowledgement. */
  last(): { acked: boolean; before: string[]; after: string[] } {
    const id = this.deliveries;
    const ack = this.log.findIndex((e) => e.kind === 'ack' && e.request === id);
    const calls = (from: number, to: number) =>
      this.log.slice(from, to).flatMap((e) => (e.kind === 'call' && e.request === id ? [e.path] : []));
    return {
      acked: ack >= 0,
      before: calls(0, ack >= 0 ? ack : this.log.length),
      after: ack >= 0 ? calls(ack + 1, this.log.length) : [],
    };
  }
}

describe('nothing is asked of Slack before a request is acknowledged', () => {
  let bot: TestBot;
  let traffic: SlackTraffic;
  const november = loadRoundup('2018-11-cloud-native-london');

  beforeAll(async () => {
    bot = await TestBot.start();
    await playEvening(bot, november);
    await bot.bot.deps.inFlight.drain();
    traffic = new SlackTraffic(bot.slack.fileHost);
    // From here on no Slack method ever answers: a call awaited before the ack would keep the ack from coming.
    for (const method of METHODS) bot.slack.hangNext(method, 10_000);
  });
  afterAll(async () => {
    traffic.stop();
    // Let the work left waiting on Slack finish, so that the bot can stop; what it then fails to tell
    // (response URLs and triggers forgotten by the reset) is expected, and kept out of the output.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    bot.slack.reset();
    await bot.stop();
    quiet.mockRestore();
  });

  /** The ack came while Slack answered nothing, and none of the delivery's Slack requests preceded it. */
  const expectAckFirst = (reply: { status: number }) => {
    // Checked first: when the ack never comes, what it waited for is the clearest failure.
    const { acked, before } = traffic.last();
    expect(before).toEqual([]);
    expect(acked).toBe(true);
    expect(reply.status).toBe(200);
  };

  it.each([
    'help',
    'status',
    'talk',
    'talk new',
    'talk 1',
    'new',
    'edit',
    'photo',
    'next',
    'setup',
    'remind',
    'draft',
    'export',
  ])('/roundup %s', async (text) => {
    const { reply } = await bot.command(text);
    expectAckFirst(reply);
  });

  it('a command that opens a modal opens it right after the ack (the attribution sees the call)', async () => {
    const { reply, triggerId } = await bot.command('talk new');
    expectAckFirst(reply);
    // The views.open that follows the ack (this command's, by its trigger id) is seen and credited to this
    // command: the check above is not blind.
    await bot.slack.waitForCall('views.open', (call) => call.args.trigger_id === triggerId);
    const { after } = traffic.last();
    expect(after).toContain('/api/views.open');
  });

  it.each<[string, string, () => Record<string, unknown>]>([
    ['talk (a new one)', CALLBACK.talk, () => talkValues(november.meetup.talks[0]!)],
    ['meetup', CALLBACK.meetup, () => meetupValues(november.meetup)],
    ['next meetup', CALLBACK.next, () => nextValues(november.meetup)],
  ])('the %s form submitted', async (_name, callbackId, values) => {
    const meetup = await bot.store.currentMeetup(FAKE_DEFAULTS.teamId);
    const metadata = JSON.stringify({ meetupId: meetup!.id });
    const reply = await bot.post(
      new URLSearchParams({
        payload: JSON.stringify(
          viewSubmissionPayload({
            callbackId,
            values: stateValues(values() as never),
            privateMetadata: metadata,
            viewId: `V${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
          }),
        ),
      }).toString(),
    );
    expectAckFirst(reply);
    expect((reply.json as { response_action?: string } | undefined)?.response_action).not.toBe('errors');
  });
});

describe('in Socket Mode too, Bolt is given the identity and asks Slack nothing before the ack', () => {
  it('acknowledges a command with no Slack call at all', async () => {
    const slack = await FakeSlack.start();
    const folder = makeTempFolder();
    const config = loadConfig({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_APP_TOKEN: 'xapp-1-A0APP00001-1234567890-abcdef',
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: folder.file(),
      LOG_LEVEL: 'error',
    });
    const store = await openStore(config.databaseUrl);
    const { app } = createSlackApp(config, store, {
      identity: { botId: FAKE_DEFAULTS.botId, botUserId: FAKE_DEFAULTS.botUserId },
    });
    try {
      // What the Socket Mode receiver does with a slash command from the socket: the same processEvent.
      let callsAtAck = -1;
      let answer: unknown;
      await app.processEvent({
        body: Object.fromEntries(new URLSearchParams(slashCommandBody({ text: 'help' }))),
        ack: async (response?: unknown) => {
          callsAtAck = slack.calls.length;
          answer = response;
        },
      });
      // Slack answers at once here, so a call made before the ack would be counted rather than hang.
      expect(callsAtAck).toBe(0);
      expect(slack.callsTo('auth.test')).toEqual([]);
      expect(answer).toMatchObject({ text: 'roundup commands' });
    } finally {
      await store.close();
      await slack.stop();
      folder.remove();
    }
  });
});
