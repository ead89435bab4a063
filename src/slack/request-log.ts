import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AnyMiddlewareArgs, Logger, Middleware } from '@slack/bolt';
import { redact } from '../logging';

/** How a request ended: answered (2xx, 3xx), refused (4xx), failed (5xx), or left by the client before the answer. */
export type RequestOutcome = 'ok' | 'refused' | 'error' | 'aborted';

export interface HttpRequestLogOptions {
  /** Paths logged at debug rather than info, such as a load balancer's frequent health checks. */
  quietPaths?: readonly string[];
}

/**
 * Wraps the HTTP receiver's listener so that each request writes one line when it ends: its method, its path
 * (without the query string: the OAuth redirect carries its code and state there), the status, how long it
 * took in milliseconds and how it ended. With the JSON logger:
 * `{"msg":"request","method":"POST","path":"/slack/events","status":200,"ms":3.1,"outcome":"ok"}`.
 */
export function logHttpRequests(
  listener: RequestListener,
  logger: Logger,
  options: HttpRequestLogOptions = {},
): RequestListener {
  const quiet = new Set(options.quietPaths ?? []);
  return (req, res) => {
    const started = process.hrtime.bigint();
    let logged = false;
    const log = () => {
      if (logged) return;
      logged = true;
      const path = pathOf(req);
      const outcome = outcomeOf(res);
      const line = {
        method: req.method ?? '',
        path,
        status: res.headersSent ? res.statusCode : null,
        ms: millisecondsSince(started),
        outcome,
      };
      if (quiet.has(path) && outcome === 'ok') logger.debug(line, 'request');
      else logger.info(line, 'request');
    };
    // 'finish': the answer was handed to the system in full. 'close' without it: the client went away first.
    res.once('finish', log);
    res.once('close', log);
    listener(req, res);
  };
}

/**
 * A global middleware writing one line per Slack request for Socket Mode, where no HTTP request exists: its
 * kind (`command`, `view_submission`, `block_actions`, an event's type...), the command, callback or action id,
 * the team, how long the listeners took (what they do after acknowledging included) and how it ended: `ok`,
 * or `error` with the error's message. The error is passed on, to Bolt's error handler.
 */
export function logSlackRequests(logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const started = process.hrtime.bigint();
    const { kind, id } = kindOf(body as unknown as SlackBody);
    const team = context.teamId ?? teamOf(body as unknown as SlackBody);
    const line = { kind, ...(id ? { id } : {}), ...(team ? { team } : {}) };
    try {
      await next();
    } catch (error) {
      logger.info(
        { ...line, ms: millisecondsSince(started), outcome: 'error', error: redact(messageOf(error)) },
        'slack request',
      );
      throw error;
    }
    logger.info({ ...line, ms: millisecondsSince(started), outcome: 'ok' }, 'slack request');
  };
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const end = url.search(/[?#]/);
  // Never the query string; and not a whole line of whatever a scanner sends.
  return redact(end === -1 ? url : url.slice(0, end)).slice(0, 200);
}

function outcomeOf(res: ServerResponse): RequestOutcome {
  if (!res.writableFinished) return 'aborted';
  if (res.statusCode >= 500) return 'error';
  if (res.statusCode >= 400) return 'refused';
  return 'ok';
}

/** Milliseconds since `started`, to one decimal. */
function millisecondsSince(started: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
}

/** The few parts of a Slack payload the line needs; every one may be missing. */
interface SlackBody {
  type?: string;
  command?: string;
  callback_id?: string;
  team_id?: string;
  team?: { id?: string } | null;
  user?: { team_id?: string };
  view?: { callback_id?: string };
  actions?: { action_id?: string }[];
  action_id?: string;
  event?: { type?: string; subtype?: string };
}

function kindOf(body: SlackBody): { kind: string; id?: string } {
  if (typeof body.command === 'string') return { kind: 'command', id: body.command };
  switch (body.type) {
    case 'event_callback':
      return { kind: body.event?.type ?? 'event', id: body.event?.subtype };
    case 'view_submission':
    case 'view_closed':
      return { kind: body.type, id: body.view?.callback_id };
    case 'block_actions':
      return { kind: body.type, id: body.actions?.[0]?.action_id };
    case 'block_suggestion':
      return { kind: body.type, id: body.action_id };
    case 'shortcut':
    case 'message_action':
      return { kind: body.type, id: body.callback_id };
    default:
      return { kind: body.type ?? 'unknown' };
  }
}

function teamOf(body: SlackBody): string | undefined {
  return body.team_id ?? body.team?.id ?? body.user?.team_id;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
