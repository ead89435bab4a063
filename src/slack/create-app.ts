import type { ServerResponse } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { Config } from '../config';
import type { Deps } from '../services/deps';
import { InFlight } from '../services/in-flight';
import { allowedFileHosts } from '../services/photos';
import type { Store } from '../store/store';
import { registerListeners } from './listeners';
import { refuseFutureTimestamps } from './request-clock';

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

export interface SlackAppOptions {
  /** The clock services use (tests fix it). */
  now?: () => Date;
}

/**
 * Slack calls are retried with backoff on 5xx and network errors, and after the Retry-After of a 429 (the
 * WebClient's own handling); a call still failing after about ten seconds reaches the user as a message.
 */
const RETRY = { retries: 4, factor: 2, minTimeout: 250, maxTimeout: 4000, randomize: true };

/** The Bolt app, in Socket Mode when an app token is configured, else over HTTP. */
export function createSlackApp(config: Config, store: Store, options: SlackAppOptions = {}): SlackApp {
  const logLevel = LOG_LEVELS[config.logLevel];
  const clientOptions = {
    retryConfig: RETRY,
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
  };
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
    botToken: config.slack.botToken,
    fileHosts: allowedFileHosts(config.slack.apiUrl),
    photosDir: config.photosDir,
    logger: app.logger,
    now: options.now ?? (() => new Date()),
    reminderGraceMs: config.reminderGraceMinutes * 60_000,
  });
  if (config.slack.appToken) {
    const app = new App({
      token: config.slack.botToken,
      appToken: config.slack.appToken,
      socketMode: true,
      logLevel,
      tokenVerificationEnabled: false,
      clientOptions,
    });
    const deps = depsOf(app);
    registerListeners(app, deps);
    return { app, deps, stop: stopping(app) };
  }
  const receiver = new HTTPReceiver({
    signingSecret: config.slack.signingSecret,
    endpoints: '/slack/events',
    logLevel,
    customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => void healthz(store, res) }],
  });
  // The token is checked once at start-up by app.ts, with a clear message; Bolt's own check at construction
  // would reject unobserved when Slack cannot be reached.
  const app = new App({
    token: config.slack.botToken,
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

async function healthz(store: Store, res: ServerResponse): Promise<void> {
  const database = await store.ping().catch(() => false);
  res.writeHead(database ? 200 : 503, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok: database, database: database ? 'ok' : 'unreachable' }));
}
