import fs from 'node:fs';
import path from 'node:path';
import { EventPageError, readEventPage } from '../../src/services/event-page';
import { FetchFailed, fetchPublic } from '../../src/services/safe-fetch';
import { EventsServer } from '../support/events-server';

const fixture = (name: string) =>
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ical', name), 'utf8');
const london = 'Europe/London';

let server: EventsServer;
beforeAll(async () => {
  server = await EventsServer.start();
  server.serve('/london-typescript/events/ical/', fixture('meetup-group.ics'));
  server.serve('/ts-night-oct.ics', fixture('luma-event.ics'), 'application/octet-stream');
  server.serve('/page', '<!doctype html><html><title>An event</title></html>', 'text/html');
  server.serve('/huge.ics', `BEGIN:VCALENDAR\r\n${'X-PAD:x\r\n'.repeat(120_000)}END:VCALENDAR\r\n`);
  server.on('/gone.ics', (_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('gone'));
});
afterAll(() => server.stop());
beforeEach(() => {
  server.connections = 0;
});

/** readEventPage with the test seam (the local server's name and certificate); every limit as in production. */
const read = (url: string, now = '2026-03-01T12:00:00Z') =>
  readEventPage(url, {
    now: new Date(now),
    timeZone: london,
    fetch: (u, o) => fetchPublic(u, { ...o, ...server.fetchOptions({ 'router.test': ['192.168.1.1'] }) }),
  });

async function errorOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EventPageError);
  return (err as Error).message;
}

describe('readEventPage', () => {
  it("reads a Meetup group's feed served over https", async () => {
    await expect(read(server.url('/london-typescript/events/ical/'))).resolves.toEqual({
      date: '2026-03-24',
      startTime: '18:30',
      timeZone: london,
      venue: 'The Office Group, Thomas House',
      address: '84 Eccleston Square, London SW1V 1PX',
      rsvpUrl: 'https://www.meetup.com/london-typescript/events/313000002/',
      title: 'March talks: compilers, bundlers & you',
    });
  });

  it("reads Luma's event file whatever content type it is served with", async () => {
    const event = await read(server.url('/ts-night-oct.ics'), '2026-10-01T00:00:00Z');
    expect(event).toMatchObject({
      date: '2026-10-15',
      startTime: '18:00',
      rsvpUrl: 'https://luma.com/ts-night-oct',
    });
  });

  it.each([
    [
      'a plain http link',
      () => server.url('/london-typescript/events/ical/').replace('https:', 'http:'),
      /^That link is not https: /,
    ],
    [
      'a name on a private network',
      () => `https://router.test:${server.port}/feed.ics`,
      /^That address is on a private network: roundup only reads public event pages$/,
    ],
    [
      'a Meetup event page',
      () => 'https://www.meetup.com/london-typescript/events/313000002/',
      /^That link is a Meetup event page, not its calendar \(\.ics\) file: on Meetup use /,
    ],
    ['a web page', () => server.url('/page'), /^That link is not a calendar \(\.ics\) file: on Meetup use /],
    ['a file over 1 MB', () => server.url('/huge.ics'), /^The calendar file is larger than 1 MB$/],
    [
      'a page that is not there',
      () => server.url('/gone.ics'),
      /^The event page answered with HTTP 404: check the link/,
    ],
    ['not a link at all', () => 'next tuesday', /^That is not a web address: /],
  ])('%s is an error that says what to do', async (_what, url, message) => {
    expect(await errorOf(read(url()))).toMatch(message);
  });

  it('connects to nothing for a link it refuses', async () => {
    await errorOf(read(`https://router.test:${server.port}/feed.ics`));
    await errorOf(read('https://www.meetup.com/london-typescript/events/313000002/'));
    expect(server.connections).toBe(0);
  });

  it('a feed with nothing ahead says so', async () => {
    expect(await errorOf(read(server.url('/london-typescript/events/ical/'), '2027-01-01T00:00:00Z'))).toBe(
      'There is no upcoming event in this calendar',
    );
  });

  it('a page slower than 10 seconds says so', async () => {
    // The deadline itself is safe-fetch's (tested there); this is how it reads to an organiser.
    const slow = readEventPage('https://events.example/x.ics', {
      now: new Date(),
      timeZone: london,
      fetch: async (_u, o) => {
        expect(o).toMatchObject({ maxBytes: 1024 * 1024, timeoutMs: 10_000, maxRedirects: 3 });
        throw new FetchFailed('too_slow', 'The page took longer than 10 seconds to arrive');
      },
    });
    expect(await errorOf(slow)).toBe('The event page took longer than 10 seconds: try again in a moment');
  });
});
