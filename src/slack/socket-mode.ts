import { type CustomRoute, type Logger, SocketModeReceiver } from '@slack/bolt';
import type { Config } from '../config';

/**
 * Socket Mode's receiver: Slack's events arrive over a WebSocket that `apps.connections.open` (with the
 * app-level token) hands out. Its HTTP server on `PORT` serves only the custom routes (`/healthz`, the
 * install pages).
 */
export function socketModeReceiver(
  config: Config,
  o: { logger: Logger; customRoutes: CustomRoute[] },
): SocketModeReceiver {
  return new SocketModeReceiver({
    appToken: config.slack.appToken as string,
    logger: o.logger,
    customRoutes: o.customRoutes,
    installerOptions: {
      port: config.port,
      ...(config.slack.apiUrl ? { clientOptions: { slackApiUrl: config.slack.apiUrl } } : {}),
    },
  });
}
