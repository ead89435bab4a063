import type { Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { TeamDeps } from '../../services/deps';
import { tell } from '../listeners/shared';
import { actorOf, refusalText } from './actor';

/**
 * Buttons and menus only the organisers may use (the draft's, the talk list's, the reminders'): anyone
 * else is acknowledged and told politely, and the listener never runs.
 */
export function organisersOnly(deps: TeamDeps): Middleware<SlackActionMiddlewareArgs> {
  return async ({ ack, context, respond, next }) => {
    const actor = actorOf(context);
    if (actor.isOrganiser) return next();
    await ack();
    await tell(deps, actor.userId, refusalText(actor), respond);
  };
}
