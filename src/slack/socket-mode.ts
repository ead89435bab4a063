import http from 'node:http';
import {
  type App,
  buildReceiverRoutes,
  type CustomRoute,
  type Logger,
  type LogLevel,
  SocketModeReceiver,
} from '@slack/bolt';
import {
  type AppsConnectionsOpenResponse,
  ErrorCode,
  type WebAPIHTTPError,
  type WebAPIPlatformError,
  type WebAPIRateLimitedError,
  type WebAPIRequestError,
  WebClient,
} from '@slack/web-api';
import type { Config } from '../config';

/**
 * Socket Mode: Slack's events arrive over a WebSocket that `apps.connections.open` (with the app-level token)
 * hands out, instead of at a public HTTP endpoint. Start-up is bounded: the token is checked first, and the
 * first connection is tried a few times and then given up with a sentence that names the cause and the
 * fix. Once connected, a dropped connection (Slack recycles them every few hours) is reopened for as long as
 * the bot runs. The HTTP server on `PORT` serves only the custom routes (`/healthz`).
 */

/** Start-up refused in Socket Mode; the message is one sentence naming the cause and the fix, never a token. */
export class SocketModeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SocketModeError';
  }
}

export interface SocketModeRetry {
  /** How many times the check, and the first connection, are tried before start-up gives up. */
  attempts: number;
  /** The wait after the first failed try; it doubles after each one, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** How long one try may take: the `apps.connections.open` call, or the WebSocket's upgrade and `hello`. */
  attemptTimeoutMs: number;
}

/** Five tries over about 7.5 s of waiting; one that hangs is given up after 5 s, so start-up ends within ~35 s. */
export const SOCKET_MODE_RETRY: SocketModeRetry = {
  attempts: 5,
  firstDelayMs: 500,
  maxDelayMs: 8000,
  attemptTimeoutMs: 5000,
};

const APP_TOKENS = 'Basic Information > App-Level Tokens';

const NOT_APP_TOKEN = `SLACK_APP_TOKEN is not an app-level token: create one under ${APP_TOKENS} with the connections:write scope`;

/** Slack's answers that no retry will change, each as the sentence start-up ends with. */
function refusal(code: string): string | undefined {
  switch (code) {
    case 'not_allowed_token_type':
      return NOT_APP_TOKEN;
    case 'missing_scope':
    case 'no_permission':
      return `SLACK_APP_TOKEN lacks the connections:write scope (${code}): create an app-level token with connections:write under ${APP_TOKENS} and use it instead`;
    case 'invalid_auth':
    case 'not_authed':
    case 'token_revoked':
    case 'token_expired':
    case 'account_inactive':
      return `Slack refused SLACK_APP_TOKEN (${code}): it is wrong or was revoked; copy it again, or create a new one, under ${APP_TOKENS}`;
    case 'socket_mode_not_enabled':
    case 'link_disabled':
      return `Socket Mode is off for this app (${code}): turn on Socket Mode under Settings > Socket Mode on your app's page at api.slack.com/apps, or unset SLACK_APP_TOKEN to serve HTTP`;
    default:
      return undefined;
  }
}

/** Platform errors Slack documents as passing (its side is down or busy): tried again. */
const PASSING = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
]);

type Failure =
  /** Slack answered, and the answer will not change: give up at once. */
  | { kind: 'refused'; message: string }
  /** Worth another try; `detail` says what happened, `waitMs` is Slack's Retry-After. */
  | { kind: 'passing'; detail: string; waitMs?: number };

