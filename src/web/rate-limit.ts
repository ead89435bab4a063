/**
 * A fixed-window counter per key (an address, a link): at most `limit` hits in each window of `windowMs`.
 * It lives in this process: behind several replicas each one counts its own share, which still bounds what
 * one address or one link can do. Old windows are dropped as new ones start, and at most `maxKeys` keys are
 * kept (the oldest go first), so a flood of addresses cannot grow it without bound.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; hits: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  /** Counts a hit: undefined when allowed, else the seconds until the key may try again. */
  hit(key: string): number | undefined {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      this.windows.delete(key);
      window = { start: now, hits: 0 };
      this.windows.set(key, window);
      this.prune(now);
    }
    window.hits += 1;
    if (window.hits <= this.limit) return undefined;
    return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) {
      if (this.windows.size <= this.maxKeys && now - window.start < this.windowMs) break;
      this.windows.delete(key);
    }
  }
}

/**
 * What one visitor's requests are counted under: an IPv4 address as it is, an IPv6 address by its /64 (one
 * household or machine is given a whole /64, and could otherwise take a fresh address for each request).
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1] as string;
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.split('%')[0]?.split('::') ?? [''];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => (Number.parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`;
}
