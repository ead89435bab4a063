import type { ServerResponse } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Config } from '../config';
import type { Deps } from '../services/deps';
import { InFlight } from '../services/in-flight';
import { allowedFileHosts } from '../services/photos';
import type { Store } from '../store/store';
import { registerListeners } from './listeners';
import { refuseFutureTimestamps } from './request-clock';
import { BoundedSocketModeReceiver } from './socket-mode';

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
   * The bot's identity from the start-up check. Given to Bolt with the token, it is what keeps Bolt from
   * calling `auth.test` on every incoming request before the listener can acknowledge it: with
   * `tokenVerificationEnabled: false` and no ids, Bolt 5's single-token authorize asks Slack each time.
   */
  identity: BotIdentity;
  /** The clock services use (tests fix it). */
  now?: () => Date;
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

/** The Bolt app, in Socket Mode when an app token is configured, else over HTTP. */
export function createSlackApp(config: Config, store: Store, options: SlackAppOptions): SlackApp {
  const logLevel = LOG_LEVELS[config.logLevel];
  const clientOptions = clientOptionsOf(config);
  const { botId, botUserId } = options.identity;
  const inFlight = new InFlight();
  // Stopping twice (SIGTERM, then SIGINT) waits for the first stop rather than failing.
  let stopped: Promise<void> | undefined;
  const stopping = (app: App) => () => {
    stopped ??= (async () => {
      await app.stop();
      await inFlight.drain();
    })();
    return stopped;
  };
  const depsOf = (app: App): Deps => ({
    inFlight,
    store,
    client: app.client,
    botToken: config.slack.botToken as string,
    fileHosts: allowedFileHosts(config.slack.apiUrl),
    photosDir: config.photosDir,
    logger: app.logger,
    now: options.now ?? (() => new Date()),
    reminderGraceMs: config.reminderGraceMinutes * 60_000,
    reminderClient: reminderClientOf(config, app),
    slackTimeoutMs: config.slackTimeoutMs,
    publishing: config.publishing,
  });
  if (config.slack.appToken) {
    // A receiver whose start is bounded and whose stop closes the WebSocket; /healthz on PORT as over HTTP.
    const receiver = new BoundedSocketModeReceiver(config, {
      logLevel,
      customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => void healthz(store, res) }],
    });
    const app = new App({
      token: config.slack.botToken,
      receiver,
      botId,
      botUserId,
      convoStore: false,
      logLevel,
      tokenVerificationEnabled: false,
      clientOptions,
    });
    const deps = depsOf(app);
    registerListeners(app, deps);
    return { app, deps, stop: stopping(app) };
  }
  const receiver = new HTTPReceiver({
    signingSecret: config.slack.signingSecret as string,
    endpoints: '/slack/events',
    logLevel,
    customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => void healthz(store, res) }],
  });
  // The token is checked once at start-up by app.ts, with a clear message; Bolt's own check at construction
  // would reject unobserved when Slack cannot be reached. The ids from that check stand in for it.
  const app = new App({
    token: config.slack.botToken,
    botId,
    botUserId,
    // Bolt's conversation store (state kept per channel) is unused: no middleware for it on every request.
    convoStore: false,
    receiver,
    logLevel,
    clientOptions,
    tokenVerificationEnabled: false,
  });
  receiver.requestListener = refuseFutureTimestamps(receiver.requestListener, {
    endpoints: ['/slack/events'],
    warn: (message) => app.logger.warn(message),
  });
  const deps = depsOf(app);
  registerListeners(app, deps);
  return { app, receiver, deps, stop: stopping(app) };
}

/**
 * The scheduler's own client: each call gives up after the configured timeout and is not retried by the
 * client, so no call outlives the claim's lease and a post that may have reached Slack is never repeated
 * blindly (the scheduler decides: it looks in the channel's history before posting again). A rate limit is
 * handed back at once with its Retry-After, for the scheduler to wait out within its own deadline.
 */
function reminderClientOf(config: Config, app: App): WebClient {
  return new WebClient(config.slack.botToken, {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    timeout: config.slackTimeoutMs,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: app.logger,
  });
}

async function healthz(store: Store, res: ServerResponse): Promise<void> {
  const database = await store.ping().catch(() => false);
  res.writeHead(database ? 200 : 503, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok: database, database: database ? 'ok' : 'unreachable' }));
}