/** What a failed `apps.connections.open` call means. */
function failureOf(err: unknown, timeoutMs: number): Failure {
  const code = (err as { code?: unknown }).code;
  if (code === ErrorCode.PlatformError) {
    const error = String((err as WebAPIPlatformError).data.error);
    const refused = refusal(error);
    if (refused) return { kind: 'refused', message: refused };
    if (PASSING.has(error)) return { kind: 'passing', detail: `Slack answered ${error}` };
    return {
      kind: 'refused',
      message: `Slack refused to open a Socket Mode connection (${error}): check the app's Socket Mode settings and SLACK_APP_TOKEN at api.slack.com/apps`,
    };
  }
  if (code === ErrorCode.RateLimitedError) {
    const seconds = (err as WebAPIRateLimitedError).retryAfter;
    return { kind: 'passing', detail: `rate limited for ${seconds} s`, waitMs: seconds * 1000 };
  }
  if (code === ErrorCode.HTTPError) {
    const status = (err as WebAPIHTTPError).statusCode;
    return { kind: 'passing', detail: `HTTP ${status}` };
  }
  if (code === ErrorCode.RequestError) return { kind: 'passing', detail: networkCause(err, timeoutMs) };
  return { kind: 'passing', detail: err instanceof Error ? err.message : String(err) };
}

/** ECONNREFUSED, ENOTFOUND, a timeout…: the network's own words, without the URL. */
function networkCause(err: unknown, timeoutMs: number): string {
  const original = (err as WebAPIRequestError).original;
  if (original?.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  return original?.message || 'network error';
}

/** Where a URL points, without credentials or query (a WebSocket URL's ticket, say). */
function addressOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'the configured address';
  }
}

/**
 * fetch whose network errors keep their cause in the message (ECONNREFUSED, ENOTFOUND…): the WebClient keeps
 * only the message of an error it does not recognise as an Error, as happens across realms (test runners).
 */
const namedFetch: typeof fetch = (input, init) =>
  fetch(input, init).catch((err: unknown) => {
    const { name, message, cause } = err as { name?: unknown; message?: unknown; cause?: { code?: unknown } };
    const named = new Error(typeof cause?.code === 'string' ? cause.code : String(message ?? err));
    if (name === 'TimeoutError' || name === 'AbortError') named.name = 'TimeoutError';
    throw named;
  });

const apiUrlOf = (config: Config) => config.slack.apiUrl ?? 'https://slack.com/api/';

const delayOf = (retry: SocketModeRetry, failedTries: number, waitMs?: number) =>
  Math.min(waitMs ?? retry.firstDelayMs * 2 ** (failedTries - 1), retry.maxDelayMs);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The start-up check of Socket Mode, before the app starts: `apps.connections.open` with the app-level token,
 * tried again on network errors, 5xx and rate limits (a bounded number of times). Throws `SocketModeError`
 * when Slack refuses the token (the wrong kind, without `connections:write`, wrong or revoked), when Socket
 * Mode is off in the app's settings, or when Slack cannot be reached.
 */
export async function checkSocketMode(
  config: Config,
  retry: SocketModeRetry = SOCKET_MODE_RETRY,
): Promise<void> {
  const token = config.slack.appToken;
  if (!token?.startsWith('xapp-')) throw new SocketModeError(NOT_APP_TOKEN);
  const client = new WebClient(token, {
    slackApiUrl: apiUrlOf(config),
    // This loop does the retrying, so that it is bounded and each failure is seen.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    fetch: namedFetch,
    timeout: retry.attemptTimeoutMs,
    logLevel: config.logLevel as LogLevel,
  });
  const address = addressOf(`${apiUrlOf(config)}apps.connections.open`);
  for (let tries = 1; ; tries += 1) {
    try {
      await client.apps.connections.open();
      return;
    } catch (err) {
      const failure = failureOf(err, retry.attemptTimeoutMs);
      if (failure.kind === 'refused') throw new SocketModeError(failure.message);
      if (tries >= retry.attempts) {
        throw new SocketModeError(
          `Slack could not be reached at ${address} (${failure.detail}, ${tries} tries): check the network, or SLACK_API_URL if set`,
        );
      }
      await sleep(delayOf(retry, tries, failure.waitMs));
    }
  }
}

export interface SocketModeReceiverOptions {
  logLevel: LogLevel;
  /** Served on `PORT` (`/healthz`). */
  customRoutes: CustomRoute[];
  retry?: SocketModeRetry;
}

class AttemptTimedOut extends Error {}

/**
 * The Socket Mode client's logger: the app's, once the app exists. While a connection is being tried, the
 * client's error lines (a refused upgrade logs two, without the cause) are debug lines: each failed try is
 * told once by the receiver, and start-up's end by the sentence app.ts prints.
 */
