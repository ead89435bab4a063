import type { z } from 'zod';
import { LIMITS } from '../domain/fields';
import { groupSchema, meetupSchema, talkSchema } from '../domain/meetup';
import { check } from '../domain/validate';
import { InvalidDataError, type MeetupChanges } from './store';

/**
 * What the store checks before it writes: the model's own schemas, so that no caller (a form, a service, the
 * scheduler, a script) can store what the model would refuse to read back. Records carry the store's own
 * fields beside the model's; they are not the model's to judge.
 */

function assertValid(what: InvalidDataError['what'], schema: z.ZodType, value: object): void {
  const {
    teamId: _t,
    groupId: _g,
    createdAt: _c,
    updatedAt: _u,
    ...fields
  } = value as Record<string, unknown>;
  const checked = check(schema, fields);
  if (!checked.ok) throw new InvalidDataError(what, checked.problems);
}

export function assertValidGroup(group: object): void {
  const { id: _id, ...fields } = group as Record<string, unknown>;
  assertValid('group', groupSchema, fields);
}

export function assertValidMeetup(meetup: object): void {
  assertValid('meetup', meetupSchema, meetup);
}

/** Only the fields being changed: a change is judged on its own, whatever else the stored meetup holds. */
export function assertValidChanges(changes: MeetupChanges): void {
  // A required field given as undefined is ignored by updateMeetup, so it is not a change to judge.
  const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  const keys = Object.fromEntries(Object.keys(given).map((k) => [k, true])) as Record<
    keyof typeof meetupSchema.shape,
    true
  >;
  assertValid('meetup', meetupSchema.pick(keys), given);
}

export function assertValidTalk(talk: object): void {
  assertValid('talk', talkSchema, talk);
}

/** A new talk for a meetup that already holds `count`. */
export function assertRoomForTalk(count: number): void {
  if (count >= LIMITS.talks) {
    throw new InvalidDataError('meetup', [
      { path: 'talks', message: `already has ${LIMITS.talks} talks, the most a post can hold` },
    ]);
  }
}
