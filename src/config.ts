import path from 'node:path';
import { backendOf, databasePath } from './store/database';

/**
 * The bot's configuration, read once from the environment (and `.env`, loaded by app.ts). Nothing else reads
 * process.env. Every problem is reported at once, each with where to find the value; no value is ever
 * echoed, since most of them are secrets.
 */
export interface Config {
  slack: {
    /** One workspace: its bot token. Unset when roundup is installed by OAuth (`oauth`). */
    botToken?: string;
    /** Verifies Slack's HTTP requests; not needed in Socket Mode. */
    signingSecret?: string;
    /** Set: Socket Mode. Unset: HTTP on `port`. */
    appToken?: string;
    /** Many workspaces, each installing roundup through Slack's OAuth (`/slack/install`). */
    oauth?: {
      clientId: string;
      clientSecret: string;
      /** Signs the OAuth `state`, which ties Slack's redirect to the browser that began the install. */
      stateSecret: string;
    };
    /** The Web API base URL (tests and proxies); Slack's own when unset. */
    apiUrl?: string;
  };
  port: number;
  /** Where the bot is reached from outside (https://…): the OAuth redirect URL is made from it. */
  publicUrl?: string;
  /**
   * Signs the links speakers fill in their own talk from (`/roundup ask <talk> link`); unset, no link is
   * made. Changing it makes every link given out so far stop working.
   */
  speakerLinkSecret?: string;
  /**
   * How many reverse proxies stand in front of the bot, each adding the address it got the request from to
   * X-Forwarded-For: the speakers' pages count requests by the address the first proxy saw. 0: by the
   * connection's own address (X-Forwarded-For, which anyone can send, is ignored).
   */
  trustProxy: number;
  databaseUrl: string;
  /** PostgreSQL: the most connections one process opens. */
  databasePoolSize: number;
  /**
   * This machine's copies of stored photos (the database holds them; the copies save reading them again):
   * `photos/` in DATA_DIR, which is the database file's folder for SQLite and `./data` for PostgreSQL.
   */
  photosDir: string;
  logLevel: LogLevel;
  /** `json`: one JSON object per log line (for a log collector); `text`: lines for a person. */
  logFormat: 'text' | 'json';
  /** How late (after downtime) a reminder may still be posted. */
  reminderGraceMinutes: number;
  /** How long the scheduler waits for one Slack call; its claims' lease is a multiple of it. */
  slackTimeoutMs: number;
  /** How often the scheduler looks for due reminders. */
  reminderTickSeconds: number;
  /** Publishing to the group's site: clones of git sites live in `workDir` (`sites/` in DATA_DIR). */
  publishing: {
    workDir: string;
    /** A fine-grained GitHub token (or an App installation token) for sites on GitHub; never logged. */
    githubToken?: string;
    /** GitHub's API base URL (GitHub Enterprise, tests); GitHub's own when unset. */
    githubApiUrl?: string;
  };
}

/** Tick intervals node-cron can keep exactly: whole seconds that divide a minute. */
const TICK_SECONDS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60];

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where the database is when DATABASE_URL does not say: a SQLite file in ./data. */
export const DEFAULT_DATABASE_URL = './data/roundup.db';

type Env = Readonly<Record<string, string | undefined>>;

/** Reads a variable of `env`: its value, if it is set to more than spaces. */
const reader = (env: Env) => (name: string) => env[name]?.trim() || undefined;

/**
 * The database's URL or file path, as the bot and the offline commands find it: `given` (a command's
 * `--database`), else DATABASE_URL, else DEFAULT_DATABASE_URL.
 */
export function databaseUrlOf(env: Env, given?: string): string {
  const value = reader(env);
  return given ?? value('DATABASE_URL') ?? DEFAULT_DATABASE_URL;
}

/**
 * The folder of this machine's photo copies and site clones: `given` (a command's `--data-dir`), else
 * DATA_DIR, else the SQLite file's folder (`./data` for PostgreSQL). Throws if the SQLite path is no path.
 */
