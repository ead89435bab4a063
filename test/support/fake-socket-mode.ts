import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { FAKE_DEFAULTS, type FakeSlack, type Json } from './fake-slack';
import { FakeApiError } from './fake-slack-oauth';
import { eventBody, type SlashCommandOptions, slashCommandBody } from './slack-requests';

/**
 * Slack's Socket Mode, on the fake Slack: `apps.connections.open` (app-level token with `connections:write`)
 * hands out a single-use `ws://…/link/?ticket=…&app_id=…` URL on the fake's own port; a client that connects
 * there is greeted with Slack's `hello`, then receives envelopes (`slash_commands`, `interactive`,
 * `events_api`) and must answer each with `{ envelope_id, payload }`. Slack's `disconnect` message, a refused
 * or hung upgrade and failing `apps.connections.open` calls can be injected, as Slack's Socket Mode
 * documentation describes them.
 */

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface Envelope {
  type: EnvelopeType;
  /** The parsed payload: a slash command's fields as an object, an interaction, or an event callback. */
  payload: Json;
  /** Made up when not given. */
  envelope_id?: string;
  /** Whether Slack takes a response payload in the ack (slash commands and view submissions: true). */
  accepts_response_payload?: boolean;
  /** Slack's redelivery count and reason (events_api only). */
  retry_attempt?: number;
  retry_reason?: string;
}

/** What the app sent back for an envelope. */
export interface Ack {
  envelope_id: string;
  /** The ack's response payload (`{}` when the app acknowledged without one). */
  payload: Json;
}

export interface ConnectionRecord {
  id: number;
  /** The ticket of the `apps.connections.open` answer it used. */
  ticket: string;
  openedAt: number;
  closedAt?: number;
  /** The close code the connection ended with (1000: the client closed it normally; 1006: dropped). */
  closeCode?: number;
}

export interface FakeSocketModeOptions {
  /** How long `send` waits for the ack (real time). Slack itself waits 3 seconds. */
  ackTimeoutMs?: number;
  /** The app's id in the URL and in `hello`. */
  appId?: string;
}

/** How the next WebSocket upgrades go wrong. */
export type RefuseMode =
  /** The upgrade is answered with an HTTP error status instead of 101. */
  | { kind: 'status'; status?: number }
  /** The connection is accepted, then closed at once without `hello`. */
  | { kind: 'close'; code?: number };

interface PendingAck {
  resolve: (ack: Ack) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface Waiter {
  done: () => boolean;
  resolve: () => void;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class FakeSocketMode {
  /** Every WebSocket connection that was greeted with `hello`, in order. */
  readonly connections: ConnectionRecord[] = [];
  /** Every ack received, in order. */
  readonly acks: Ack[] = [];
  /** Upgrade requests answered with an error status, closed at once, or hung. */
  refusedUpgrades = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Map<number, WebSocket>();
  private readonly tickets = new Set<string>();
  private readonly pending = new Map<string, PendingAck>();
  private readonly hung = new Set<Duplex>();
  private waiters: Waiter[] = [];
  private refusals: RefuseMode[] = [];
  private hangs = 0;
  private enabled = true;
  private closed = false;
  private readonly ackTimeoutMs: number;
  private readonly appId: string;
  private readonly onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) =>
    this.upgrade(req, socket, head);

  private constructor(
    private readonly fake: FakeSlack,
    options: FakeSocketModeOptions,
  ) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? 3000;
    this.appId = options.appId ?? FAKE_DEFAULTS.appId;
  }

