import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';

/**
 * A meetup read from its calendar (.ics): Meetup's per-group feed or one event's file (Luma writes one per
 * event). Parsing (folded lines, escapes, VTIMEZONE) is ical.js's; what is decided here is which event is
 * meant and how its LOCATION reads as a venue and an address.
 */

export interface EventDetails {
  /** YYYY-MM-DD, in the event's own zone. */
  date: string;
  /** HH:mm in the event's own zone; none for an all-day event. */
  startTime?: string;
  /** The IANA zone the date and time are in. */
  timeZone?: string;
  venue?: string;
  address?: string;
  /** The event's own page, where people RSVP. */
  rsvpUrl?: string;
  title?: string;
}

export type ReadCalendar = { ok: true; event: EventDetails } | { ok: false; error: string };

export const NO_UPCOMING_EVENT = 'There is no upcoming event in this calendar';

interface Candidate {
  /** When it starts (an all-day event: when its day ends, so it counts as upcoming all that day). */
  upcomingUntil: number;
  startsAt: number;
  details: EventDetails;
  url?: string;
}

/**
 * The event a calendar describes. A feed of many events gives the next one starting at or after `now`;
 * with `eventUrl` (the link was one event's page) the event whose URL is that page wins, whenever it is.
 * Cancelled events are passed over. Times written in UTC are given in `timeZone` (the group's zone); times
 * with a TZID stay in that zone's wall-clock time, as the organiser sees them on the event page.
 */
export function readEventCalendar(
  text: string,
  o: { now: Date; timeZone?: string; eventUrl?: string },
): ReadCalendar {
  let root: InstanceType<typeof ICAL.Component>;
  try {
    const parsed = ICAL.parse(text);
    // A file holding several calendars parses to a list; the first is the one meant.
    const first = Array.isArray(parsed[0]) ? parsed[0] : parsed;
    root = new ICAL.Component(first as unknown[]);
  } catch (err) {
    return { ok: false, error: `That file is not a calendar roundup can read (${reason(err)})` };
  }
  if (root.name !== 'vcalendar') {
    return { ok: false, error: 'That file is not a calendar (.ics): it has no BEGIN:VCALENDAR' };
  }

  const candidates: Candidate[] = [];
  for (const vevent of root.getAllSubcomponents('vevent')) {
    const candidate = readEvent(vevent, o.timeZone);
    if (candidate) candidates.push(candidate);
  }

  const wanted = o.eventUrl ? sameEventPage(o.eventUrl) : undefined;
  const byUrl = wanted ? candidates.find((c) => c.url && sameEventPage(c.url) === wanted) : undefined;
  if (byUrl) return { ok: true, event: byUrl.details };

  const now = o.now.getTime();
  const next = candidates.filter((c) => c.upcomingUntil >= now).sort((a, b) => a.startsAt - b.startsAt)[0];
  return next ? { ok: true, event: next.details } : { ok: false, error: NO_UPCOMING_EVENT };
}

function readEvent(
  vevent: InstanceType<typeof ICAL.Component>,
  groupZone: string | undefined,
): Candidate | undefined {
  const status = textOf(vevent, 'status');
  if (status?.toUpperCase() === 'CANCELLED') return undefined;
  const property = vevent.getFirstProperty('dtstart');
  const start = property?.getFirstValue();
  if (!property || !(start instanceof ICAL.Time)) return undefined;

  const when = wallClock(start, property.getFirstParameter('tzid'), groupZone);
  if (!when) return undefined;
  const url = textOf(vevent, 'url') ?? lumaLink(textOf(vevent, 'description'));
  const place = splitLocation(textOf(vevent, 'location'));
  const title = textOf(vevent, 'summary');
  const details: EventDetails = {
    date: when.local.toISODate() as string,
    ...(start.isDate ? {} : { startTime: when.local.toFormat('HH:mm') }),
    ...(when.zone ? { timeZone: when.zone } : {}),
    ...place,
    ...(url ? { rsvpUrl: url } : {}),
    ...(title ? { title } : {}),
  };
  const startsAt = when.local.toMillis();
  const upcomingUntil = start.isDate ? when.local.endOf('day').toMillis() : startsAt;
  return { startsAt, upcomingUntil, details, ...(url ? { url } : {}) };
}

