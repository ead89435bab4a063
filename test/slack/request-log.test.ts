import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AnyMiddlewareArgs, App, HTTPReceiver, type Middleware } from '@slack/bolt';
import { createLogger } from '../../src/logging';
import { logHttpRequests, logSlackRequests } from '../../src/slack/request-log';
import { SIGNING_SECRET } from '../support/bot';
import { postToBolt, slashCommandBody } from '../support/slack-requests';

/** The JSON logger, writing into an array of parsed lines. */
function jsonLogger(level: 'debug' | 'info' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(
    { format: 'json', level },
    {
      write: (text: string) => {
        for (const line of text.split('\n')) if (line) lines.push(JSON.parse(line));
      },
    },
  );
  return { logger, lines };
}

async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('logHttpRequests', () => {
  let server: http.Server;
  let base: string;
  let log: ReturnType<typeof jsonLogger>;
  /** Requests the test handler has seen and not answered (for the aborted case). */
  let waiting: http.ServerResponse[];

  beforeEach(async () => {
    log = jsonLogger('debug');
    waiting = [];
    const handler: http.RequestListener = (req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (path === '/slack/events') {
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 20);
      } else if (path === '/slack/oauth_redirect') {
        res.writeHead(302, { location: '/done' }).end();
      } else if (path === '/healthz') {
        res.writeHead(200).end('{"ok":true}');
      } else if (path === '/broken') {
        res.writeHead(500).end();
      } else if (path === '/hang') {
        waiting.push(res);
      } else {
        res.writeHead(404).end();
      }
    };
    server = http.createServer(logHttpRequests(handler, log.logger, { quietPaths: ['/healthz'] }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    for (const res of waiting) res.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('writes one line per request: method, path, status, milliseconds to one decimal and outcome', async () => {
    const res = await fetch(`${base}/slack/events`, { method: 'POST', body: 'payload=%7B%7D' });
    expect(res.status).toBe(200);
    await res.text();
    await until(() => log.lines.length === 1);

    expect(log.lines).toStrictEqual([
      {
        time: expect.any(String),
        level: 'info',
        msg: 'request',
        method: 'POST',
        path: '/slack/events',
        status: 200,
        ms: expect.any(Number),
        outcome: 'ok',
      },
    ]);
    const ms = log.lines[0]!.ms as number;
    expect(ms).toBeGreaterThanOrEqual(15);
    expect(Math.round(ms * 10)).toBeCloseTo(ms * 10, 6);
  });

  it('leaves out the query string, where the OAuth redirect carries its code and state', async () => {
    const res = await fetch(`${base}/slack/oauth_redirect?code=1234.5678.abcd&state=s3cret-state`, {
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    await until(() => log.lines.length === 1);

    expect(log.lines[0]).toMatchObject({ path: '/slack/oauth_redirect', status: 302, outcome: 'ok' });
    expect(JSON.stringify(log.lines)).not.toMatch(/1234\.5678|s3cret-state|code|state/);
  });

  it.each([
    ['/nothing-here', 404, 'refused'],
    ['/broken', 500, 'error'],
  ])('says %s answered %i was %s', async (path, status, outcome) => {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(status);
    await until(() => log.lines.length === 1);
    expect(log.lines[0]).toMatchObject({ method: 'GET', path, status, outcome });
  });

  it('says a request was aborted when the client went away before the answer', async () => {
    const controller = new AbortController();
    const request = fetch(`${base}/hang`, { signal: controller.signal });
    await until(() => waiting.length === 1);
    controller.abort();
    await expect(request).rejects.toThrow();
    await until(() => log.lines.length === 1);

    expect(log.lines[0]).toMatchObject({ method: 'GET', path: '/hang', status: null, outcome: 'aborted' });
  });

  it('writes exactly one line each for several requests on one connection', async () => {
    for (let i = 0; i < 3; i++)
      await (await fetch(`${base}/slack/events`, { method: 'POST', body: 'x' })).text();
    await (await fetch(`${base}/nothing-here`)).text();
    await until(() => log.lines.length >= 4);
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(log.lines.map((l) => `${l.path} ${l.outcome}`)).toStrictEqual([
      '/slack/events ok',
      '/slack/events ok',
      '/slack/events ok',
      '/nothing-here refused',
    ]);
  });

  it('writes the quiet paths (health checks) at debug, unless they fail', async () => {
    await (await fetch(`${base}/healthz`)).text();
    await until(() => log.lines.length === 1);
    expect(log.lines[0]).toMatchObject({ level: 'debug', path: '/healthz', outcome: 'ok' });
  });
});

describe('logSlackRequests', () => {
  type Args = Parameters<Middleware<AnyMiddlewareArgs>>[0];

  /** The middleware run on a body as Bolt would, with `next` standing for the listeners. */
  async function run(body: Record<string, unknown>, next: () => Promise<void>, teamId?: string) {
    const log = jsonLogger();
    const args = { body, context: teamId ? { teamId } : {}, next, logger: log.logger } as unknown as Args;
    const result = logSlackRequests(log.logger)(args).then(
      () => 'passed',
      (error: unknown) => error,
    );
    return { result: await result, lines: log.lines };
  }

  it.each([
    ['a slash command', { command: '/roundup', team_id: 'T0TEAMA', text: 'talk' }, 'command', '/roundup'],
    [
      'a form submission',
      { type: 'view_submission', team: { id: 'T0TEAMA' }, view: { callback_id: 'talk_form' } },
      'view_submission',
      'talk_form',
    ],
    [
      'a button',
      { type: 'block_actions', team: { id: 'T0TEAMA' }, actions: [{ action_id: 'publish_draft' }] },
      'block_actions',
      'publish_draft',
    ],
    [
      'an event',
      { type: 'event_callback', team_id: 'T0TEAMA', event: { type: 'app_home_opened' } },
      'app_home_opened',
      undefined,
    ],
  ])('writes one line for %s: kind, id, team, milliseconds and ok', async (_what, body, kind, id) => {
    const { result, lines } = await run(body, () => new Promise((resolve) => setTimeout(resolve, 10)));

    expect(result).toBe('passed');
    expect(lines).toStrictEqual([
      {
        time: expect.any(String),
        level: 'info',
        msg: 'slack request',
        kind,
        ...(id ? { id } : {}),
        team: 'T0TEAMA',
        ms: expect.any(Number),
        outcome: 'ok',
      },
    ]);
    expect(lines[0]!.ms).toBeGreaterThanOrEqual(5);
  });

  it("takes the team from Bolt's context when it has one", async () => {
    const { lines } = await run({ command: '/roundup' }, async () => undefined, 'T0CONTEXT');
    expect(lines[0]).toMatchObject({ kind: 'command', team: 'T0CONTEXT', outcome: 'ok' });
  });

  it('writes error with the redacted message when a listener fails, and passes the error on', async () => {
    const failure = new Error('An API error occurred: invalid_auth (token xoxb-1-2-abcdefABCDEF)');
    const { result, lines } = await run({ command: '/roundup', team_id: 'T0TEAMA' }, async () => {
      throw failure;
    });

    expect(result).toBe(failure);
    expect(lines).toStrictEqual([
      {
        time: expect.any(String),
        level: 'info',
        msg: 'slack request',
        kind: 'command',
        id: '/roundup',
        team: 'T0TEAMA',
        ms: expect.any(Number),
        outcome: 'error',
        error: 'An API error occurred: invalid_auth (token [redacted])',
      },
    ]);
  });
});

describe("with Bolt's HTTP receiver", () => {
  it('writes a line for each request Bolt answers or refuses, and the middleware one for each Slack request', async () => {
    const log = jsonLogger();
    const receiver = new HTTPReceiver({
      signingSecret: SIGNING_SECRET,
      endpoints: '/slack/events',
      // The receiver logs through a logger of its own unless given one.
      logger: log.logger,
      customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => res.writeHead(200).end() }],
    });
    const app = new App({
      token: 'xoxb-1-2-abcdefABCDEF',
      botId: 'B0BOT',
      botUserId: 'U0BOT',
      receiver,
      logger: log.logger,
      tokenVerificationEnabled: false,
    });
    receiver.requestListener = logHttpRequests(receiver.requestListener, log.logger);
    app.use(logSlackRequests(log.logger));
    app.command('/roundup', async ({ ack }) => ack());
    const server = (await app.start(0)) as http.Server;
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const body = slashCommandBody({ teamId: 'T0TEAMA' });
      expect((await postToBolt(`${base}/slack/events`, body, { signingSecret: SIGNING_SECRET })).status).toBe(
        200,
      );
      expect((await postToBolt(`${base}/slack/events`, body, { signingSecret: 'f'.repeat(32) })).status).toBe(
        401,
      );
      expect((await fetch(`${base}/healthz?probe=1`)).status).toBe(200);
      await until(() => log.lines.filter((l) => l.msg === 'request').length === 3);

      const lines = log.lines.filter((l) => l.msg === 'request' || l.msg === 'slack request');
      // The command's line and its HTTP line may come in either order (the ack answers before the listener ends).
      expect(lines).toHaveLength(4);
      expect(lines.map(({ time: _t, ms: _ms, ...rest }) => rest)).toEqual(
        expect.arrayContaining([
          {
            level: 'info',
            msg: 'slack request',
            kind: 'command',
            id: '/roundup',
            team: 'T0TEAMA',
            outcome: 'ok',
          },
          {
            level: 'info',
            msg: 'request',
            method: 'POST',
            path: '/slack/events',
            status: 200,
            outcome: 'ok',
          },
          {
            level: 'info',
            msg: 'request',
            method: 'POST',
            path: '/slack/events',
            status: 401,
            outcome: 'refused',
          },
          { level: 'info', msg: 'request', method: 'GET', path: '/healthz', status: 200, outcome: 'ok' },
        ]),
      );
      expect(log.lines.find((l) => l.level === 'warn')?.msg).toMatch(/signature mismatch/);
    } finally {
      await app.stop();
    }
  });
});
