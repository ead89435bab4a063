import { main } from '../src/app';
import { createTestDatabase, type TestDatabase } from './support/backends';
import { FakeSlack } from './support/fake-slack';
import { freePort } from './support/ports';
import { postToBolt, slashCommandBody } from './support/slack-requests';

const SECRET = '8f742231b10e8888abcd99aaaa85a5a1';

/** On the backend under test: SQLite, or PostgreSQL in the suite's second run (see jest.config.js). */
describe('npm start (main)', () => {
  let slack: FakeSlack;
  let database: TestDatabase;
  let errors: string[];
  let spy: jest.SpyInstance;

  beforeEach(async () => {
    slack = await FakeSlack.start();
    database = await createTestDatabase();
    errors = [];
    spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      errors.push(args.join(' '));
    });
    process.exitCode = 0;
  });
  afterEach(async () => {
    spy.mockRestore();
    process.exitCode = 0;
    await slack.stop();
    await database.remove();
  });

  const env = (overrides: Record<string, string> = {}) => ({
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    DATABASE_URL: database.url,
    DATA_DIR: database.folder.dir,
    LOG_LEVEL: 'error',
    ...overrides,
  });

  it('checks the token with Slack, serves /healthz, and on stop finishes and closes the database', async () => {
    const port = await freePort();
    const running = await main(env({ PORT: String(port) }));
    expect(running).toBeDefined();
    expect(slack.callsTo('auth.test')).toHaveLength(1);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({
      ok: true,
      database: 'ok',
      reminders: { failed: 0, skipped: 0 },
    });
    await running!.stop('SIGTERM');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    expect(process.exitCode).toBe(0);
  });

  it('will not start with a token Slack refuses, saying which setting and never printing it', async () => {
    const refused = 'xoxb-not-the-right-token';
    const running = await main(env({ SLACK_BOT_TOKEN: refused, PORT: String(await freePort()) }));
    expect(running).toBeUndefined();
    expect(process.exitCode).toBe(1);
    expect(errors.join('\n')).toContain('Slack refused SLACK_BOT_TOKEN (invalid_auth)');
    expect(errors.join('\n')).not.toContain(refused);
  });

  it('will not start when PostgreSQL cannot be reached, saying why and never printing the password', async () => {
    const closed = await freePort();
    const url = `postgres://roundup:s3cret-pw@127.0.0.1:${closed}/roundup`;
    const running = await main(env({ DATABASE_URL: url, PORT: String(await freePort()) }));
    expect(running).toBeUndefined();
    expect(process.exitCode).toBe(1);
    const said = errors.join('\n');
    expect(said).toContain('roundup cannot start: Could not open the PostgreSQL database: nothing answers');
    expect(said).not.toContain('s3cret-pw');
    expect(slack.callsTo('auth.test')).toHaveLength(0);
  });

  it('will not start with broken configuration, naming every problem and no value', async () => {
    const running = await main({ SLACK_BOT_TOKEN: 'xoxp-user-token-secret', PORT: 'eighty' });
    expect(running).toBeUndefined();
    expect(process.exitCode).toBe(1);
    const said = errors.join('\n');
    expect(said).toContain('SLACK_BOT_TOKEN must be a bot token');
    expect(said).toContain('SLACK_SIGNING_SECRET is missing');
    expect(said).toContain('PORT must be a whole number');
    expect(said).not.toContain('user-token-secret');
  });

  it('with LOG_FORMAT=json writes one JSON line per request, with its duration and outcome, and no secret', async () => {
    const lines: string[] = [];
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const port = await freePort();
      const running = await main(env({ PORT: String(port), LOG_FORMAT: 'json', LOG_LEVEL: 'info' }));
      const body = slashCommandBody({ text: 'help' });
      expect(
        (await postToBolt(`http://127.0.0.1:${port}/slack/events`, body, { signingSecret: SECRET })).status,
      ).toBe(200);
      // A request signed with the wrong secret is refused, and logged as refused.
      await postToBolt(`http://127.0.0.1:${port}/slack/events`, body, { signingSecret: 'f'.repeat(32) });
      await running?.stop('SIGTERM');
      const logged = lines
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line));
      const requests = logged.filter((l) => l.msg === 'request');
      expect(requests).toEqual([
        expect.objectContaining({
          method: 'POST',
          path: '/slack/events',
          status: 200,
          outcome: 'ok',
          ms: expect.any(Number),
        }),
        expect.objectContaining({ path: '/slack/events', status: 401, outcome: 'refused' }),
      ]);
      expect(logged.every((l) => typeof l.time === 'string' && typeof l.level === 'string')).toBe(true);
      const all = lines.join('');
      for (const secret of [slack.botToken, SECRET]) expect(all).not.toContain(secret);
    } finally {
      out.mockRestore();
    }
  });

  it('installed by OAuth, starts without a bot token or a call to Slack, and serves the install page', async () => {
    const port = await freePort();
    const running = await main({
      ...env({ PORT: String(port), PUBLIC_URL: 'https://roundup.example.org' }),
      SLACK_BOT_TOKEN: '',
      SLACK_CLIENT_ID: slack.clientId,
      SLACK_CLIENT_SECRET: slack.clientSecret,
      SLACK_STATE_SECRET: 'x'.repeat(40),
    });
    expect(running).toBeDefined();
    expect(slack.calls).toHaveLength(0);
    const page = await fetch(`http://127.0.0.1:${port}/slack/install`);
    expect(page.status).toBe(200);
    const link = new URL((/href="([^"]+)"/.exec(await page.text())?.[1] ?? '').replace(/&#38;/g, '&'));
    expect(link.searchParams.get('redirect_uri')).toBe('https://roundup.example.org/slack/oauth_redirect');
    await running?.stop('SIGTERM');
  });
});
