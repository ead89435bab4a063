import { type EventDetails, readEventCalendar } from '../import/ical';
import { FetchFailed, FetchRefused, fetchPublic } from './safe-fetch';

/**
 * A meetup's details read from its calendar link, for an organiser to check in the form: the link fetched
 * under safe-fetch's rules (https, public addresses, 1 MB, 10 s, 3 redirects), then read as iCalendar.
 * Every way it can fail is one EventPageError whose message says what to paste instead.
 */

export const EVENT_PAGE_LIMITS = { maxBytes: 1024 * 1024, timeoutMs: 10_000, maxRedirects: 3 } as const;

export class EventPageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventPageError';
  }
}

/** Where to find the link that works, said wherever a link was not one. */
const WHERE_THE_LINK_IS =
  "on Meetup use the iCal (.ics) link of the group's or the event's calendar, on Luma the event's " +
  '"Add to calendar" (.ics) link';

export async function readEventPage(
  url: string,
  o: { now: Date; timeZone: string; fetch?: typeof fetchPublic },
): Promise<EventDetails> {
  const link = url.trim();
  // Meetup's event pages are web pages, not calendars; how Meetup names an event's .ics link is not
  // something to guess at, so the organiser is asked for it before anything is fetched.
  if (isMeetupEventPage(link)) {
    throw new EventPageError(
      `That link is a Meetup event page, not its calendar (.ics) file: ${WHERE_THE_LINK_IS}`,
    );
  }
  let page: Awaited<ReturnType<typeof fetchPublic>>;
  try {
    page = await (o.fetch ?? fetchPublic)(link, {
      ...EVENT_PAGE_LIMITS,
      accept: 'text/calendar, text/plain;q=0.5, */*;q=0.1',
    });
  } catch (err) {
    throw new EventPageError(explain(err));
  }
  if (page.status < 200 || page.status >= 300) {
    throw new EventPageError(
      `The event page answered with HTTP ${page.status}: check the link (${WHERE_THE_LINK_IS})`,
    );
  }
  const text = page.body.toString('utf8').replace(/^\uFEFF/, '');
  if (!/^\s*BEGIN:VCALENDAR/i.test(text)) {
    throw new EventPageError(`That link is not a calendar (.ics) file: ${WHERE_THE_LINK_IS}`);
  }
  const read = readEventCalendar(text, { now: o.now, timeZone: o.timeZone, eventUrl: link });
  if (!read.ok) throw new EventPageError(read.error);
  return read.event;
}

function explain(err: unknown): string {
  if (err instanceof FetchRefused) {
    switch (err.reason) {
      case 'not_https':
        return 'That link is not https: roundup only reads https:// links, so paste the one that starts with https://';
      case 'private_address':
        return 'That address is on a private network: roundup only reads public event pages';
      case 'bad_url':
        return `That is not a web address: ${WHERE_THE_LINK_IS}`;
    }
  }
  if (err instanceof FetchFailed) {
    switch (err.reason) {
      case 'too_big':
        return `The calendar file is larger than ${EVENT_PAGE_LIMITS.maxBytes / (1024 * 1024)} MB`;
      case 'too_slow':
        return `The event page took longer than ${EVENT_PAGE_LIMITS.timeoutMs / 1000} seconds: try again in a moment`;
      case 'too_many_redirects':
        return `The link redirected more than ${EVENT_PAGE_LIMITS.maxRedirects} times: paste the calendar (.ics) link itself`;
      case 'unreachable':
        return err.message;
    }
  }
  return 'roundup could not read that link: try again in a moment';
}

/** https://www.meetup.com/<group>/events/<id>/ (not an iCal link under it). */
function isMeetupEventPage(link: string): boolean {
  try {
    const u = new URL(link);
    return /^(www\.)?meetup\.com$/i.test(u.hostname) && /^\/[^/]+\/events\/\d+\/?$/i.test(u.pathname);
  } catch {
    return false;
  }
}
