import path from 'node:path';
import { ConfigError, DEFAULT_DATABASE_URL, databaseUrlOf, dataDirOf, loadConfig } from '../src/config';

const GOOD = {
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-abcdefghijkl',
  SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5'.replace(/[yz]/g, 'a'),
};

function problems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('configuration', () => {
  it('has defaults for everything but the Slack credentials', () => {
    expect(loadConfig(GOOD)).toEqual({
      slack: { botToken: GOOD.SLACK_BOT_TOKEN, signingSecret: GOOD.SLACK_SIGNING_SECRET },
      port: 3000,
      databaseUrl: './data/roundup.db',
      logFormat: 'text',
      databasePoolSize: 10,
      photosDir: path.join('data', 'photos'),
      logLevel: 'info',
      reminderGraceMinutes: 120,
      slackTimeoutMs: 10_000,
      reminderTickSeconds: 60,
      trustProxy: 0,
      publishing: { workDir: path.join('data', 'sites') },
    });
  });

  it('reads the GitHub token for publishing, and never repeats a malformed one', () => {
    const token = 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz';
    expect(
      loadConfig({ ...GOOD, GITHUB_TOKEN: token, GITHUB_API_URL: 'http://127.0.0.1:9/' }).publishing,
    ).toEqual({
      workDir: path.join('data', 'sites'),
      githubToken: token,
      githubApiUrl: 'http://127.0.0.1:9',
    });
    const secret = 'not a token but secret-ish value';
    let message = '';
    try {
      loadConfig({ ...GOOD, GITHUB_TOKEN: secret });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('GITHUB_TOKEN does not look like a GitHub token');
    expect(message).not.toContain(secret);
  });

  it('takes a speaker link secret of 32 characters or more, and never repeats a short one', () => {
    const secret = 'b'.repeat(32);
    expect(loadConfig({ ...GOOD, SPEAKER_LINK_SECRET: secret }).speakerLinkSecret).toBe(secret);
    expect(loadConfig(GOOD).speakerLinkSecret).toBeUndefined();
    const found = problems({ ...GOOD, SPEAKER_LINK_SECRET: 'short-secret' });
    expect(found).toEqual([
      'SPEAKER_LINK_SECRET must be at least 32 characters (for example the output of `openssl rand -hex 32`)',
    ]);
    expect(found.join('\n')).not.toContain('short-secret');
  });

  it('takes the number of reverse proxies in front of the bot', () => {
    expect(loadConfig({ ...GOOD, TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(problems({ ...GOOD, TRUST_PROXY: 'yes' })).toEqual([
      'TRUST_PROXY must be the number of reverse proxies in front of roundup, from 0 to 9',
    ]);
  });

  it('reads every variable, keeping photos beside the database', () => {
    const config = loadConfig({
      ...GOOD,
      SLACK_APP_TOKEN: 'xapp-1-A111-222-abc',
      PORT: '8080',
      DATABASE_URL: 'sqlite:/var/lib/roundup/roundup.db',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      LOG_LEVEL: 'DEBUG',
      REMINDER_GRACE_MINUTES: '30',
      SLACK_TIMEOUT_SECONDS: '2.5',
      REMINDER_TICK_SECONDS: '15',
    });
    expect(config).toMatchObject({
      slack: { appToken: 'xapp-1-A111-222-abc', apiUrl: 'http://127.0.0.1:9999/api/' },
      port: 8080,
      photosDir: '/var/lib/roundup/photos',
      logLevel: 'debug',
      reminderGraceMinutes: 30,
      slackTimeoutMs: 2500,
      reminderTickSeconds: 15,
    });
  });

  it('takes a postgres:// URL for PostgreSQL, with its pool size, and keeps local files in DATA_DIR', () => {
    const url = 'postgres://roundup:pa%24%24word@db.internal:5432/roundup';
    expect(loadConfig({ ...GOOD, DATABASE_URL: url, DATABASE_POOL_SIZE: '25' })).toMatchObject({
      databaseUrl: url,
      databasePoolSize: 25,
      photosDir: path.join('data', 'photos'),
      publishing: { workDir: path.join('data', 'sites') },
    });
    expect(
      loadConfig({ ...GOOD, DATABASE_URL: 'postgresql://db/roundup', DATA_DIR: '/var/cache/roundup' }),
    ).toMatchObject({ photosDir: '/var/cache/roundup/photos' });
  });

  it('names what is wrong with a PostgreSQL URL or the pool size, never repeating the password', () => {
    const found = [
      ...problems({ ...GOOD, DATABASE_URL: 'postgres://roundup:hunter2@db.internal:5432' }),
      ...problems({
        ...GOOD,
        DATABASE_URL: 'postgres://roundup:hunter2@db.internal:5432/x',
        DATABASE_POOL_SIZE: '1',
      }),
      ...problems({ ...GOOD, DATABASE_URL: 'postgres://roundup:hun ter2@[db/x' }),
    ];
    expect(found).toEqual([
      'DATABASE_URL names no PostgreSQL database: postgres://user:password@host:5432/database',
      'DATABASE_POOL_SIZE must be a whole number from 2 to 100 (connections per process)',
      'DATABASE_URL is not a valid postgres:// URL (a character in the password may need %-encoding)',
    ]);
    expect(found.join(' ')).not.toContain('hunter2');
  });

  it('names every problem at once, says where to find each value, and never echoes a value', () => {
    const env = {
      SLACK_BOT_TOKEN: 'xoxp-user-token-secret',
      SLACK_APP_TOKEN: 'not-an-app-token-secret',
      PORT: '70000',
      SLACK_API_URL: 'slack api',
      LOG_LEVEL: 'loud',
      REMINDER_GRACE_MINUTES: 'two hours',
      SLACK_TIMEOUT_SECONDS: 'soon',
      REMINDER_TICK_SECONDS: 'often',
      DATABASE_URL: 'sqlite:./x.db?key=hunter2-secret',
    };
    const found = problems(env);
    expect(found).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN must be a bot token starting with xoxb- .*OAuth & Permissions/),
      expect.stringMatching(/^SLACK_SIGNING_SECRET is missing: .*Basic Information/),
      expect.stringMatching(/^SLACK_APP_TOKEN must be an app-level token starting with xapp-/),
      'PORT must be a whole number from 1 to 65535',
      'SLACK_API_URL must be a full http(s) URL, such as https://slack.com/api/',
      'LOG_LEVEL must be one of debug, info, warn, error',
      'REMINDER_GRACE_MINUTES must be a whole number of minutes, at most 10080 (a week)',
      'SLACK_TIMEOUT_SECONDS must be a number of seconds above 0 and at most 60',
      'REMINDER_TICK_SECONDS must be one of 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60 (a whole divisor of a minute)',
      'DATABASE_URL: The database URL has options (after ? or #), which are not supported; give a file path',
    ]);
    const message = new ConfigError(found).message;
    for (const secret of Object.values(env)) expect(message).not.toContain(secret);
  });
});

describe('where the database and the local files are, as the bot and the offline commands find them', () => {
  it('takes a command’s option, else the environment, else the default file and its folder', () => {
    const env = { DATABASE_URL: ' sqlite:/srv/roundup/roundup.db ', DATA_DIR: '  ' };
    expect(databaseUrlOf(env, '/tmp/other.db')).toBe('/tmp/other.db');
    expect(databaseUrlOf(env)).toBe('sqlite:/srv/roundup/roundup.db');
    expect(databaseUrlOf({ DATABASE_URL: ' ' })).toBe(DEFAULT_DATABASE_URL);
    expect(dataDirOf(env, databaseUrlOf(env))).toBe('/srv/roundup');
    expect(dataDirOf({ DATA_DIR: '/var/cache/roundup' }, DEFAULT_DATABASE_URL)).toBe('/var/cache/roundup');
    expect(dataDirOf({ DATA_DIR: '/var/cache/roundup' }, DEFAULT_DATABASE_URL, 'here')).toBe('here');
    expect(dataDirOf({}, 'postgres://db/roundup')).toBe('./data');
    expect(loadConfig({ ...GOOD, ...env }).databaseUrl).toBe(databaseUrlOf(env));
  });
});
