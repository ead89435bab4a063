import fs from 'node:fs';
import path from 'node:path';
import { type Roundup, roundupSchema } from '../../src/domain/meetup';

export const FIXTURES = path.join(__dirname, '..', 'fixtures');
export const REPO = path.join(__dirname, '..', '..');

export function readFixture(relative: string): string {
  return fs.readFileSync(path.join(FIXTURES, relative), 'utf8');
}

export function loadRoundup(name: string): Roundup {
  return roundupSchema.parse(JSON.parse(readFixture(`roundups/${name}.json`)));
}

/** The raw JSON of a fixture, for tests that change it before validation. */
export function roundupJson(name: string): {
  group: Record<string, unknown>;
  meetup: Record<string, unknown>;
} {
  return JSON.parse(readFixture(`roundups/${name}.json`));
}

/**
 * The published posts differ from ours only where the acceptance allows: trailing spaces, the November
 * source's broken `â€™` (a mis-encoded `’`), and one doubled blank line before November's closing heading,
 * which no Markdown renders differently. Everything else must match byte for byte.
 */
export function asPublished(post: string): string {
  return post
    .replace(/â€™/g, '’')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}
