import {
  DEFAULT_REMINDER_PLAN,
  describeStep,
  localInstant,
  parseStep,
  planMeetupReminders,
} from '../../src/domain/reminders';

describe('local times in a zone', () => {
  it.each([
    ['an ordinary winter morning', '2026-01-14', '10:00', 'Europe/London', '2026-01-14T10:00:00.000Z'],
    ['an ordinary summer morning', '2026-07-15', '10:00', 'Europe/London', '2026-07-15T09:00:00.000Z'],
    [
      'a time in the spring gap moves forward',
      '2026-03-29',
      '01:30',
      'Europe/London',
      '2026-03-29T01:30:00.000Z',
    ],
    [
      'a time in the autumn overlap takes the first',
      '2026-10-25',
      '01:30',
      'Europe/London',
      '2026-10-25T00:30:00.000Z',
    ],
    [
      'Auckland, a time in its autumn overlap',
      '2026-04-05',
      '02:30',
      'Pacific/Auckland',
      '2026-04-04T13:30:00.000Z',
    ],
    [
      'Auckland, a time in its spring gap',
      '2026-09-27',
      '02:30',
      'Pacific/Auckland',
      '2026-09-26T14:30:00.000Z',
    ],
    [
      'New York, a time in its spring gap',
      '2026-03-08',
      '02:15',
      'America/New_York',
      '2026-03-08T07:15:00.000Z',
    ],
  ])('%s', (_what, date, time, zone, expected) => {
    expect(localInstant(date, time, zone).toISO()).toBe(expected);
  });

  it('keeps 10:00 local on both sides of a change, counting calendar days (not 24-hour steps)', () => {
    const plan = planMeetupReminders(DEFAULT_REMINDER_PLAN, { date: '2026-03-30' }, ['C1'], 'Europe/London');
    expect(plan.map((r) => r.fireAt)).toEqual([
      '2026-03-23T10:00:00.000Z', // GMT
      '2026-03-29T09:00:00.000Z', // BST, the day the clocks change
      '2026-03-30T08:00:00.000Z',
    ]);
  });
});

describe('reminder plan lines', () => {
  it('reads and writes the lines the setup form shows', () => {
    expect(DEFAULT_REMINDER_PLAN.map(describeStep)).toEqual([
      '7 days before at 10:00',
      '1 day before at 10:00',
      'on the day at 09:00',
    ]);
    for (const step of DEFAULT_REMINDER_PLAN) expect(parseStep(describeStep(step))).toEqual(step);
    expect(parseStep('  A week before at 9.30 ')).toEqual({ daysBefore: 7, time: '09:30' });
    expect(parseStep('the day before at 18:00')).toEqual({ daysBefore: 1, time: '18:00' });
    expect(parseStep('2 weeks before at 10:00')).toEqual({ daysBefore: 14, time: '10:00' });
  });

  it.each(['tomorrow', '7 days after at 10:00', 'on the day at noon', '3 days before'])(
    'does not guess at “%s”',
    (line) => {
      expect(parseStep(line)).toBeUndefined();
    },
  );
});