/**
 * The start as a wall-clock time in the zone it belongs to: a TZID zone luxon knows; UTC moved into the
 * group's zone; a TZID only the file's VTIMEZONE defines (Outlook's "GMT Standard Time") placed by
 * ical.js and shown in the group's zone; a floating time taken as the group's.
 */
function wallClock(
  start: InstanceType<typeof ICAL.Time>,
  tzid: string | undefined,
  groupZone: string | undefined,
): { local: DateTime; zone?: string } | undefined {
  const fields = {
    year: start.year,
    month: start.month,
    day: start.day,
    ...(start.isDate ? {} : { hour: start.hour, minute: start.minute, second: start.second }),
  };
  const group = groupZone && IANAZone.isValidZone(groupZone) ? groupZone : undefined;
  if (start.isDate) {
    const local = DateTime.fromObject(fields, { zone: group ?? 'UTC' });
    return local.isValid ? { local, ...(group ? { zone: group } : {}) } : undefined;
  }
  const isUtc = start.zone === ICAL.Timezone.utcTimezone || tzid?.toUpperCase() === 'UTC';
  if (isUtc) {
    const utc = DateTime.fromObject(fields, { zone: 'UTC' });
    const local = group ? utc.setZone(group) : utc;
    return local.isValid ? { local, zone: group ?? 'UTC' } : undefined;
  }
  if (tzid && IANAZone.isValidZone(tzid)) {
    const local = DateTime.fromObject(fields, { zone: tzid });
    return local.isValid ? { local, zone: tzid } : undefined;
  }
  if (tzid && start.zone && start.zone !== ICAL.Timezone.localTimezone) {
    // Only the file knows this zone: ical.js turns it into an instant, shown in the group's zone.
    const instant = DateTime.fromSeconds(start.toUnixTime(), { zone: group ?? 'UTC' });
    return instant.isValid ? { local: instant, zone: group ?? 'UTC' } : undefined;
  }
  const local = DateTime.fromObject(fields, { zone: group ?? 'UTC' });
  return local.isValid ? { local, ...(group ? { zone: group } : {}) } : undefined;
}

/**
 * LOCATION as a venue and an address. Meetup writes "Venue (Street, City)" or "Venue, Street, City"; Luma
 * writes an address ("68 Hanbury Street, London", or "Venue, Street, City") or, for an online event, a
 * link. An online event has neither a venue nor an address.
 */
export function splitLocation(location: string | undefined): { venue?: string; address?: string } {
  const text = location?.replace(/\s+/g, ' ').trim();
  if (!text || /^https?:\/\//i.test(text) || /^(online|online event|virtual|zoom)$/i.test(text)) return {};
  const bracketed = /^(.+?)\s*\((.+)\)$/.exec(text);
  if (bracketed?.[1] && bracketed[2]) return { venue: bracketed[1].trim(), address: bracketed[2].trim() };
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const first = parts[0] ?? text;
  // An address that starts with its street number has no venue name in front of it.
  if (/^\d/.test(first)) return { address: parts.join(', ') };
  if (parts.length === 1) return { venue: first };
  return { venue: first, address: parts.slice(1).join(', ') };
}

function textOf(component: InstanceType<typeof ICAL.Component>, name: string): string | undefined {
  const value = component.getFirstPropertyValue(name);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Luma puts the event's page in its description ("Get up-to-date information at: https://luma.com/..."). */
function lumaLink(description: string | undefined): string | undefined {
  return /https:\/\/(?:lu\.ma|luma\.com)\/[^\s]+/.exec(description ?? '')?.[0];
}

/** An event page compared without its scheme's case, query, fragment or trailing slash. */
function sameEventPage(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname.replace(/^www\./, '')}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return url.trim().toLowerCase();
  }
}

function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const line = message.split('\n')[0] ?? message;
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
