import { main } from '../src/app';
import { createTestDatabase, type TestDatabase } from './support/backends';
import { FakeSlack } from './support/fake-slack';
import { freePort } from './support/ports';

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
    expect(await health.json()).toEqual({ ok: true, database: 'ok' });
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
});
