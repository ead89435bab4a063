import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through in front of the fake Slack for one bot process, so that a test with several processes on
 * one fake can tell which process made which call (the fake itself cannot). Everything is forwarded as is;
 * when the process hangs up (a client timeout, or the process killed), the forwarded call is hung up too, so
 * the fake sees exactly what it would have seen without the relay.
 */
export class SlackRelay {
  private readonly open = new Map<string, number>();
  private readonly done = new Map<string, number>();
  private readonly agent = new http.Agent({ keepAlive: true });

  private constructor(
    private readonly server: http.Server,
    readonly apiUrl: string,
  ) {}

  /** A relay to `target` (the fake's `fileHost`). */
  static async start(target: string): Promise<SlackRelay> {
    const upstream = new URL(target);
    let relay: SlackRelay | undefined;
    const server = http.createServer((req, res) => relay?.forward(upstream, req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    relay = new SlackRelay(server, `http://127.0.0.1:${port}/api/`);
    return relay;
  }

  /** Calls to `method` sent on and not yet answered (nor hung up). */
  inFlight(method: string): number {
    return this.open.get(method) ?? 0;
  }

  /** Calls to `method` the fake answered, whatever the answer. */
  answered(method: string): number {
    return this.done.get(method) ?? 0;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.agent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(upstream: URL, req: http.IncomingMessage, res: http.ServerResponse): void {
    const method = /^\/api\/([\w.]+)/.exec(req.url ?? '')?.[1] ?? 'other';
    const add = (counts: Map<string, number>, by: number) =>
      counts.set(method, (counts.get(method) ?? 0) + by);
    add(this.open, 1);
    let settled = false;
    const settle = (answered: boolean) => {
      if (settled) return;
      settled = true;
      add(this.open, -1);
      if (answered) add(this.done, 1);
    };
    const call = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
        agent: this.agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.once('end', () => settle(true));
      },
    );
    call.once('error', () => res.destroy());
    res.once('close', () => {
      if (!res.writableFinished) call.destroy();
      settle(false);
    });
    req.pipe(call);
  }
}