  /**
   * Gives the fake Slack Socket Mode. Its `stop()` then closes every WebSocket first, as an upgraded
   * connection would otherwise keep the HTTP server from closing.
   */
  static attach(fake: FakeSlack, options: FakeSocketModeOptions = {}): FakeSocketMode {
    const socketMode = new FakeSocketMode(fake, options);
    fake.registerAppMethod('apps.connections.open', (_args, caller) => socketMode.open(caller.scopes));
    fake.httpServer.on('upgrade', socketMode.onUpgrade);
    const stop = fake.stop.bind(fake);
    fake.stop = async () => {
      await socketMode.close();
      await stop();
    };
    return socketMode;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Test-facing API

  /** Connections greeted with `hello`. */
  get opened(): number {
    return this.connections.length;
  }

  /** Connections that have ended, whichever side closed them. */
  get closedCount(): number {
    return this.connections.filter((c) => c.closedAt !== undefined).length;
  }

  /** Connections open now. */
  get openCount(): number {
    return this.sockets.size;
  }

  /**
   * Whether Socket Mode is turned on in the app's settings. Off, `apps.connections.open` answers
   * `socket_mode_not_enabled` and open connections are closed.
   */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) for (const socket of this.sockets.values()) socket.close(1000);
  }

  /** The next `times` WebSocket upgrades are refused (by default with HTTP 403). */
  refuseNext(mode: RefuseMode = { kind: 'status' }, times = 1): void {
    for (let i = 0; i < times; i += 1) this.refusals.push(mode);
  }

  /** The next `times` WebSocket upgrades are never answered (until `close()`). */
  hangNext(times = 1): void {
    this.hangs += times;
  }

  /** The next `times` `apps.connections.open` calls fail (HTTP 500 by default, or as `failNext` says). */
  failOpenNext(times = 1, options: { status?: number; error?: string; retryAfter?: number } = {}): void {
    this.fake.failNext('apps.connections.open', { status: 500, ...options, times });
  }

  /** Resolves once `count` connections have been greeted with `hello` (and the last is still open). */
  waitForConnection(count = this.opened + 1, timeoutMs = 10_000): Promise<ConnectionRecord> {
    return this.waitUntil(
      () => this.opened >= count,
      timeoutMs,
      `connection #${count} (opened: ${this.opened})`,
    ).then(() => this.connections[count - 1] as ConnectionRecord);
  }

  /** Resolves once `count` connections have closed. */
  waitForClose(count = this.closedCount + 1, timeoutMs = 10_000): Promise<void> {
    return this.waitUntil(
      () => this.closedCount >= count,
      timeoutMs,
      `${count} closed connection(s) (closed: ${this.closedCount})`,
    );
  }

  /**
   * Sends an envelope over the newest open connection and resolves with the app's ack; rejects when no
   * connection is open or no ack arrives within the ack timeout.
   */
  send(envelope: Envelope, timeoutMs = this.ackTimeoutMs): Promise<Ack> {
    const socket = [...this.sockets.values()].pop();
    if (!socket) return Promise.reject(new Error('no Socket Mode connection is open'));
    const envelopeId = envelope.envelope_id ?? randomBytes(16).toString('hex');
    const message: Json = {
      envelope_id: envelopeId,
      payload: envelope.payload,
      type: envelope.type,
      accepts_response_payload: envelope.accepts_response_payload ?? envelope.type !== 'events_api',
    };
    if (envelope.type === 'events_api') {
      message.retry_attempt = envelope.retry_attempt ?? 0;
      message.retry_reason = envelope.retry_reason ?? '';
    }
    return new Promise<Ack>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`no ack for ${envelope.type} envelope ${envelopeId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(envelopeId, { resolve, reject, timer });
      socket.send(JSON.stringify(message));
    });
  }

  /** A slash command as Slack delivers it over Socket Mode: the same fields as the HTTP form, as an object. */
  slashCommand(options: SlashCommandOptions = {}): Promise<Ack> {
    const payload = Object.fromEntries(new URLSearchParams(slashCommandBody(options)));
    return this.send({ type: 'slash_commands', payload });
  }

  /** An interaction (view_submission, block_actions…), e.g. from `viewSubmissionPayload`. */
  interactive(payload: object, options: { acceptsResponsePayload?: boolean } = {}): Promise<Ack> {
    const type = (payload as { type?: unknown }).type;
    return this.send({
      type: 'interactive',
      payload: payload as Json,
      // Slack takes a response only to a view submission's ack (`response_action`).
      accepts_response_payload: options.acceptsResponsePayload ?? type === 'view_submission',
    });
  }

  /** An Events API event callback around `event`. */
  event(
    event: Record<string, unknown>,
    options: { eventId?: string; retryAttempt?: number; retryReason?: string } = {},
  ): Promise<Ack> {
    return this.send({
      type: 'events_api',
      payload: JSON.parse(eventBody(event, { eventId: options.eventId })) as Json,
      retry_attempt: options.retryAttempt,
      retry_reason: options.retryReason,
    });
  }

  /**
   * Slack's `disconnect` message on every open connection: `refresh_requested` (the connection is about to
   * be recycled), `warning` (it will be in a few seconds), `link_disabled` (Socket Mode was turned off).
   */
  disconnect(reason = 'refresh_requested'): void {
    for (const socket of this.sockets.values()) {
      socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }));
    }
  }

  /** Drops every open connection without a close frame, as a failed network does; resolves once they are gone. */
  async dropAll(): Promise<void> {
    const count = this.closedCount + this.sockets.size;
    for (const socket of this.sockets.values()) socket.terminate();
    await this.waitForClose(count);
  }

  /** Closes every connection (as a dropped link) and refuses new ones; `fake.stop()` calls it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fake.httpServer.off('upgrade', this.onUpgrade);
    for (const socket of this.hung) socket.destroy();
    this.hung.clear();
    for (const socket of this.sockets.values()) socket.terminate();
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`Socket Mode closed before envelope ${id} was acknowledged`));
    }
    this.pending.clear();
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters = [];
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Slack's side

  /** `apps.connections.open` for a known, live app-level token (the fake checks those before calling). */
  private open(scopes: string[]): Json {
    if (!scopes.includes('connections:write')) {
      throw new FakeApiError('missing_scope', { needed: 'connections:write', provided: scopes.join(',') });
    }
    // Slack's reference for apps.connections.open, as stored here, does not name the error it answers when
    // Socket Mode is off in the app's settings; `socket_mode_not_enabled` ("Socket mode is not enabled") is
    // the error Slack's method references document for it (apps.manifest.*), and the one Socket Mode
    // clients meet from apps.connections.open, so the fake answers that.
    if (!this.enabled) throw new FakeApiError('socket_mode_not_enabled');
    const ticket = randomBytes(16).toString('hex');
    this.tickets.add(ticket);
    const host = this.fake.fileHost.replace(/^http/, 'ws');
    return { url: `${host}/link/?ticket=${ticket}&app_id=${this.appId}` };
  }

  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.fake.fileHost);
    if (url.pathname !== '/link/' && url.pathname !== '/link') {
      refuse(socket, 404);
      return;
    }
    if (this.hangs > 0) {
      this.hangs -= 1;
      this.refusedUpgrades += 1;
      this.hung.add(socket);
      socket.once('close', () => this.hung.delete(socket));
      return;
    }
    const refusal = this.refusals.shift();
    if (refusal?.kind === 'status') {
      this.refusedUpgrades += 1;
      refuse(socket, refusal.status ?? 403);
      return;
    }
    // A ticket is good for one connection.
    const ticket = url.searchParams.get('ticket') ?? '';
    if (!this.tickets.delete(ticket) || !this.enabled) {
      refuse(socket, 401);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (refusal?.kind === 'close') {
        this.refusedUpgrades += 1;
        ws.close(refusal.code ?? 1011);
        return;
      }
      this.accept(ws, ticket);
    });
  }

  private accept(ws: WebSocket, ticket: string): void {
    const record: ConnectionRecord = { id: this.connections.length + 1, ticket, openedAt: Date.now() };
    this.sockets.set(record.id, ws);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (typeof message !== 'object' || message === null) return;
      const { envelope_id: envelopeId, payload } = message as { envelope_id?: unknown; payload?: unknown };
      if (typeof envelopeId !== 'string') return;
      const ack: Ack = {
        envelope_id: envelopeId,
        payload: typeof payload === 'object' && payload !== null ? (payload as Json) : {},
      };
      this.acks.push(ack);
      const pending = this.pending.get(envelopeId);
      if (pending) {
        clearTimeout(pending.timer);
        this.pending.delete(envelopeId);
        pending.resolve(ack);
      }
    });
    ws.on('close', (code) => {
      record.closedAt = Date.now();
      record.closeCode = code;
      this.sockets.delete(record.id);
      this.notify();
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.size,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
    this.connections.push(record);
    this.notify();
  }

  private waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        done,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`Socket Mode: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private notify(): void {
    const ready = this.waiters.filter((w) => w.done());
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) waiter.resolve();
  }
}

/** Answers an upgrade request with an HTTP error instead of switching protocols. */
function refuse(socket: Duplex, status: number): void {
  const text = STATUS_TEXT[status] ?? 'Error';
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () =>
    socket.destroy(),
  );
}
