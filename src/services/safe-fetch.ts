import { promises as dns } from 'node:dns';
import type { ClientRequest, IncomingMessage } from 'node:http';
import https from 'node:https';
import net from 'node:net';

/**
 * The one outbound request a person triggers (reading an event's calendar from a link they paste), made so
 * that the link cannot reach inside the network roundup runs in: https only; the name resolved once and
 * refused if ANY of its addresses is loopback, private, link-local, shared (CGNAT), unspecified, multicast,
 * broadcast, reserved or a cloud metadata address (IPv4-mapped IPv6 forms included); then the connection
 * made to exactly the address that was checked (no second lookup, so no DNS-rebinding gap), with TLS still
 * verifying the name. Every redirect goes through the same check before it is connected to. A whole-request
 * deadline covers lookups, redirects and the body, and the body is cut off at `maxBytes`.
 */

export type LookupFn = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export interface FetchPublicOptions {
  maxBytes: number;
  timeoutMs: number;
  /** Default 3. */
  maxRedirects?: number;
  /** How names are resolved; default the system resolver, every address. */
  lookup?: LookupFn;
  /** The Accept header. */
  accept?: string;
  /**
   * TEST ONLY. Lets the tests serve over https on this machine: `allowAddress` lets through an address the
   * rules would refuse (the tests allow 127.0.0.1 for the one name they serve, and no other), `ca` trusts their
   * self-signed certificate. Nothing in roundup passes these; without them the production rules hold.
   */
  testOnly?: { allowAddress?: (ip: string, hostname: string) => boolean; ca?: string | Buffer };
}

export interface FetchedPage {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  contentType?: string;
  body: Buffer;
}

export type RefusedReason = 'bad_url' | 'not_https' | 'private_address';
export type FailedReason = 'too_big' | 'too_slow' | 'too_many_redirects' | 'unreachable';

/** The link itself is not allowed: nothing was connected to. */
export class FetchRefused extends Error {
  constructor(
    readonly reason: RefusedReason,
    message: string,
  ) {
    super(message);
    this.name = 'FetchRefused';
  }
}

/** The request was allowed but did not give a page within the limits. */
export class FetchFailed extends Error {
  constructor(
    readonly reason: FailedReason,
    message: string,
  ) {
    super(message);
    this.name = 'FetchFailed';
  }
}

const defaultLookup: LookupFn = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

export async function fetchPublic(url: string, o: FetchPublicOptions): Promise<FetchedPage> {
  const maxRedirects = o.maxRedirects ?? 3;
  let current: ClientRequest | undefined;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new FetchFailed(
        'too_slow',
        `The page took longer than ${describeSeconds(o.timeoutMs)} to arrive`,
      );
      current?.destroy(err);
      reject(err);
    }, o.timeoutMs);
  });
  const run = async (): Promise<FetchedPage> => {
    let target = parseLink(url);
    for (let redirects = 0; ; redirects++) {
      const address = await checkedAddress(target, o);
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        current = request(target, address, o);
        current.on('response', resolve);
        current.on('error', (err: Error) =>
          reject(err instanceof FetchFailed ? err : unreachable(target, err)),
        );
        current.end();
      });
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location) {
        res.resume();
        res.destroy();
        if (redirects >= maxRedirects) {
          throw new FetchFailed('too_many_redirects', `The link redirected more than ${maxRedirects} times`);
        }
        target = parseLink(new URL(location, target).toString());
        continue;
      }
      const body = await readBody(res, o.maxBytes, () => current?.destroy());
      const contentType = res.headers['content-type'];
      return { url: target.toString(), status, ...(contentType ? { contentType } : {}), body };
    }
  };
  const running = run();
  // Whichever loses the race must not surface later as an unhandled rejection.
  running.catch(() => undefined);
  deadline.catch(() => undefined);
  try {
    return await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
    current?.destroy();
  }
}

function parseLink(link: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(link.trim());
  } catch {
    throw new FetchRefused('bad_url', `"${shorten(link)}" is not a web address`);
  }
  if (parsed.protocol !== 'https:') {
    throw new FetchRefused('not_https', `${shorten(parsed.toString())} is not an https:// link`);
  }
  if (parsed.username || parsed.password) {
    throw new FetchRefused('bad_url', 'A link with a user name or password in it is not read');
  }
  return parsed;
}

/** The one address to connect to, once every address the name has is known to be public. */
async function checkedAddress(
  target: URL,
  o: FetchPublicOptions,
): Promise<{ address: string; family: 4 | 6 }> {
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: Array<{ address: string; family: number }>;
  if (net.isIP(host)) {
    addresses = [{ address: host, family: net.isIP(host) }];
  } else {
    try {
      addresses = await (o.lookup ?? defaultLookup)(host);
    } catch {
      throw new FetchFailed('unreachable', `roundup could not find ${host}: check the link`);
    }
  }
  if (addresses.length === 0)
    throw new FetchFailed('unreachable', `roundup could not find ${host}: check the link`);
  for (const { address } of addresses) {
    const kind = refusedAddressKind(address);
    if (kind && !o.testOnly?.allowAddress?.(address, host)) {
      throw new FetchRefused(
        'private_address',
        `${host} is on a private network (${kind} address): roundup only reads public pages`,
      );
    }
  }
  const first = addresses[0] as { address: string; family: number };
  return { address: first.address, family: net.isIPv6(first.address) ? 6 : 4 };
}

