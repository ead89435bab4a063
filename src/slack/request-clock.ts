import type { IncomingMessage, RequestListener } from 'node:http';

/** How far a request's signing time may be from the clock, in either direction: Slack's own five minutes. */
export const MAX_REQUEST_SKEW_SECONDS = 5 * 60;

/**
 * Wraps the HTTP receiver's listener so that a POST to one of Slack's endpoints signed more than five minutes
 * ahead of the clock is refused with 401, as a stale one is. Bolt refuses only old timestamps; a request
 * signed for the future would stay replayable until its time came and then for five minutes more.
 */
export function refuseFutureTimestamps(
  listener: RequestListener,
  o: { endpoints: readonly string[]; warn: (message: string) => void; now?: () => number },
): RequestListener {
  const now = o.now ?? Date.now;
  return (req, res) => {
    const ahead = secondsAhead(req, now());
    if (req.method === 'POST' && o.endpoints.includes(pathOf(req)) && ahead > MAX_REQUEST_SKEW_SECONDS) {
      o.warn(`refused a request signed ${ahead} s ahead of this machine's clock`);
      res.writeHead(401).end();
      return;
    }
    listener(req, res);
  };
}

function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://localhost').pathname;
}

/** How far ahead of `nowMs` the request says it was signed; 0 when it says nothing usable (Bolt refuses that). */
function secondsAhead(req: IncomingMessage, nowMs: number): number {
  const header = req.headers['x-slack-request-timestamp'];
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(seconds) ? Math.floor(seconds - nowMs / 1000) : 0;
}
