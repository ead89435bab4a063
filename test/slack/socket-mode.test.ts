import net from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { main, type Running } from '../../src/app';
import { loadConfig } from '../../src/config';
import { BoundedSocketModeReceiver, checkSocketMode, SocketModeError } from '../../src/slack/socket-mode';
import { SETUP } from '../../src/slack/views/ids';
import { createTestDatabase, type TestDatabase } from '../support/backends';
import { openedView, stateValues } from '../support/bot';
import { FAKE_DEFAULTS, FakeSlack } from '../support/fake-slack';
import { FakeSocketMode } from '../support/fake-socket-mode';
import { loadRoundup } from '../support/fixtures';
import { setupValues } from '../support/organiser-evening';
import { freePort } from '../support/ports';
import { input, viewSubmissionPayload } from '../support/slack-requests';

/**
 * `npm start` in Socket Mode (SLACK_APP_TOKEN, no signing secret), against the fake Slack's Socket Mode:
 * envelopes in, acks out, /healthz on PORT, a clean stop; and every way start-up is refused, each with the
 * sentence an operator reads.
 */
describe('npm start in Socket Mode', () => {
  let slack: FakeSlack;
  let socketMode: FakeSocketMode;
  let database: TestDatabase;
  let errors: string[];
  let spy: jest.SpyInstance;
  let running: Running | undefined;

  beforeEach(async () => {
    slack = await FakeSlack.start();
    socketMode = FakeSocketMode.attach(slack);
    database = await createTestDatabase();
    errors = [];
    spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      errors.push(args.join(' '));
    });
    process.exitCode = 0;
    running = undefined;
  });
  afterEach(async () => {
    await running?.stop();
    spy.mockRestore();
    process.exitCode = 0;
    await slack.stop();
    await database.remove();
  });

  const env = async (overrides: Record<string, string> = {}) => ({
    SLACK_APP_TOKEN: slack.appToken,
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_API_URL: slack.apiUrl,
    DATABASE_URL: database.url,
    DATA_DIR: database.folder.dir,
    PORT: String(await freePort()),
    LOG_LEVEL: 'error',
    ...overrides,
  });

  it('connects, answers /roundup help in the ack, serves /healthz on PORT, and closes the WebSocket on stop', async () => {
    const config = await env();
    running = await main(config);
    expect(running).toBeDefined();
    expect(errors).toEqual([]);
    // The start-up check's call, then the client's own.
    expect(slack.callsTo('apps.connections.open').map((c) => c.status)).toEqual([200, 200]);
    await socketMode.waitForConnection(1);

    const help = await socketMode.slashCommand({ text: 'help' });
    expect(help.payload).toMatchObject({ response_type: 'ephemeral', text: 'roundup commands' });
    expect(JSON.stringify(help.payload)).toContain('`/roundup help`: this list');
    // Only the start-up check asked who the bot is: Bolt asks nothing per envelope.
    expect(slack.callsTo('auth.test')).toHaveLength(1);

    const health = await fetch(`http://127.0.0.1:${config.PORT}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      ok: true,
      database: 'ok',
      reminders: { failed: 0, skipped: 0 },
    });

    await running?.stop('SIGTERM');
    running = undefined;
    await socketMode.waitForClose(1);
    expect(socketMode.connections[0]?.closeCode).toBe(1000);
    await expect(fetch(`http://127.0.0.1:${config.PORT}/healthz`)).rejects.toThrow();
    expect(process.exitCode).toBe(0);
  });

  it('opens the setup modal from the trigger, refuses a misspelt time zone in the ack, and saves the fix', async () => {
    const organisersChannel = slack.addChannel({ name: 'organisers', isPrivate: true });
    running = await main(await env());
    await socketMode.waitForConnection(1);

    const triggerId = slack.issueTriggerId();
    const opened = await socketMode.slashCommand({ text: 'setup', triggerId });
    expect(opened.payload).toEqual({});
    const view = openedView(await slack.waitForCall('views.open', (c) => c.args.trigger_id === triggerId));
    expect(view.callbackId).not.toBe('');

    const values = setupValues(
      loadRoundup('2018-11-cloud-native-london'),
      organisersChannel,
      FAKE_DEFAULTS.userId,
    );
    const submit = (overrides: Record<string, ReturnType<typeof input.text>> = {}) =>
      socketMode.interactive(
        viewSubmissionPayload({
          callbackId: view.callbackId,
          viewId: view.id,
          hash: view.hash,
          privateMetadata: view.privateMetadata,
          values: stateValues({ ...values, ...overrides }),
        }),
      );

    const refused = await submit({ [SETUP.timeZone]: input.externalSelect('Europe/Londn') });
    expect(refused.payload).toMatchObject({ response_action: 'errors' });
    expect(Object.keys((refused.payload as { errors: object }).errors)).toEqual([SETUP.timeZone]);
    expect(await database.count('groups')).toBe(0);

    const saved = await submit();
    expect(saved.payload).toMatchObject({ response_action: 'update' });
    expect(await database.count('groups')).toBe(1);
  });

  it('opens a new connection when Slack asks it to refresh, and acks the next envelope on it', async () => {
    running = await main(await env());
    await socketMode.waitForConnection(1);
    socketMode.disconnect('refresh_requested');
    await socketMode.waitForClose(1);
    await socketMode.waitForConnection(2);
    expect(socketMode.openCount).toBe(1);
    const help = await socketMode.slashCommand({ text: 'help' });
    expect(help.payload).toMatchObject({ text: 'roundup commands' });
  });

  describe('will not start, saying why in one sentence and printing no token', () => {
    async function refusedStart(overrides: Record<string, string>): Promise<string> {
      const config = await env(overrides);
      running = await main(config);
      expect(running).toBeUndefined();
      expect(process.exitCode).toBe(1);
      const said = errors.join('\n');
      for (const secret of [config.SLACK_APP_TOKEN, config.SLACK_BOT_TOKEN])
        expect(said).not.toContain(secret);
      // Nothing is left listening on PORT.
      await expect(fetch(`http://127.0.0.1:${config.PORT}/healthz`)).rejects.toThrow();
      return said;
    }

    it('when SLACK_APP_TOKEN is an xapp- token Slack does not take as app-level (not_allowed_token_type)', async () => {
      // An xapp-looking value that Slack knows as another kind of token.
      const lookalike = 'xapp-1-A0APP00001-0000000000000-bot';
      slack.workspaces.addToken({ token: lookalike, kind: 'bot', teamId: slack.teamId, scopes: [] });
      expect(await refusedStart({ SLACK_APP_TOKEN: lookalike })).toBe(
        'roundup cannot start: SLACK_APP_TOKEN is not an app-level token: create one under Basic Information > App-Level Tokens with the connections:write scope',
      );
      expect(socketMode.opened).toBe(0);
    });

    it('when the app-level token lacks connections:write', async () => {
      expect(await refusedStart({ SLACK_APP_TOKEN: slack.issueAppToken([]) })).toBe(
        'roundup cannot start: SLACK_APP_TOKEN lacks the connections:write scope (missing_scope): create an app-level token with connections:write under Basic Information > App-Level Tokens and use it instead',
      );
    });

    it('when the app-level token is wrong or revoked', async () => {
      expect(await refusedStart({ SLACK_APP_TOKEN: 'xapp-1-A0APP00001-1-revokedrevoked' })).toBe(
        'roundup cannot start: Slack refused SLACK_APP_TOKEN (invalid_auth): it is wrong or was revoked; copy it again, or create a new one, under Basic Information > App-Level Tokens',
      );
    });

    it("when Socket Mode is off in the app's settings", async () => {
      socketMode.setEnabled(false);
      expect(await refusedStart({})).toBe(
        "roundup cannot start: Socket Mode is off for this app (socket_mode_not_enabled): turn on Socket Mode under Settings > Socket Mode on your app's page at api.slack.com/apps, or unset SLACK_APP_TOKEN to serve HTTP",
      );
    });

    it('when apps.connections.open cannot be reached, after five tries', async () => {
      const closed = `http://127.0.0.1:${await freePort()}/api/`;
      expect(await refusedStart({ SLACK_API_URL: closed })).toBe(
        `roundup cannot start: Slack could not be reached at ${closed}apps.connections.open (ECONNREFUSED, 5 tries): check the network, or SLACK_API_URL if set`,
      );
    });

    it('when apps.connections.open keeps failing with HTTP 500, after five tries', async () => {
      socketMode.failOpenNext(5);
      expect(await refusedStart({})).toBe(
        `roundup cannot start: Slack could not be reached at ${slack.apiUrl}apps.connections.open (HTTP 500, 5 tries): check the network, or SLACK_API_URL if set`,
      );
      expect(slack.callsTo('apps.connections.open')).toHaveLength(5);
    });

    it('when the WebSocket upgrade is refused, after five tries', async () => {
      socketMode.refuseNext({ kind: 'status', status: 403 }, 5);
      const said = await refusedStart({});
      expect(said).toBe(
        `roundup cannot start: Slack's Socket Mode WebSocket at ${slack.fileHost.replace('http', 'ws')}/link/ could not be opened (the upgrade was refused or the connection failed, 5 tries): check that the network, or a proxy, lets WebSocket connections through to Slack, or SLACK_API_URL if set`,
      );
      expect(socketMode.refusedUpgrades).toBe(5);
      expect(socketMode.opened).toBe(0);
    });
  });
});

