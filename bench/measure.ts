import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { freePort } from '../test/support/ports';
import { signRequest } from '../test/support/slack-requests';

/** Percentiles, ratios with their spread over rounds, and the processes the benchmarks drive. */

export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

export const percentiles = (samples: readonly number[]): Percentiles => ({
  p50: percentile(samples, 50),
  p99: percentile(samples, 99),
  max: Math.max(...samples),
});

/** The median over rounds of a per-round figure, with the lowest and highest round. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export const spread = (values: readonly number[]): Spread => ({
  median: percentile(values, 50),
  min: Math.min(...values),
  max: Math.max(...values),
});

export const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100);
export const ms = (n: number) => `${round(n)} ms`;
export const ratioText = (s: Spread) => `${s.median.toFixed(2)}x (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;

export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** CPU time (user and system) a process has used so far, in ms, from /proc. */
export function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are the 12th and 13th fields after the command name, in clock ticks (100 a second).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export async function until(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what = 'a condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export interface Server {
  name: string;
  child: ChildProcess;
  url: string;
  /** From spawn to the first healthy answer. */
  startMs: number;
  stop(): Promise<void>;
}

/**
 * A server in its own process, on a free port; ready when `healthPath` answers 200, or without one when it
 * answers anything at all.
 */
export async function startServer(
  name: string,
  args: string[],
  env: Record<string, string>,
  o: { healthPath?: string; cwd: string },
): Promise<Server> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
    cwd: o.cwd,
  });
  const base = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  await until(
    async () => {
      if (exited) throw new Error(`${name} exited during start-up`);
      const res = await fetch(`${base}${o.healthPath ?? '/'}`);
      await res.arrayBuffer();
      return o.healthPath ? res.status === 200 : res.status > 0;
    },
    30_000,
    `${name} to start`,
  );
  const startMs = performance.now() - started;
  return {
    name,
    child,
    url: `${base}/slack/events`,
    startMs,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A request as Slack sends it, signed before the clock starts; resolves with the ack's latency in ms. */
export async function timedPost(url: string, body: string, secret: string): Promise<number> {
  const headers = {
    'Content-Type': 'application/x-www-form-urlencoded',
    ...signRequest(body, secret),
  };
  for (let attempt = 1; ; attempt++) {
    const t = performance.now();
    try {
      const res = await fetch(url, { method: 'POST', headers, body });
      await res.arrayBuffer();
      const elapsed = performance.now() - t;
      if (res.status !== 200) throw new Error(`${url} answered HTTP ${res.status}`);
      return elapsed;
    } catch (err) {
      // A kept-alive connection the server closed as it was reused: the client's race, not the server's time.
      const code = ((err as Error).cause as { code?: string } | undefined)?.code;
      if (code !== 'UND_ERR_SOCKET' || attempt > 2) throw err;
    }
  }
}

/**
 * Requests interleaved across targets: sample i goes to every target in turn, starting one further along
 * each time (ABCD, BCDA, ...), so that no target always follows the same one. Returns each target's samples.
 */
export async function interleaved(
  targets: readonly string[],
  samples: number,
  once: (target: string, i: number) => Promise<number>,
  warmup = 20,
): Promise<Map<string, number[]>> {
  const out = new Map(targets.map((t) => [t, [] as number[]]));
  for (let i = -warmup; i < samples; i++) {
    const offset = ((i % targets.length) + targets.length) % targets.length;
    for (let k = 0; k < targets.length; k++) {
      const target = targets[(offset + k) % targets.length]!;
      const elapsed = await once(target, i);
      if (i >= 0) out.get(target)!.push(elapsed);
    }
  }
  return out;
}
