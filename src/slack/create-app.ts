import type { ServerResponse } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { Config } from '../config';
import type { Store } from '../store/store';
import { registerListeners } from './listeners';

const LOG_LEVELS: Record<Config['logLevel'], LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

export interface SlackApp {
  app: App;
  /** Present in HTTP mode: Slack's traffic at POST /slack/events, and GET /healthz. */
  receiver?: HTTPReceiver;
}

/** The Bolt app, in Socket Mode when an app token is configured, else over HTTP. */
export function createSlackApp(config: Config, store: Store): SlackApp {
  const logLevel = LOG_LEVELS[config.logLevel];
  const clientOptions = config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {};
  if (config.slack.appToken) {
    const app = new App({
      token: config.slack.botToken,
      appToken: config.slack.appToken,
      socketMode: true,
      logLevel,
      clientOptions,
    });
    registerListeners(app);
    return { app };
  }
  const receiver = new HTTPReceiver({
    signingSecret: config.slack.signingSecret,
    endpoints: '/slack/events',
    logLevel,
    customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => void healthz(store, res) }],
  });
  const app = new App({ token: config.slack.botToken, receiver, logLevel, clientOptions });
  registerListeners(app);
  return { app, receiver };
}

async function healthz(store: Store, res: ServerResponse): Promise<void> {
  const database = await store.ping().catch(() => false);
  res.writeHead(database ? 200 : 503, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok: database, database: database ? 'ok' : 'unreachable' }));
}
