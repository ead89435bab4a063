import { DateTime } from 'luxon';
import { z } from 'zod';
import { localTime } from './fields';

/**
 * Reminders of the next meetup and the nudges after one: when each is due, computed in the group's IANA time
 * zone with calendar arithmetic (days, then the local time of day), never by adding hours.
 */

export { REMINDER_STATUSES, type ReminderStatus } from './reminder-lifecycle';

/** One step of a group's plan: so many days before the meetup, at a local time. */
export const reminderStepSchema = z.strictObject({
  daysBefore: z
    .number({ error: 'must be a number of days' })
    .int({ error: 'must be a whole number of days' })
    .min(0, { error: 'cannot be after the meetup' })
    .max(60, { error: 'is more than 60 days before' }),
  time: localTime(),
});
export type ReminderStep = z.infer<typeof reminderStepSchema>;

export const DEFAULT_REMINDER_PLAN: readonly ReminderStep[] = [
  { daysBefore: 7, time: '10:00' },
  { daysBefore: 1, time: '10:00' },
  { daysBefore: 0, time: '09:00' },
];

/**
 * The kinds of reminder: before the next meetup (by days and local time, so that two steps on the same day
 * are two reminders), and the nudges the morning after a meetup.
 */
export const kindBefore = (step: ReminderStep) => `before:${step.daysBefore}@${step.time}`;
export const KIND_CHECKLIST = 'nudge:checklist';
export const kindSpeakerNudge = (userId: string) => `nudge:speaker:${userId}`;

export function daysBeforeOf(kind: string): number | undefined {
  const match = /^before:(\d+)(?:@\d\d:\d\d)?$/.exec(kind);
  return match ? Number(match[1]) : undefined;
}

/**
 * A local date and time in a zone, as a UTC instant. Daylight saving makes some local times not exist (the
 * spring gap) and some happen twice (the autumn overlap). The rule: a time in the gap moves forward by the
 * gap (01:30 on the spring-forward day in London is 02:30 BST); a time in the overlap takes the earlier
 * instant, the first time the clock shows it (the summer-time offset).
 */
export function localInstant(date: string, time: string, zone: string): DateTime {
  const [hour = 0, minute = 0] = time.split(':').map(Number);
  const [year, month, day] = date.split('-').map(Number);
  const wanted = { year, month, day, hour, minute };
  const candidate = DateTime.fromObject(wanted, { zone });
  if (!candidate.isValid) throw new Error(`${date} ${time} in ${zone}: ${candidate.invalidExplanation}`);
  // In an overlap the same wall time exists at two offsets: take whichever reading is earlier.
  const offsets = new Set([
    candidate.offset,
    candidate.minus({ hours: 1 }).offset,
    candidate.plus({ hours: 1 }).offset,
  ]);
  let earliest: DateTime = candidate;
  for (const offset of offsets) {
    const reading = DateTime.fromObject(wanted, {
      zone: `UTC${offset >= 0 ? '+' : '-'}${formatOffset(offset)}`,
    }).setZone(zone);
    if (reading.hour === hour && reading.minute === minute && reading.day === day && reading < earliest)
      earliest = reading;
  }
  return earliest.toUTC();
}

function formatOffset(minutes: number): string {
  const m = Math.abs(minutes);
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`;
}

/** The day `days` calendar days before an ISO date. */
export function daysBefore(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'utc' }).minus({ days }).toISODate() as string;
}

export interface PlannedReminder {
  kind: string;
  /** A channel id, or a user id for a DM. */
  channel: string;
  /** The date of the event it is about (the next meetup, or the meetup just held). */
  eventDate: string;
  /** UTC, ISO 8601. */
  fireAt: string;
}

/** Reminders of a next meetup: each step of the plan, in each channel. */
export function planMeetupReminders(
  plan: readonly ReminderStep[],
  event: { date: string },
  channels: readonly string[],
  zone: string,
): PlannedReminder[] {
  return plan.flatMap((step) => {
    const fireAt = localInstant(daysBefore(event.date, step.daysBefore), step.time, zone).toISO() as string;
    return channels.map((channel) => ({
      kind: kindBefore(step),
      channel,
      eventDate: event.date,
      fireAt,
    }));
  });
}

/** "7 days before at 10:00", "1 day before at 10:00", "on the day at 09:00" */
export function describeStep(step: ReminderStep): string {
  const when =
    step.daysBefore === 0 ? 'on the day' : `${step.daysBefore} day${step.daysBefore === 1 ? '' : 's'} before`;
  return `${when} at ${step.time}`;
}

/** Reads one line written as `describeStep` writes it (also "the day before", "a week before"). */
export function parseStep(line: string): ReminderStep | undefined {
  const text = line.trim().toLowerCase().replace(/\s+/g, ' ');
  const match =
    /^(on the day|the day before|a week before|(\d+) days? before|(\d+) weeks? before) at (\d{1,2})[:.](\d{2})$/.exec(
      text,
    );
  if (!match) return undefined;
  const days =
    match[1] === 'on the day'
      ? 0
      : match[1] === 'the day before'
        ? 1
        : match[1] === 'a week before'
          ? 7
          : match[2]
            ? Number(match[2])
            : Number(match[3]) * 7;
  return { daysBefore: days, time: `${(match[4] as string).padStart(2, '0')}:${match[5]}` };
}
