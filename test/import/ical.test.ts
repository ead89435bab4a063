import fs from 'node:fs';
import path from 'node:path';
import { NO_UPCOMING_EVENT, readEventCalendar, splitLocation } from '../../src/import/ical';

const fixture = (name: string) =>
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ical', name), 'utf8');
const meetup = fixture('meetup-group.ics');
const luma = fixture('luma-event.ics');
const london = 'Europe/London';

const calendar = (...lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const vevent = (...lines: string[]) => [
  'BEGIN:VEVENT',
  'UID:x@test',
  'DTSTAMP:20260101T000000Z',
  ...lines,
  'END:VEVENT',
];

describe("Meetup's group feed", () => {
  it('gives the next event after now, in its own zone, before the clocks change', () => {
    const read = readEventCalendar(meetup, { now: new Date('2026-03-01T12:00:00Z'), timeZone: london });
    expect(read).toEqual({
      ok: true,
      event: {
        date: '2026-03-24',
        startTime: '18:30',
        timeZone: london,
        venue: 'The Office Group, Thomas House',
        address: '84 Eccleston Square, London SW1V 1PX',
        rsvpUrl: 'https://www.meetup.com/london-typescript/events/313000002/',
        title: 'March talks: compilers, bundlers & you',
      },
    });
  });

  it('keeps the wall-clock time after the clocks go forward (29 March 2026)', () => {
    // 18:30 BST is 17:30 UTC: an hour after the March event's 18:30 GMT, yet the same time on the page.
    const read = readEventCalendar(meetup, { now: new Date('2026-03-24T18:31:00Z'), timeZone: london });
    expect(read.ok && read.event).toEqual({
      date: '2026-04-14',
      startTime: '18:30',
      timeZone: london,
      venue: 'Makers HQ',
      address: '50-52 Commercial Street, London',
      rsvpUrl: 'https://www.meetup.com/london-typescript/events/313000003/',
      title: 'April talks',
    });
  });

  it('counts an event as upcoming until it starts', () => {
    // 24 March 18:29 GMT is a minute before the March event.
    const read = readEventCalendar(meetup, { now: new Date('2026-03-24T18:29:00Z'), timeZone: london });
    expect(read.ok && read.event.date).toBe('2026-03-24');
  });

  it('gives an online event without a venue or an address', () => {
    const read = readEventCalendar(meetup, { now: new Date('2026-04-20T00:00:00Z'), timeZone: london });
    expect(read.ok && read.event).toEqual({
      date: '2026-05-12',
      startTime: '18:30',
      timeZone: london,
      rsvpUrl: 'https://www.meetup.com/london-typescript/events/313000004/',
      title: 'May: online lightning talks',
    });
  });

  it('gives the event whose page the link was, even when another comes first', () => {
    const read = readEventCalendar(meetup, {
      now: new Date('2026-03-01T12:00:00Z'),
      timeZone: london,
      eventUrl: 'https://meetup.com/london-typescript/events/313000003',
    });
    expect(read.ok && read.event.date).toBe('2026-04-14');
  });

  it('says so when every event is over', () => {
    expect(readEventCalendar(meetup, { now: new Date('2026-06-01T00:00:00Z'), timeZone: london })).toEqual({
      ok: false,
      error: NO_UPCOMING_EVENT,
    });
  });
});

describe("Luma's event file", () => {
  it('gives a UTC time in the group zone, the address, and the page from the description', () => {
    const read = readEventCalendar(luma, { now: new Date('2026-10-01T00:00:00Z'), timeZone: london });
    expect(read).toEqual({
      ok: true,
      event: {
        date: '2026-10-15',
        startTime: '18:00',
        timeZone: london,
        venue: 'Second Home Spitalfields',
        address: '68 Hanbury Street, London E1 5JL, UK',
        rsvpUrl: 'https://luma.com/ts-night-oct',
        title: 'TypeScript Night: October',
      },
    });
  });

  it('moves a late UTC time onto the next day in the group zone', () => {
    const text = calendar(...vevent('DTSTART:20261220T233000Z', 'SUMMARY:Late'));
    const read = readEventCalendar(text, { now: new Date('2026-12-01T00:00:00Z'), timeZone: 'Asia/Tokyo' });
    expect(read.ok && read.event).toMatchObject({
      date: '2026-12-21',
      startTime: '08:30',
      timeZone: 'Asia/Tokyo',
    });
  });

  it('gives an online event (a link as its location) no venue', () => {
    const text = calendar(
      ...vevent(
        'DTSTART:20261110T180000Z',
        'LOCATION:https://luma.com/join/abc123',
        'URL:https://luma.com/online-1',
      ),
    );
    const read = readEventCalendar(text, { now: new Date('2026-11-01T00:00:00Z'), timeZone: london });
    expect(read.ok && read.event).toEqual({
      date: '2026-11-10',
      startTime: '18:00',
      timeZone: london,
      rsvpUrl: 'https://luma.com/online-1',
    });
  });
});

describe('the iCalendar itself', () => {
  it('an all-day event has a date and no start time', () => {
    const text = calendar(
      ...vevent('DTSTART;VALUE=DATE:20261107', 'DTEND;VALUE=DATE:20261108', 'SUMMARY:Hack day'),
    );
    const read = readEventCalendar(text, { now: new Date('2026-11-07T15:00:00Z'), timeZone: london });
    expect(read.ok && read.event).toEqual({ date: '2026-11-07', timeZone: london, title: 'Hack day' });
  });

  it('reads escaped commas, semicolons and newlines, and folded lines', () => {
    const text = calendar(
      ...vevent(
        'DTSTART;TZID=Europe/London:20261201T190000',
        'SUMMARY:Talks\\; pizza\\, and\\nquestions',
        'LOCATION:The Crypt\\, St James\\,',
        '  Clerkenwell (Clerkenwell Close\\, London EC1R 0EA)',
      ),
    );
    const read = readEventCalendar(text, { now: new Date('2026-11-01T00:00:00Z'), timeZone: london });
    expect(read.ok && read.event).toEqual({
      date: '2026-12-01',
      startTime: '19:00',
      timeZone: london,
      venue: 'The Crypt, St James, Clerkenwell',
      address: 'Clerkenwell Close, London EC1R 0EA',
      title: 'Talks; pizza, and\nquestions',
    });
  });

  it('a TZID that only the VTIMEZONE defines is placed by it', () => {
    const text = calendar(
      'BEGIN:VTIMEZONE',
      'TZID:GMT Standard Time',
      'BEGIN:STANDARD',
      'DTSTART:16010101T020000',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0000',
      'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
      'END:STANDARD',
      'BEGIN:DAYLIGHT',
      'DTSTART:16010101T010000',
      'TZOFFSETFROM:+0000',
      'TZOFFSETTO:+0100',
      'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
      'END:DAYLIGHT',
      'END:VTIMEZONE',
      ...vevent('DTSTART;TZID=GMT Standard Time:20260616T183000'),
    );
    const read = readEventCalendar(text, { now: new Date('2026-06-01T00:00:00Z'), timeZone: london });
    expect(read.ok && read.event).toMatchObject({ date: '2026-06-16', startTime: '18:30' });
  });

  it('a cancelled event is passed over', () => {
    const text = calendar(
      ...vevent('DTSTART:20261201T180000Z', 'STATUS:CANCELLED', 'SUMMARY:Off'),
      ...vevent('DTSTART:20261215T180000Z', 'SUMMARY:On'),
    );
    const read = readEventCalendar(text, { now: new Date('2026-11-01T00:00:00Z'), timeZone: london });
    expect(read.ok && read.event.title).toBe('On');
  });

  it('an empty feed has no upcoming event', () => {
    expect(readEventCalendar(calendar(), { now: new Date(), timeZone: london })).toEqual({
      ok: false,
      error: NO_UPCOMING_EVENT,
    });
  });

  it.each([
    ['a web page', '<!doctype html><html><body>Meetup</body></html>'],
    ['a broken calendar', 'BEGIN:VCALENDAR\r\nthis line has no colon\r\nEND:VCALENDAR\r\n'],
    ['nothing', ''],
  ])('%s is a clear error', (_what, text) => {
    const read = readEventCalendar(text, { now: new Date(), timeZone: london });
    expect(read.ok).toBe(false);
    expect(!read.ok && read.error).toMatch(/^That file is not a calendar/);
  });

  it('a calendar of something else (a vCard) is refused', () => {
    const read = readEventCalendar('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada\r\nEND:VCARD\r\n', {
      now: new Date(),
    });
    expect(read).toEqual({
      ok: false,
      error: 'That file is not a calendar (.ics): it has no BEGIN:VCALENDAR',
    });
  });
});

describe('splitLocation', () => {
  it.each([
    ['CodeNode (10 South Place, London)', { venue: 'CodeNode', address: '10 South Place, London' }],
    [
      'Makers HQ, 50-52 Commercial Street, London',
      { venue: 'Makers HQ', address: '50-52 Commercial Street, London' },
    ],
    ['68 Hanbury Street, London E1 5JL', { address: '68 Hanbury Street, London E1 5JL' }],
    ['The Pub', { venue: 'The Pub' }],
    ['Online event', {}],
    ['https://zoom.us/j/123', {}],
    ['', {}],
  ])('%s', (location, expected) => expect(splitLocation(location)).toEqual(expected));
});
