import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

/**
 * Field builders shared by the model. Each one carries its own bound and says what is wrong in plain words;
 * the path of the field is added by `describeIssues`.
 */

/** The longest text each kind of field accepts (UTF-16 units, as Slack counts them). */
export const LIMITS = {
  name: 100,
  shortText: 200,
  sentence: 1000,
  paragraph: 3000,
  url: 2000,
  takeaway: 1000,
  takeaways: 25,
  /** Takeaways of a talk in all, nested ones included: what one form can show (25 a level would allow 15,625). */
  takeawaysInAll: 50,
  takeawayDepth: 3,
  talks: 20,
  speakers: 6,
  links: 6,
  sponsors: 50,
  paragraphs: 10,
  photos: 40,
  organisers: 50,
  channels: 10,
  companies: 10,
  reminders: 10,
} as const;

/** A required one-line text: trimmed, not empty, at most `max` characters, no line breaks. */
export function line(max: number = LIMITS.shortText) {
  return z
    .string({ error: 'must be text' })
    .transform((s) => s.trim())
    .pipe(
      z
        .string()
        .min(1, { error: 'is empty' })
        .max(max, { error: `is longer than ${max} characters` })
        .refine((s) => !/[\r\n]/.test(s), { error: 'must be on one line' })
        .refine((s) => !hasControlCharacters(s), { error: 'holds a control character' }),
    );
}

/**
 * A required block of text that may run over several lines (paragraphs are separated by a blank line).
 * Line endings are normalised to `\n` and trailing spaces on each line are dropped.
 */
export function text(max: number = LIMITS.paragraph) {
  return z
    .string({ error: 'must be text' })
    .transform((s) =>
      s
        .replace(/\r\n?/g, '\n')
        .split('\n')
        .map((l) => l.trimEnd())
        .join('\n')
        .trim(),
    )
    .pipe(
      z
        .string()
        .min(1, { error: 'is empty' })
        .max(max, { error: `is longer than ${max} characters` })
        .refine((s) => !hasControlCharacters(s.replace(/\n/g, '')), { error: 'holds a control character' }),
    );
}

function hasControlCharacters(s: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: this is the check for them
  return /[\u0000-\u0008\u000b-\u001f\u007f]/.test(s);
}

/** An absolute http(s) URL. */
export function webUrl() {
  return z
    .string({ error: 'must be a link' })
    .trim()
    .min(1, { error: 'is empty' })
    .max(LIMITS.url, { error: `is longer than ${LIMITS.url} characters` })
    .refine(isWebUrl, { error: 'must be a full web address starting with https:// or http://' });
}

export function isWebUrl(s: string): boolean {
  if (!/^https?:\/\//i.test(s) || /\s/.test(s)) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.length > 0;
  } catch {
    return false;
  }
}

/**
 * A path inside the group's own site, as its posts write it: `/images/2019-05-01-cloud-native-london.jpeg`.
 * It starts with `/`, climbs no folder (`..`) and holds no space or character a Markdown link would end at.
 */
export function sitePath() {
  return z
    .string({ error: 'must be a path in the site' })
    .trim()
    .min(1, { error: 'is empty' })
    .max(500, { error: 'is longer than 500 characters' })
    .refine(isSitePath, {
      error: 'must be a path in the site starting with /, for example /images/2019-05-01-meetup.jpeg',
    });
}

export function isSitePath(s: string): boolean {
  return /^\/(?!\/)[^\s()<>{}"'`\\[\]|^]*$/.test(s) && !s.split('/').includes('..');
}

/** A calendar date written YYYY-MM-DD. */
export function isoDate() {
  return z
    .string({ error: 'must be a date written in quotes, for example "2018-11-07"' })
    .trim()
    .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s).isValid, {
      error: 'must be a real date written YYYY-MM-DD, for example 2018-11-07',
    });
}

/** A local time of day written HH:MM (24-hour clock). */
export function localTime() {
  return z
    .string({ error: 'must be a time written in quotes, for example "18:30"' })
    .trim()
    .refine((s) => /^([01]\d|2[0-3]):[0-5]\d$/.test(s), {
      error: 'must be a time written HH:MM on the 24-hour clock, for example 18:30',
    });
}

export function timeZone() {
  return z
    .string({ error: 'must be a time zone' })
    .trim()
    .refine((s) => IANAZone.isValidZone(s), {
      error: 'must be an IANA time zone such as Europe/London or Pacific/Auckland',
    });
}

export function slackUserId() {
  return z
    .string({ error: 'must be a Slack user id' })
    .regex(/^[UW][A-Z0-9]{2,20}$/, { error: 'must be a Slack user id such as U012ABCDEF' });
}

export function slackChannelId() {
  return z
    .string({ error: 'must be a Slack channel id' })
    .regex(/^[CGD][A-Z0-9]{2,20}$/, { error: 'must be a Slack channel id such as C012ABCDEF' });
}

/** A list with a plain-words bound on its length. */
export function list<T extends z.ZodType>(item: T, max: number, what: string) {
  return z.array(item, { error: 'must be a list' }).max(max, { error: `has more than ${max} ${what}` });
}
