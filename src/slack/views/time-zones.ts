import type { PlainTextOption } from '@slack/types';
import { DateTime } from 'luxon';
import { option } from './form';

/** Every IANA time zone this runtime knows, and UTC. */
const ZONES: readonly string[] = [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].sort();

/** Slack shows at most this many options in answer to one search. */
const MOST_OPTIONS = 100;

/** "Europe/London (UTC+00:00)": the zone as it reads, with its offset now. */
export function timeZoneOption(zone: string, now: Date = new Date()): PlainTextOption {
  const offset = DateTime.fromJSDate(now, { zone }).toFormat('ZZ');
  return option(zone, `${zone.replace(/_/g, ' ')} (UTC${offset})`);
}

/**
 * The zones matching what the person typed (each word anywhere in the name, case and `_` ignored), the
 * group's current one first: at most a hundred, as Slack shows.
 */
export function timeZoneOptions(query: string, current?: string, now: Date = new Date()): PlainTextOption[] {
  const words = query
    .toLowerCase()
    .replace(/_/g, ' ')
    .split(/[\s/,]+/)
    .filter(Boolean);
  const matches = (zone: string) => {
    const name = zone.toLowerCase().replace(/_/g, ' ');
    return words.every((w) => name.includes(w));
  };
  const found = ZONES.filter(matches);
  const ordered =
    current && found.includes(current) ? [current, ...found.filter((z) => z !== current)] : found;
  return ordered.slice(0, MOST_OPTIONS).map((zone) => timeZoneOption(zone, now));
}