class RelayLogger implements Logger {
  target: Logger | undefined;
  connecting = true;
  constructor(private level: LogLevel) {}
  debug(...msg: unknown[]) {
    this.target?.debug(...msg);
  }
  info(...msg: unknown[]) {
    this.target?.info(...msg);
  }
  warn(...msg: unknown[]) {
    this.target?.warn(...msg);
  }
  error(...msg: unknown[]) {
    // A dropped connection logs two "WebSocket error" lines without its cause; the receiver tells it once.
    const socketError = typeof msg[0] === 'string' && msg[0].startsWith('WebSocket error');
    if (this.connecting || socketError) this.target?.debug(...msg);
    else this.target?.error(...msg);
  }
  setLevel(level: LogLevel) {
    this.level = level;
  }
  getLevel(): LogLevel {
    return this.target?.getLevel() ?? this.level;
  }
  setName() {}
}

/**
 * Bolt's Socket Mode receiver with a bounded start and a clean stop. Its client's own reconnecting is off:
 * unbounded from the first try, it would keep a refused start-up retrying forever, and its reconnect after
 * a network error rejects unobserved. This receiver tries the first connection `retry.attempts` times, then
 * reopens a dropped connection with backoff until stopped.
 */
export class BoundedSocketModeReceiver extends SocketModeReceiver {
  private readonly retry: SocketModeRetry;
  private readonly handlers: ReturnType<typeof buildReceiverRoutes>;
  private readonly port: number;
  private readonly relay: RelayLogger;
  private server: http.Server | undefined;
  private connected = false;
  private reconnecting = false;
  private stopping = false;
  private wake: (() => void) | undefined;
  /** The WebSocket address the last `apps.connections.open` answered, without its ticket. */
  private socketAddress = 'the WebSocket URL Slack gave';

  constructor(config: Config, options: SocketModeReceiverOptions) {
    const retry = options.retry ?? SOCKET_MODE_RETRY;
    const relay = new RelayLogger(options.logLevel);
    super({
      appToken: config.slack.appToken as string,
      logger: relay,
      autoReconnectEnabled: false,
      installerOptions: {
        clientOptions: {
          ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
          // Each try is one call that ends within the try's time: the retrying is this receiver's.
          retryConfig: { retries: 0 },
          timeout: Math.max(1, retry.attemptTimeoutMs - 500),
          fetch: namedFetch,
        },
      },
    });
    this.retry = retry;
    this.relay = relay;
    this.handlers = buildReceiverRoutes(options.customRoutes);
    this.port = config.port;
    this.client.on('authenticated', (response: AppsConnectionsOpenResponse) => {
      if (response.url) this.socketAddress = addressOf(response.url);
    });
    this.client.on('disconnected', () => {
      if (!this.connected || this.stopping || this.reconnecting) return;
      this.relay.warn('Socket Mode: the connection to Slack closed; opening a new one');
      void this.reconnect();
    });
  }

  override init(app: App): void {
    super.init(app);
    this.relay.target = app.logger;
  }

  /** Listens on `PORT`, then connects: the first connection is tried `retry.attempts` times at most. */
  override async start(): Promise<AppsConnectionsOpenResponse> {
    this.stopping = false;
    await this.listen();
    try {
      const response = await this.connectBounded();
      this.connected = true;
      return response;
    } catch (err) {
      await this.closeServer();
      throw err;
    }
  }

  /** Closes the WebSocket (Slack sees a normal close) and the HTTP server. */
  override async stop(): Promise<void> {
    this.stopping = true;
    this.connected = false;
    this.wake?.();
    await this.client.disconnect();
    await this.closeServer();
  }

