import { createHash } from 'node:crypto';
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Store } from '../../store/store';
import { actorOf } from './actor';

/**
 * One effect per delivery. Slack redelivers a request it thinks timed out (with X-Slack-Retry-Num), and a
 * command or an interaction carries a trigger id unique to it, an event its event id: a key seen before is
 * acknowledged and dropped. View submissions are keyed by view and values in their handlers instead, so
 * that a corrected resubmission after an inline error still goes through.
 */
export function onceOnly(store: Store): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as unknown as Record<string, unknown>;
    const key = deliveryKey(body);
    if (key && args.context.actor) {
      const { teamId } = actorOf(args.context);
      if (!(await store.claimDelivery(teamId, key))) {
        args.logger.info(`duplicate delivery ignored (${key.split(':')[0]})`);
        if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
        return;
      }
    }
    await args.next();
  };
}

function deliveryKey(body: Record<string, unknown>): string | undefined {
  if (typeof body.command === 'string' && typeof body.trigger_id === 'string')
    return `command:${body.trigger_id}`;
  if (body.type === 'block_actions' && typeof body.trigger_id === 'string')
    return `action:${body.trigger_id}`;
  if (body.type === 'event_callback' && typeof body.event_id === 'string') return `event:${body.event_id}`;
  return undefined;
}

/**
 * The key of a view submission: the same view, as last drawn (its hash), with the same values is the same
 * submission. A form in steps is drawn again at each step, so coming back to a step and going on with the
 * same values is a new submission.
 */
export function submissionKey(view: { id: string; hash?: string; state: { values: unknown } }): string {
  const digest = createHash('sha256').update(JSON.stringify(view.state.values)).digest('hex').slice(0, 32);
  return `view:${view.id}:${view.hash ?? ''}:${digest}`;
}
