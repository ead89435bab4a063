import https from 'node:https';
import {
  FetchFailed,
  type FetchPublicOptions,
  FetchRefused,
  fetchPublic,
  refusedAddressKind,
} from '../../src/services/safe-fetch';
import { EVENTS_HOST, EventsServer, lookupFrom } from '../support/events-server';

let server: EventsServer;
let requests: jest.SpyInstance;
const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n';

beforeAll(async () => {
  server = await EventsServer.start();
  server.serve('/feed.ics', ics);
});
afterAll(() => server.stop());
beforeEach(() => {
  server.connections = 0;
  requests = jest.spyOn(https, 'request');
});
afterEach(() => requests.mockRestore());

const limits = { maxBytes: 1024 * 1024, timeoutMs: 5000 };

function options(
  names: Record<string, string[]> = {},
  more: Partial<FetchPublicOptions> = {},
): FetchPublicOptions {
  return { ...limits, ...server.fetchOptions(names), ...more };
}

async function refusal(promise: Promise<unknown>): Promise<FetchRefused> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchRefused);
  return err as FetchRefused;
}

async function failure(promise: Promise<unknown>): Promise<FetchFailed> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchFailed);
  return err as FetchFailed;
}

describe('a public https page', () => {
  it('is read, through the checked address, with its content type', async () => {
    const page = await fetchPublic(server.url('/feed.ics'), options({}, { accept: 'text/calendar' }));
    expect(page).toEqual({
      url: server.url('/feed.ics'),
      status: 200,
      contentType: 'text/calendar; charset=utf-8',
      body: Buffer.from(ics),
    });
    expect(server.connections).toBe(1);
  });

  it('is not read when its certificate is not trusted (the test CA is the only thing the seam adds)', async () => {
    const o = options();
    const err = await failure(
      fetchPublic(server.url('/feed.ics'), { ...o, testOnly: { allowAddress: o.testOnly?.allowAddress } }),
    );
    expect(err.message).toBe(`roundup could not read ${EVENTS_HOST}: its https certificate is not valid`);
  });
});

describe('refused before any connection', () => {
  it('a link that is not https', async () => {
    const calls: string[] = [];
    const err = await refusal(
      fetchPublic(server.url('/feed.ics').replace('https:', 'http:'), {
        ...options(),
        lookup: lookupFrom({}, calls),
      }),
    );
    expect(err.reason).toBe('not_https');
    expect(err.message).toMatch(/is not an https:\/\/ link$/);
    expect(calls).toEqual([]);
    expect(requests).not.toHaveBeenCalled();
    expect(server.connections).toBe(0);
  });

  it.each([
    ['loopback', '127.0.0.1'],
    ['loopback', '127.8.9.10'],
    ['loopback', '::1'],
    ['private', '10.1.2.3'],
    ['private', '172.16.0.1'],
    ['private', '172.31.255.254'],
    ['private', '192.168.1.20'],
    ['private', 'fc00::1'],
    ['private', 'fd12:3456::1'],
    ['link-local', '169.254.10.20'],
    ['link-local', 'fe80::1'],
    ['link-local', 'febf::1'],
    ['shared (CGNAT)', '100.64.0.1'],
    ['shared (CGNAT)', '100.127.255.254'],
    ['unspecified', '0.0.0.0'],
    ['unspecified', '::'],
    ['multicast', '224.0.0.251'],
    ['multicast', '239.1.2.3'],
    ['multicast', 'ff02::1'],
    ['broadcast', '255.255.255.255'],
    ['metadata', '169.254.169.254'],
    ['metadata', 'fd00:ec2::254'],
    ['loopback', '::ffff:127.0.0.1'],
    ['loopback', '::ffff:7f00:1'],
    ['private', '::ffff:10.0.0.1'],
    ['private', '::ffff:192.168.0.1'],
    ['metadata', '::ffff:169.254.169.254'],
    ['metadata', '::ffff:a9fe:a9fe'],
    ['metadata', '64:ff9b::a9fe:a9fe'],
  ])('a name that resolves to a %s address (%s)', async (kind, address) => {
    // The name resolves to the local server's own address family where it can, so a connection would land.
    const err = await refusal(
      fetchPublic(server.url('/feed.ics', 'evil.test'), options({ 'evil.test': [address] })),
    );
    expect(err.reason).toBe('private_address');
    expect(err.message).toBe(
      `evil.test is on a private network (${kind} address): roundup only reads public pages`,
    );
    expect(requests).not.toHaveBeenCalled();
    expect(server.connections).toBe(0);
  });

  it('a name with one private address among public ones', async () => {
    const err = await refusal(
      fetchPublic(
        server.url('/feed.ics', 'mixed.test'),
        options({ 'mixed.test': ['93.184.216.34', '10.0.0.7'] }),
      ),
    );
    expect(err.reason).toBe('private_address');
    expect(requests).not.toHaveBeenCalled();
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['[::1]', 'loopback'],
    ['[::ffff:127.0.0.1]', 'loopback'],
    ['169.254.169.254', 'metadata'],
    ['[fd00:ec2::254]', 'metadata'],
    ['10.0.0.1', 'private'],
  ])('a literal address %s', async (host, kind) => {
    const calls: string[] = [];
    // No allowAddress here: a literal is judged as it is.
    const err = await refusal(
      fetchPublic(`https://${host}:${server.port}/feed.ics`, { ...limits, lookup: lookupFrom({}, calls) }),
    );
    expect(err.message).toContain(`(${kind} address)`);
    expect(calls).toEqual([]);
    expect(requests).not.toHaveBeenCalled();
    expect(server.connections).toBe(0);
  });

  it('localhost, as the system resolver answers it', async () => {
    const err = await refusal(fetchPublic(`https://localhost:${server.port}/feed.ics`, limits));
    expect(err.reason).toBe('private_address');
    expect(server.connections).toBe(0);
  });

  it('a redirect from an allowed page to a private address, before connecting to it', async () => {
    server.on('/hop', (_req, res) =>
      res.writeHead(302, { location: `https://internal.test:${server.port}/feed.ics` }).end(),
    );
    const calls: string[] = [];
    const o = options();
    const err = await refusal(
      fetchPublic(server.url('/hop'), {
        ...o,
        lookup: lookupFrom({ [EVENTS_HOST]: ['127.0.0.1'], 'internal.test': ['192.168.0.10'] }, calls),
      }),
    );
    expect(err.message).toBe(
      'internal.test is on a private network (private address): roundup only reads public pages',
    );
    expect(calls).toEqual([EVENTS_HOST, 'internal.test']);
    expect(requests).toHaveBeenCalledTimes(1);
    expect(server.connections).toBe(1);
  });

  it('a redirect to a plain http link', async () => {
    server.on('/to-http', (_req, res) =>
      res.writeHead(301, { location: 'http://example.com/feed.ics' }).end(),
    );
    const err = await refusal(fetchPublic(server.url('/to-http'), options()));
    expect(err.reason).toBe('not_https');
    expect(requests).toHaveBeenCalledTimes(1);
  });
});

