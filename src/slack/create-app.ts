import type { ServerResponse } from 'node:http';
import { App, type CustomRoute, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { Logger } from '@slack/logger';
import { WebClient } from '@slack/web-api';
import type { Config } from '../config';
import { createLogger } from '../logging';
import type { Deps } from '../services/deps';
import { InFlight } from '../services/in-flight';
import { allowedFileHosts } from '../services/photos';
import type { Store } from '../store/store';
import { type TalkPagesOptions, talkPages } from '../web/talk-routes';
import { INSTALL_PATH, installPages } from './install-pages';
import { registerListeners } from './listeners';
import { refuseFutureTimestamps } from './request-clock';
import { logHttpRequests, logSlackRequests } from './request-log';
import { BoundedSocketModeReceiver } from './socket-mode';
import { authorizeByInstallation, type ClientsFor, InstalledWorkspaces, SingleWorkspace } from './workspaces';

const LOG_LEVELS: Record<Config['logLevel'], LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

export interface SlackApp {
  app: App;
  /** Stop taking requests, then wait for the work under way (including after-acknowledgement work). */
  stop(): Promise<void>;
  /** What the listeners and the scheduler work with. */
  deps: Deps;
  /** Present in HTTP mode: Slack's traffic at POST /slack/events, and GET /healthz. */
  receiver?: HTTPReceiver;
}

/** Who the bot is in Slack: its bot id and bot user id, as the start-up `auth.test` answered. */
export interface BotIdentity {
  botId: string;
  botUserId: string;
}

export interface SlackAppOptions {
  /**
   * One workspace (SLACK_BOT_TOKEN): the bot's identity from the start-up check. Given to Bolt with the
   * token, it is what keeps Bolt from calling `auth.test` on every incoming request before the listener can
   * acknowledge it: with `tokenVerificationEnabled: false` and no ids, Bolt 5's single-token authorize asks
   * Slack each time. Installed by OAuth, each installation holds its bot's ids instead.
   */
  identity?: BotIdentity;
  /** The clock services use (tests fix it). */
  now?: () => Date;
  /** Where log lines go (LOG_FORMAT's logger); Bolt's console logger unless given. */
  logger?: Logger;
  /** The speakers' pages' rate limits (tests reach them quickly). */
  talkPages?: TalkPagesOptions;
}

/**
 * Slack calls are retried with backoff on 5xx and network errors, and after the Retry-After of a 429 (the
 * WebClient's own handling); a call still failing after about ten seconds reaches the user as a message.
 */
const RETRY = { retries: 4, factor: 2, minTimeout: 250, maxTimeout: 4000, randomize: true };

const clientOptionsOf = (config: Config) => ({
  retryConfig: RETRY,
  ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
});

/** A start-up `auth.test` that named no bot (the token is not a bot token, or Slack answered oddly). */
export class NotABotError extends Error {
  constructor() {
    super('Slack did not name a bot for SLACK_BOT_TOKEN: it must be the Bot User OAuth Token (xoxb-…).');
    this.name = 'NotABotError';
  }
}

/**
 * The start-up token check, made once before the app exists so that its answer can be given to Bolt. Throws
 * the Web API client's error when Slack refuses the token or cannot be reached.
 */
export async function checkBotToken(config: Config): Promise<BotIdentity & { user?: string; team?: string }> {
  const who = await new WebClient(config.slack.botToken, {
    ...clientOptionsOf(config),
    logLevel: LOG_LEVELS[config.logLevel],
  }).auth.test();
  if (!who.bot_id || !who.user_id) throw new NotABotError();
  return { botId: who.bot_id, botUserId: who.user_id, user: who.user, team: who.team };
}

/**
 * The Bolt app: over HTTP (`POST /slack/events`), or in Socket Mode when an app token is configured; for one
 * workspace's bot token, or for the workspaces that installed it by OAuth (`/slack/install`).
 */
export function createSlackApp(config: Config, store: Store, options: SlackAppOptions = {}): SlackApp {
  const logLevel = LOG_LEVELS[config.logLevel];
  const logger =
    options.logger ?? createLogger({ format: config.logFormat, level: config.logLevel, name: 'roundup' });
  const clientOptions = clientOptionsOf(config);
  const inFlight = new InFlight();
  const clientsFor: ClientsFor = (token) => ({
    client: new WebClient(token, { ...clientOptions, logger }),
    reminderClient: reminderClientOf(config, token, logger),
  });
  const { botToken, oauth } = config.slack;
  const workspaces = oauth
    ? new InstalledWorkspaces(store, clientsFor)
    : new SingleWorkspace(botToken as string, clientsFor);
  const deps: Deps = {
    inFlight,
    store,
    workspaces,
    fileHosts: allowedFileHosts(config.slack.apiUrl),
    photosDir: config.photosDir,
    logger,
    now: options.now ?? (() => new Date()),
    reminderGraceMs: config.reminderGraceMinutes * 60_000,
    slackTimeoutMs: config.slackTimeoutMs,
    publishing: config.publishing,
    speakerLinks: {
      ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
      ...(config.speakerLinkSecret ? { secret: config.speakerLinkSecret } : {}),
    },
  };
  const routes: CustomRoute[] = [
    { path: '/healthz', method: ['GET'], handler: (_req, res) => void healthz(store, res) },
    ...installPages(config, deps),
    ...talkPages(config, deps, options.talkPages),
  ];
  const installUrl = oauth && config.publicUrl ? `${config.publicUrl}${INSTALL_PATH}` : undefined;

  // One workspace: the token is checked once at start-up by app.ts, with a clear message, and the ids that
  // check returned stand in for Bolt's own check (which, at construction, would reject unobserved when Slack
  // cannot be reached, and without ids would ask Slack on every request). Many: each request's token and
  // ids come from its workspace's installation.
  const identity = options.identity;
  if (!oauth && !identity) throw new Error('createSlackApp needs the bot identity the start-up check found');
  const auth = oauth
    ? { authorize: authorizeByInstallation(store) }
    : {
        token: botToken as string,
        botId: identity?.botId,
        botUserId: identity?.botUserId,
        tokenVerificationEnabled: false,
      };

  let receiver: HTTPReceiver | undefined;
  let appReceiver: HTTPReceiver | BoundedSocketModeReceiver;
  if (config.slack.appToken) {
    // A receiver whose start is bounded and whose stop closes the WebSocket; /healthz on PORT as over HTTP.
    appReceiver = new BoundedSocketModeReceiver(config, { logLevel, customRoutes: routes });
  } else {
    receiver = new HTTPReceiver({
      signingSecret: config.slack.signingSecret as string,
      endpoints: '/slack/events',
      logger,
      logLevel,
      customRoutes: routes,
    });
    appReceiver = receiver;
  }
  const app = new App({
    ...auth,
    receiver: appReceiver,
    // Bolt's conversation store (state kept per channel) is unused: no middleware for it on every request.
    convoStore: false,
    logger,
    logLevel,
    clientOptions,
  });
  if (receiver) {
    // One log line per HTTP request (the refused ones included), with its duration and outcome.
    receiver.requestListener = logHttpRequests(
      refuseFutureTimestamps(receiver.requestListener, {
        endpoints: ['/slack/events'],
        warn: (message) => logger.warn(message),
      }),
      logger,
      { quietPaths: ['/healthz'] },
    );
  } else {
    // Socket Mode has no HTTP request: one line per Slack request instead.
    app.use(logSlackRequests(logger));
  }
  registerListeners(app, deps, { installUrl });

  // Stopping twice (SIGTERM, then SIGINT) waits for the first stop rather than failing.
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await app.stop();
      await inFlight.drain();
    })();
    return stopped;
  };
  return { app, deps, stop, ...(receiver ? { receiver } : {}) };
}

/**
 * The scheduler's own client: each call gives up after the configured timeout and is not retried by the
 * client, so no call outlives the claim's lease and a post that may have reached Slack is never repeated
 * blindly (the scheduler decides: it looks in the channel's history before posting again). A rate limit is
 * handed back at once with its Retry-After, for the scheduler to wait out within its own deadline.
 */
function reminderClientOf(config: Config, token: string, logger: Logger): WebClient {
  return new WebClient(token, {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    timeout: config.slackTimeoutMs,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger,
  });
}

/**
 * What a monitor polls: 200 while the database answers (503 when not), and how many reminders failed or
 * were skipped in the last 24 hours, across every workspace (a number to alert on when it grows).
 */
async function healthz(store: Store, res: ServerResponse): Promise<void> {
  const database = await store.ping().catch(() => false);
  const since = new Date(Date.now() - 24 * 3600_000).toISOString();
  const reminders = database ? await store.countReminderOutcomes(since).catch(() => undefined) : undefined;
  res.writeHead(database ? 200 : 503, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      ok: database,
      database: database ? 'ok' : 'unreachable',
      ...(reminders ? { reminders } : {}),
    }),
  );
}