function request(target: URL, to: { address: string; family: 4 | 6 }, o: FetchPublicOptions): ClientRequest {
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  return https.request({
    protocol: 'https:',
    host,
    port: target.port || 443,
    path: `${target.pathname}${target.search}`,
    method: 'GET',
    // SNI and the certificate check use the name; an IP literal gets no SNI (TLS does not allow one).
    ...(net.isIP(host) ? {} : { servername: host }),
    headers: {
      accept: o.accept ?? '*/*',
      'user-agent': 'roundup (reads a meetup from its calendar link)',
      'accept-encoding': 'identity',
    },
    agent: false,
    // The socket goes to the checked address, whatever a second lookup would answer now.
    lookup: ((_name: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
      if (opts?.all) cb(null, [{ address: to.address, family: to.family }]);
      else cb(null, to.address, to.family);
    }) as unknown as net.LookupFunction,
    ...(o.testOnly?.ca ? { ca: o.testOnly.ca } : {}),
  });
}

function readBody(res: IncomingMessage, maxBytes: number, abort: () => void): Promise<Buffer> {
  const tooBig = () => new FetchFailed('too_big', `The page is larger than ${describeBytes(maxBytes)}`);
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    abort();
    return Promise.reject(tooBig());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    res.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        abort();
        reject(tooBig());
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', (err) => reject(err));
    res.on('aborted', () => reject(new FetchFailed('unreachable', 'The page stopped arriving half-way')));
  });
}

function unreachable(target: URL, err: Error): FetchFailed {
  const code = (err as { code?: string }).code ?? '';
  const why = /CERT|SSL|TLS/i.test(code)
    ? 'its https certificate is not valid'
    : code === 'ECONNREFUSED'
      ? 'it refused the connection'
      : 'the connection failed';
  return new FetchFailed('unreachable', `roundup could not read ${target.hostname}: ${why}`);
}

function describeBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  return `${n} bytes`;
}

function describeSeconds(ms: number): string {
  const seconds = Math.round(ms / 100) / 10;
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

function shorten(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

// -----------------------------------------------------------------------------------------------------------
// Which addresses are not public

type Range = { bits: number[]; prefix: number; kind: string };

const V4: Array<[string, number, string]> = [
  ['169.254.169.254', 32, 'metadata'],
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['255.255.255.255', 32, 'broadcast'],
  ['240.0.0.0', 4, 'reserved'],
];

const V6: Array<[string, number, string]> = [
  ['fd00:ec2::254', 128, 'metadata'],
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['fc00::', 7, 'private'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'private'],
  ['ff00::', 8, 'multicast'],
  ['2001:db8::', 32, 'reserved'],
  ['100::', 64, 'reserved'],
];

const V4_RANGES: Range[] = V4.map(([a, prefix, kind]) => ({ bits: v4Bytes(a), prefix, kind }));
const V6_RANGES: Range[] = V6.map(([a, prefix, kind]) => ({ bits: v6Bytes(a) as number[], prefix, kind }));

/**
 * What kind of non-public address `ip` is ('loopback', 'private', 'link-local', 'metadata', ...), or
 * undefined for a public one. IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, the old
 * compatible ::a.b.c.d, NAT64 64:ff9b::a.b.c.d) are judged by that IPv4 address. Anything that is not an
 * address is refused.
 */
export function refusedAddressKind(ip: string): string | undefined {
  const bare = ip.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (net.isIPv4(bare)) return inRanges(v4Bytes(bare), V4_RANGES);
  const bytes = net.isIPv6(bare) ? v6Bytes(bare) : undefined;
  if (!bytes) return 'unknown';
  const first10Zero = bytes.slice(0, 10).every((b) => b === 0);
  const embedded = bytes.slice(12);
  if (first10Zero && bytes[10] === 0xff && bytes[11] === 0xff) return inRanges(embedded, V4_RANGES);
  const nat64 = [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];
  if (nat64.every((b, i) => bytes[i] === b)) return inRanges(embedded, V4_RANGES);
  const v6 = inRanges(bytes, V6_RANGES);
  if (v6) return v6;
  // ::a.b.c.d (deprecated IPv4-compatible form): no public server is reached this way.
  if (first10Zero && bytes[10] === 0 && bytes[11] === 0) return 'reserved';
  return undefined;
}

function inRanges(bytes: number[], ranges: Range[]): string | undefined {
  return ranges.find((r) => matches(bytes, r.bits, r.prefix))?.kind;
}

function matches(bytes: number[], range: number[], prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit++) {
    const i = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((bytes[i] ?? 0) & mask) !== ((range[i] ?? 0) & mask)) return false;
  }
  return true;
}

function v4Bytes(ip: string): number[] {
  return ip.split('.').map(Number);
}

function v6Bytes(ip: string): number[] | undefined {
  let text = ip.toLowerCase();
  let tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    tail = v4Bytes(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string | undefined) => (s ? s.split(':').filter((g) => g !== '') : []);
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const bytes = all.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [(n >> 8) & 0xff, n & 0xff];
  });
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}
