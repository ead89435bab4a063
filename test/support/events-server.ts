import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { FetchPublicOptions, LookupFn } from '../../src/services/safe-fetch';

/** The name the local server is reached by: a public-looking name the tests' lookup maps to 127.0.0.1. */
export const EVENTS_HOST = 'events.test';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * An https server on this machine standing in for an event site (Meetup, Luma), with a self-signed
 * certificate for `events.test` made for the run by openssl. It counts the TCP connections it accepts, so a
 * test can prove a refused link never reached it.
 */
export class EventsServer {
  connections = 0;
  private routes = new Map<string, Handler>();
  private sockets = new Set<Duplex>();

  private constructor(
    private readonly server: https.Server,
    readonly ca: string,
  ) {}

  static async start(): Promise<EventsServer> {
    const { key, cert } = selfSignedCertificate(EVENTS_HOST);
    let self: EventsServer | undefined;
    const server = https.createServer({ key, cert }, (req, res) => {
      const handler = self?.routes.get(new URL(req.url ?? '/', 'https://x').pathname);
      if (handler) handler(req, res);
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    });
    self = new EventsServer(server, cert);
    const events = self;
    server.on('connection', (socket) => {
      events.connections++;
      events.sockets.add(socket);
      socket.on('close', () => events.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `https://events.test:<port><path>` (or another name the lookup maps). */
  url(pathname: string, host: string = EVENTS_HOST): string {
    return `https://${host}:${this.port}${pathname}`;
  }

  on(pathname: string, handler: Handler): void {
    this.routes.set(pathname, handler);
  }

  /** Serves `body` at `pathname` with a content type. */
  serve(pathname: string, body: string | Buffer, contentType = 'text/calendar; charset=utf-8'): void {
    this.on(pathname, (_req, res) => res.writeHead(200, { 'content-type': contentType }).end(body));
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * What fetchPublic needs to read from this server: names resolved by `names` (default events.test to
   * 127.0.0.1), 127.0.0.1 let through for the name events.test only and the test certificate trusted. This is the
   * test seam; production passes none of it.
   */
  fetchOptions(names: Record<string, string[]> = {}): Pick<FetchPublicOptions, 'lookup' | 'testOnly'> {
    return {
      lookup: lookupFrom({ [EVENTS_HOST]: ['127.0.0.1'], ...names }),
      testOnly: {
        allowAddress: (ip, hostname) => ip === '127.0.0.1' && hostname === EVENTS_HOST,
        ca: this.ca,
      },
    };
  }
}

/** A resolver from a table of names; unknown names fail as the system resolver does. */
export function lookupFrom(table: Record<string, string[]>, calls: string[] = []): LookupFn {
  return async (hostname) => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

function selfSignedCertificate(name: string): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roundup-tls-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '2',
        '-subj',
        `/CN=${name}`,
        '-addext',
        `subjectAltName=DNS:${name}`,
      ],
      { stdio: 'ignore' },
    );
    return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