/** The receiver and the check on their own, with tries short enough to exhaust quickly. */
describe('the Socket Mode receiver and start-up check', () => {
  const RETRY = { attempts: 3, firstDelayMs: 20, maxDelayMs: 50, attemptTimeoutMs: 1500 };
  let slack: FakeSlack;
  let socketMode: FakeSocketMode;
  let receiver: BoundedSocketModeReceiver | undefined;
  let port: number;

  beforeEach(async () => {
    slack = await FakeSlack.start();
    socketMode = FakeSocketMode.attach(slack);
    port = await freePort();
    receiver = undefined;
  });
  afterEach(async () => {
    await receiver?.stop();
    await slack.stop();
  });

  const configOf = (overrides: Record<string, string> = {}) =>
    loadConfig({
      SLACK_APP_TOKEN: slack.appToken,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      LOG_LEVEL: 'error',
      ...overrides,
    });

  /** A Bolt app on the receiver, answering `/roundup` with the text it was given. */
  function appOn(config = configOf()): BoundedSocketModeReceiver {
    const created = new BoundedSocketModeReceiver(config, {
      logLevel: LogLevel.ERROR,
      customRoutes: [{ path: '/ping', method: ['GET'], handler: (_req, res) => void res.end('pong') }],
      retry: RETRY,
    });
    const app = new App({
      token: slack.botToken,
      receiver: created,
      botId: FAKE_DEFAULTS.botId,
      botUserId: FAKE_DEFAULTS.botUserId,
      tokenVerificationEnabled: false,
      logLevel: LogLevel.ERROR,
    });
    app.command('/roundup', async ({ command, ack }) => ack(`echo ${command.text}`));
    receiver = created;
    return created;
  }

  it('serves its custom routes on PORT and answers 404 for any other path', async () => {
    await appOn().start();
    expect(await (await fetch(`http://127.0.0.1:${port}/ping`)).text()).toBe('pong');
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    // A request target no URL is made of is refused, and the server goes on serving.
    const odd = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end('GET // HTTP/1.1\r\nHost: x\r\n\r\n'));
      let answer = '';
      socket.on('data', (chunk) => {
        answer += chunk.toString();
      });
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });
    expect(odd).toMatch(/^HTTP\/1\.1 400/);
    expect(await (await fetch(`http://127.0.0.1:${port}/ping`)).text()).toBe('pong');
  });

  it('connects after apps.connections.open fails twice (HTTP 500, then a rate limit)', async () => {
    socketMode.failOpenNext(1);
    socketMode.failOpenNext(1, { status: 429, retryAfter: 0 });
    await appOn().start();
    expect(slack.callsTo('apps.connections.open').map((c) => c.status)).toEqual([500, 429, 200]);
    expect((await socketMode.slashCommand({ text: 'hi' })).payload).toEqual({ text: 'echo hi' });
  });

  it('gives up a start whose upgrade hangs, after its tries, each ended by the try timeout', async () => {
    socketMode.hangNext(3);
    await expect(appOn().start()).rejects.toThrow(
      new SocketModeError(
        `Slack's Socket Mode WebSocket at ${slack.fileHost.replace('http', 'ws')}/link/ could not be opened (no hello within 1.5 s, 3 tries): check that the network, or a proxy, lets WebSocket connections through to Slack, or SLACK_API_URL if set`,
      ),
    );
    expect(socketMode.refusedUpgrades).toBe(3);
    await expect(fetch(`http://127.0.0.1:${port}/ping`)).rejects.toThrow();
  });

  it('gives up a start whose connections close before hello', async () => {
    socketMode.refuseNext({ kind: 'close', code: 1011 }, 3);
    await expect(appOn().start()).rejects.toThrow(/could not be opened \(.+, 3 tries\)/);
    expect(socketMode.opened).toBe(0);
  });

  it('reopens a connection that drops, and one that Slack closes, and keeps trying while Slack refuses', async () => {
    await appOn().start();
    await socketMode.waitForConnection(1);
    // Dropped without a close frame, as a network failure would.
    await socketMode.dropAll();
    await socketMode.waitForConnection(2);
    expect((await socketMode.slashCommand({ text: 'again' })).payload).toEqual({ text: 'echo again' });

    // Refused twice while reconnecting, then accepted.
    socketMode.refuseNext({ kind: 'status', status: 503 }, 2);
    socketMode.disconnect('warning');
    await socketMode.waitForConnection(3);
    expect(socketMode.refusedUpgrades).toBe(2);
    expect((await socketMode.slashCommand({ text: 'third' })).payload).toEqual({ text: 'echo third' });
  });

  it('stops while reconnecting, leaving no connection open', async () => {
    await appOn().start();
    await socketMode.waitForConnection(1);
    socketMode.refuseNext({ kind: 'status', status: 503 }, 100);
    socketMode.disconnect('refresh_requested');
    await socketMode.waitForClose(1);
    await receiver?.stop();
    receiver = undefined;
    expect(socketMode.openCount).toBe(0);
  });

  it('checks the token: a hung apps.connections.open is given up after each try, then named with its address', async () => {
    slack.hangNext('apps.connections.open', 3);
    await expect(checkSocketMode(configOf(), RETRY)).rejects.toThrow(
      new SocketModeError(
        `Slack could not be reached at ${slack.apiUrl}apps.connections.open (no answer within 1.5 s, 3 tries): check the network, or SLACK_API_URL if set`,
      ),
    );
    expect(slack.callsTo('apps.connections.open')).toHaveLength(3);
  });

  it('checks the token: an answer no retry changes ends the check at once', async () => {
    socketMode.failOpenNext(1, { status: 200, error: 'team_disabled' });
    await expect(checkSocketMode(configOf(), RETRY)).rejects.toThrow(
      "Slack refused to open a Socket Mode connection (team_disabled): check the app's Socket Mode settings and SLACK_APP_TOKEN at api.slack.com/apps",
    );
    expect(slack.callsTo('apps.connections.open')).toHaveLength(1);
  });
});