export function dataDirOf(env: Env, databaseUrl: string, given?: string): string {
  const value = reader(env);
  const set = given ?? value('DATA_DIR');
  if (set !== undefined) return set;
  return backendOf(databaseUrl) === 'postgres' ? './data' : path.dirname(databasePath(databaseUrl));
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `roundup cannot start; its configuration has ${problems.length} problem(s):\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

const WHERE_APP = "your app's page at api.slack.com/apps";

export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const problems: string[] = [];
  const value = reader(env);

  const botToken = value('SLACK_BOT_TOKEN');
  const clientId = value('SLACK_CLIENT_ID');
  const clientSecret = value('SLACK_CLIENT_SECRET');
  const stateSecret = value('SLACK_STATE_SECRET');
  const oauthNames = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'];
  const oauthGiven = [clientId, clientSecret, stateSecret].filter(Boolean).length;
  if (botToken && oauthGiven > 0)
    problems.push(
      'set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (installed by OAuth in many workspaces), not both',
    );
  else if (!botToken && oauthGiven === 0)
    problems.push(
      `SLACK_BOT_TOKEN is missing: the Bot User OAuth Token (xoxb-...), under "OAuth & Permissions" on ${WHERE_APP}; or, to serve many workspaces, set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET instead`,
    );
  else if (botToken && !botToken.startsWith('xoxb-'))
    problems.push(
      `SLACK_BOT_TOKEN must be a bot token starting with xoxb- (see "OAuth & Permissions" on ${WHERE_APP})`,
    );
  else if (!botToken) {
    const missing = oauthNames.filter((_, i) => ![clientId, clientSecret, stateSecret][i]);
    if (missing.length > 0)
      problems.push(
        `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing: installing by OAuth needs the Client ID and Client Secret ("Basic Information" > "App Credentials" on ${WHERE_APP}) and a state secret of your own (at least 32 random characters)`,
      );
    if (clientId && !/^\d+\.\d+$/.test(clientId))
      problems.push(
        `SLACK_CLIENT_ID does not look like a Slack client id (digits, a dot, digits); copy it from "Basic Information" on ${WHERE_APP}`,
      );
    if (clientSecret && !/^[0-9a-f]{16,}$/i.test(clientSecret))
      problems.push(
        `SLACK_CLIENT_SECRET does not look like a client secret (hexadecimal); copy it from "Basic Information" on ${WHERE_APP}`,
      );
    if (stateSecret && stateSecret.length < 32)
      problems.push(
        'SLACK_STATE_SECRET must be at least 32 characters (for example the output of `openssl rand -hex 32`)',
      );
  }

  const appToken = value('SLACK_APP_TOKEN');
  const signingSecret = value('SLACK_SIGNING_SECRET');
  if (!signingSecret && !appToken?.startsWith('xapp-'))
    problems.push(
      `SLACK_SIGNING_SECRET is missing: the Signing Secret, under "Basic Information" > "App Credentials" on ${WHERE_APP} (not needed in Socket Mode, with SLACK_APP_TOKEN)`,
    );
  else if (signingSecret && !/^[0-9a-f]{16,}$/i.test(signingSecret))
    problems.push(
      `SLACK_SIGNING_SECRET does not look like a signing secret (hexadecimal); copy it from "Basic Information" on ${WHERE_APP}`,
    );

  if (appToken && !appToken.startsWith('xapp-')) {
    problems.push(
      `SLACK_APP_TOKEN must be an app-level token starting with xapp- ("Basic Information" > "App-Level Tokens", scope connections:write), or unset to serve HTTP`,
    );
  }

  const portText = value('PORT') ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535)
    problems.push('PORT must be a whole number from 1 to 65535');

  const publicUrl = value('PUBLIC_URL');
  if (publicUrl && !/^https?:\/\/[^\s/]+(\/[^\s?#]*)?$/.test(publicUrl))
    problems.push(
      'PUBLIC_URL must be the full https:// address the bot is reached at, such as https://roundup.example.org',
    );

  const speakerLinkSecret = value('SPEAKER_LINK_SECRET');
  if (speakerLinkSecret && speakerLinkSecret.length < 32)
    problems.push(
      'SPEAKER_LINK_SECRET must be at least 32 characters (for example the output of `openssl rand -hex 32`)',
    );

  const proxyText = value('TRUST_PROXY') ?? '0';
  const trustProxy = Number(proxyText);
  if (!/^\d$/.test(proxyText))
    problems.push('TRUST_PROXY must be the number of reverse proxies in front of roundup, from 0 to 9');

  const apiUrl = value('SLACK_API_URL');
  if (apiUrl && !/^https?:\/\/[^\s/]+/.test(apiUrl))
    problems.push('SLACK_API_URL must be a full http(s) URL, such as https://slack.com/api/');

  const logLevel = (value('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const logFormat = (value('LOG_FORMAT') ?? 'text').toLowerCase();
  if (logFormat !== 'text' && logFormat !== 'json') problems.push('LOG_FORMAT must be text or json');

  const graceText = value('REMINDER_GRACE_MINUTES') ?? '120';
  const reminderGraceMinutes = Number(graceText);
  if (!/^\d+$/.test(graceText) || reminderGraceMinutes > 7 * 24 * 60)
    problems.push('REMINDER_GRACE_MINUTES must be a whole number of minutes, at most 10080 (a week)');

  const timeoutText = value('SLACK_TIMEOUT_SECONDS') ?? '10';
  const slackTimeoutSeconds = Number(timeoutText);
  if (!/^\d+(\.\d+)?$/.test(timeoutText) || slackTimeoutSeconds <= 0 || slackTimeoutSeconds > 60)
    problems.push('SLACK_TIMEOUT_SECONDS must be a number of seconds above 0 and at most 60');

  const tickText = value('REMINDER_TICK_SECONDS') ?? '60';
  const reminderTickSeconds = Number(tickText);
  if (!TICK_SECONDS.includes(reminderTickSeconds))
    problems.push(
      `REMINDER_TICK_SECONDS must be one of ${TICK_SECONDS.join(', ')} (a whole divisor of a minute)`,
    );

  const githubToken = value('GITHUB_TOKEN');
  if (githubToken && !/^(github_pat_|ghp_|ghs_)[A-Za-z0-9_]+$/.test(githubToken))
    problems.push(
      'GITHUB_TOKEN does not look like a GitHub token (github_pat_... for a fine-grained token, under "Settings" > "Developer settings" > "Fine-grained tokens" on GitHub)',
    );
  const githubApiUrl = value('GITHUB_API_URL');
  if (githubApiUrl && !/^https?:\/\/[^\s/]+/.test(githubApiUrl))
    problems.push('GITHUB_API_URL must be a full http(s) URL, such as https://api.github.com');

  const databaseUrl = databaseUrlOf(env);
  const postgres = backendOf(databaseUrl) === 'postgres';
  let dataDir = value('DATA_DIR') ?? './data';
  if (postgres) {
    // The URL itself is never repeated: it holds the password.
    try {
      const url = new URL(databaseUrl);
      if (!url.hostname && !url.searchParams.has('host'))
        problems.push('DATABASE_URL names no PostgreSQL host: postgres://user:password@host:5432/database');
      if (url.pathname.replace(/^\//, '') === '')
        problems.push(
          'DATABASE_URL names no PostgreSQL database: postgres://user:password@host:5432/database',
        );
    } catch {
      problems.push(
        'DATABASE_URL is not a valid postgres:// URL (a character in the password may need %-encoding)',
      );
    }
  } else {
    try {
      dataDir = dataDirOf(env, databaseUrl);
    } catch (err) {
      problems.push(`DATABASE_URL: ${(err as Error).message}`);
    }
  }
  const poolText = value('DATABASE_POOL_SIZE') ?? '10';
  const databasePoolSize = Number(poolText);
  if (!/^\d+$/.test(poolText) || databasePoolSize < 2 || databasePoolSize > 100)
    problems.push('DATABASE_POOL_SIZE must be a whole number from 2 to 100 (connections per process)');

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    slack: {
      ...(botToken ? { botToken } : {}),
      ...(signingSecret ? { signingSecret } : {}),
      ...(appToken ? { appToken } : {}),
      ...(!botToken && clientId && clientSecret && stateSecret
        ? { oauth: { clientId, clientSecret, stateSecret } }
        : {}),
      ...(apiUrl ? { apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}),
    },
    port,
    ...(publicUrl ? { publicUrl: publicUrl.replace(/\/+$/, '') } : {}),
    ...(speakerLinkSecret ? { speakerLinkSecret } : {}),
    trustProxy,
    databaseUrl,
    databasePoolSize,
    photosDir: path.join(dataDir, 'photos'),
    logLevel: logLevel as LogLevel,
    logFormat: logFormat as Config['logFormat'],
    reminderGraceMinutes,
    slackTimeoutMs: Math.round(slackTimeoutSeconds * 1000),
    reminderTickSeconds,
    publishing: {
      workDir: path.join(dataDir, 'sites'),
      ...(githubToken ? { githubToken } : {}),
      ...(githubApiUrl ? { githubApiUrl: githubApiUrl.replace(/\/+$/, '') } : {}),
    },
  };
}