describe('redirects', () => {
  it('are followed to a public page, each one checked', async () => {
    server.on('/moved', (_req, res) => res.writeHead(301, { location: '/feed.ics' }).end());
    const page = await fetchPublic(server.url('/moved'), options());
    expect(page.url).toBe(server.url('/feed.ics'));
    expect(page.body.toString()).toBe(ics);
  });

  it('stop after maxRedirects', async () => {
    server.on('/loop', (_req, res) => res.writeHead(302, { location: '/loop' }).end());
    const err = await failure(fetchPublic(server.url('/loop'), options({}, { maxRedirects: 3 })));
    expect(err.reason).toBe('too_many_redirects');
    expect(err.message).toBe('The link redirected more than 3 times');
    expect(requests).toHaveBeenCalledTimes(4);
  });
});

describe('limits', () => {
  it('a page that says it is larger than maxBytes', async () => {
    server.serve('/big.ics', Buffer.alloc(5000, 'x'));
    const err = await failure(fetchPublic(server.url('/big.ics'), options({}, { maxBytes: 4096 })));
    expect(err.reason).toBe('too_big');
    expect(err.message).toBe('The page is larger than 4 KB');
  });

  it('a page that never ends is cut off at maxBytes', async () => {
    server.on('/endless.ics', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/calendar' });
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const more = () => {
        while (!res.destroyed && res.write(chunk)) {
          /* keep writing until the socket pushes back */
        }
      };
      res.on('drain', more);
      more();
    });
    const err = await failure(
      fetchPublic(server.url('/endless.ics'), options({}, { maxBytes: 1024 * 1024 })),
    );
    expect(err.reason).toBe('too_big');
    expect(err.message).toBe('The page is larger than 1 MB');
  });

  it('a page that trickles in is stopped at the deadline', async () => {
    server.on('/slow.ics', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/calendar' });
      const timer = setInterval(() => res.write('x'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const err = await failure(fetchPublic(server.url('/slow.ics'), options({}, { timeoutMs: 300 })));
    expect(err.reason).toBe('too_slow');
    expect(err.message).toBe('The page took longer than 0.3 seconds to arrive');
  });

  it('a server that never answers is stopped at the deadline', async () => {
    server.on('/silent.ics', () => undefined);
    const err = await failure(fetchPublic(server.url('/silent.ics'), options({}, { timeoutMs: 1000 })));
    expect(err.reason).toBe('too_slow');
    expect(err.message).toBe('The page took longer than 1 second to arrive');
  });
});

describe('refusedAddressKind', () => {
  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
  ])('%s is public', (ip) => expect(refusedAddressKind(ip)).toBeUndefined());
  it('anything that is not an address is refused', () => {
    expect(refusedAddressKind('not-an-ip')).toBe('unknown');
  });
});