  private async connectBounded(): Promise<AppsConnectionsOpenResponse> {
    let detail = '';
    for (let tries = 1; ; tries += 1) {
      try {
        return await this.attempt();
      } catch (err) {
        const failure = this.failureOf(err);
        if (failure.kind === 'refused') throw new SocketModeError(failure.message);
        detail = failure.detail;
        if (tries >= this.retry.attempts) {
          throw new SocketModeError(
            `Slack's Socket Mode WebSocket at ${this.socketAddress} could not be opened (${detail}, ${tries} tries): check that the network, or a proxy, lets WebSocket connections through to Slack, or SLACK_API_URL if set`,
          );
        }
        this.relay.warn(`Socket Mode: connection try ${tries} failed (${detail}); trying again`);
        await this.pause(delayOf(this.retry, tries, failure.waitMs));
        if (this.stopping) throw new SocketModeError('Socket Mode start-up was stopped before it connected');
      }
    }
  }

  /** Reopens a dropped connection, with backoff, until it is open again or the receiver stops. */
  private async reconnect(): Promise<void> {
    if (this.reconnecting) return;
    this.reconnecting = true;
    try {
      for (let tries = 1; !this.stopping; tries += 1) {
        try {
          await this.attempt();
          // Stopped while this try was under way: the new connection is not kept.
          if (this.stopping) await this.client.disconnect();
          else this.relay.info('Socket Mode: connected again');
          return;
        } catch (err) {
          const failure = this.failureOf(err);
          const why = failure.kind === 'refused' ? failure.message : failure.detail;
          this.relay.warn(`Socket Mode: reconnecting failed (${why}); trying again`);
          await this.pause(
            delayOf(
              { ...this.retry, maxDelayMs: 30_000 },
              tries,
              failure.kind === 'passing' ? failure.waitMs : undefined,
            ),
          );
        }
      }
    } finally {
      this.reconnecting = false;
    }
  }

  /**
   * One connection try: `apps.connections.open`, the WebSocket upgrade and Slack's `hello`, within the try's
   * time. A WebSocket that fails makes the client's start reject with nothing; its `error` event says why.
   */
  private async attempt(): Promise<AppsConnectionsOpenResponse> {
    let socketError: unknown;
    const onError = (err: unknown) => {
      socketError = err;
    };
    this.client.on('error', onError);
    this.relay.connecting = true;
    const started = this.client.start();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AttemptTimedOut()), this.retry.attemptTimeoutMs);
    });
    try {
      const response = await Promise.race([started, timedOut]);
      this.relay.connecting = false;
      return response;
    } catch (err) {
      if (err instanceof AttemptTimedOut) {
        started.catch(() => undefined);
        await this.client.disconnect();
        throw err;
      }
      throw err ?? socketError ?? new Error('the connection closed before Slack said hello');
    } finally {
      clearTimeout(timer);
      this.client.off('error', onError);
    }
  }

  private failureOf(err: unknown): Failure {
    if (err instanceof AttemptTimedOut)
      return { kind: 'passing', detail: `no hello within ${this.retry.attemptTimeoutMs / 1000} s` };
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('slack_webapi_'))
      return failureOf(err, this.retry.attemptTimeoutMs);
    // undici's WebSocket says nothing of a refused upgrade (not even its status), nor of a dropped link.
    const original = (err as { original?: { message?: unknown } }).original;
    const message = String(original?.message ?? (err as { message?: unknown }).message ?? '');
    return { kind: 'passing', detail: message || 'the upgrade was refused or the connection failed' };
  }

  /** Waits `ms`, or less when the receiver stops meanwhile. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private listen(): Promise<void> {
    const server = http.createServer((req, res) => {
      let path: string;
      try {
        path = new URL(req.url ?? '/', 'http://localhost').pathname;
      } catch {
        // A request target no URL is made of (`//`): refused, as Bolt's HTTP receiver does.
        res.writeHead(400).end();
        return;
      }
      const handler = this.handlers[path]?.[(req.method ?? 'GET').toUpperCase()];
      if (!handler) {
        res.writeHead(404).end();
        return;
      }
      handler(Object.assign(req, { params: {} }), res);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        this.server = undefined;
        reject(
          err.code === 'EADDRINUSE'
            ? new SocketModeError(
                `PORT ${this.port} (for /healthz) is taken by another program: stop it, or set PORT to a free port`,
              )
            : err,
        );
      });
      server.listen(this.port, () => resolve());
    });
  }

  private async closeServer(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
