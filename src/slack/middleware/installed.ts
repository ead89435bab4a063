import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '@slack/logger';

/** The events Slack sends when the app leaves a workspace: they come with no token to act with. */
const LEAVING_EVENTS = new Set(['app_uninstalled', 'tokens_revoked']);

/**
 * Requests from a workspace roundup is not installed in (never installed, or removed since) have no bot
 * token to answer with. A slash command gets a polite answer saying how to install it; anything else is
 * acknowledged and dropped. Nothing of the request is stored.
 */
export function onlyWhereInstalled(o: {
  logger: Logger;
  installUrl?: string;
}): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { context, body, next } = args;
    const event = (body as { event?: { type?: string } }).event;
    if (context.botToken || (event?.type && LEAVING_EVENTS.has(event.type))) return next();
    o.logger.info(
      `a request from team ${context.teamId ?? 'unknown'}, where roundup is not installed: refused`,
    );
    const ack = 'ack' in args ? (args.ack as (reply?: unknown) => Promise<void>) : undefined;
    if (!ack) return;
    if ((body as { command?: string }).command) {
      const how = o.installUrl
        ? `Someone who may add apps to this workspace can install it from ${o.installUrl}.`
        : 'Ask whoever runs roundup for its install link.';
      await ack({ response_type: 'ephemeral', text: `roundup is not installed in this workspace. ${how}` });
    } else {
      await ack();
    }
  };
}
