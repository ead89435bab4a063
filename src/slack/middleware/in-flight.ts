import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { InFlight } from '../../services/in-flight';

/** Every request's listeners, including what they do after acknowledging, count as work under way. */
export function trackInFlight(inFlight: InFlight): Middleware<AnyMiddlewareArgs> {
  return ({ next }) => inFlight.track(next());
}
