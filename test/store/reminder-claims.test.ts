import { cancel, claim, finish, takeOver } from '../../src/domain/reminder-lifecycle';
import { openStore, type SqlStore } from '../../src/store/sql-store';
import type { ReminderRecord } from '../../src/store/store';
import { createTestDatabase, type TestDatabase } from '../support/backends';
import { describeEachBackend } from '../support/each-backend';
import { fullGroup, meetupOn } from './fixtures';

/**
 * The scheduler's side of the store: due reminders claimed in one statement, abandoned claims taken over,
 * and the clock it compares with. Replicas share one database, so two stores claim from the same rows.
 */
const TEAM = 'T0TEAMA';

const planned = (kind: string, fireAt: string) => ({
  kind,
  channel: 'C0COMMUNITY',
  eventDate: '2026-12-09',
  fireAt,
});

const sent = { status: 'sent', messageTs: '1.000001', postedChannel: 'C0COMMUNITY' } as const;

describeEachBackend('claiming reminders', (backend) => {
  let db: TestDatabase;
  let store: SqlStore;
  let meetupId: string;
  const others: SqlStore[] = [];

  beforeEach(async () => {
    db = await createTestDatabase(backend.backend);
    store = await openStore(db.url);
    await store.saveGroup(TEAM, fullGroup());
    meetupId = (await store.createMeetup(TEAM, meetupOn('2026-11-04', 'held'))).id;
  });

  afterEach(async () => {
    await Promise.all(others.splice(0).map((other) => other.close()));
    await store.close();
    await db.remove();
  });

  /** Reminders of `kind` → fire time, as pending rows; returns their ids by kind. */
  async function pending(fireTimes: Record<string, string>): Promise<Record<string, string>> {
    await store.syncReminders(
      TEAM,
      meetupId,
      'before:',
      Object.entries(fireTimes).map(([kind, fireAt]) => planned(kind, fireAt)),
    );
    const rows = await store.listReminders(TEAM);
    return Object.fromEntries(rows.map((r) => [r.kind, r.id]));
  }

  describe('claimDueReminders', () => {
    it('claims only pending reminders already due, earliest first, at most `limit`', async () => {
      const ids = await pending({
        'before:3': '2026-12-02T10:00:00.000Z',
        'before:1': '2026-12-02T09:00:00.000Z',
        'before:4': '2026-12-02T11:00:00.000Z',
        'before:5': '2026-12-02T11:30:00.001Z', // not due yet
        'before:0': '2026-12-02T08:00:00.000Z', // cancelled by a person
      });
      expect(await store.changeReminder(ids['before:0']!, cancel())).toBe(true);
      const now = '2026-12-02T11:30:00.000Z';

      const first = await store.claimDueReminders(now, 2, claim('tick-1', now));

      expect(first.map((r) => r.kind)).toEqual(['before:1', 'before:3']);
      for (const row of first) {
        expect(row).toMatchObject({
          teamId: TEAM,
          meetupId,
          status: 'sending',
          claimToken: 'tick-1',
          claimedAt: now,
          attempts: 1,
        });
        expect(await store.getReminder(row.id)).toStrictEqual(row);
      }

      // The next tick does not get them again: only the one due reminder left.
      const second = await store.claimDueReminders(now, 10, claim('tick-2', now));
      expect(second.map((r) => [r.kind, r.claimToken, r.attempts])).toEqual([['before:4', 'tick-2', 1]]);
      expect(await store.claimDueReminders(now, 10, claim('tick-3', now))).toEqual([]);

      expect(await store.getReminder(ids['before:5']!)).toMatchObject({ status: 'pending', attempts: 0 });
      expect(await store.getReminder(ids['before:0']!)).toMatchObject({ status: 'cancelled', attempts: 0 });
      expect(await store.getReminder(ids['before:1']!)).toMatchObject({ claimToken: 'tick-1' });
    });

    it('counts a reminder due exactly now as due', async () => {
      await pending({ 'before:1': '2026-12-02T09:00:00.000Z' });
      const now = '2026-12-02T09:00:00.000Z';
      expect(await store.claimDueReminders(now, 1, claim('tick', now))).toHaveLength(1);
    });

    it('leaves alone the reminders it is told to, claiming the next due instead', async () => {
      const ids = await pending({
        'before:1': '2026-12-02T09:00:00.000Z',
        'before:2': '2026-12-02T09:01:00.000Z',
        'before:3': '2026-12-02T09:02:00.000Z',
      });
      const now = '2026-12-02T10:00:00.000Z';

      const got = await store.claimDueReminders(now, 10, claim('tick', now), [ids['before:1']!]);

      expect(got.map((r) => r.kind)).toEqual(['before:2', 'before:3']);
      expect(await store.getReminder(ids['before:1']!)).toMatchObject({ status: 'pending', attempts: 0 });
    });

    it('shares 60 due reminders between two stores claiming at once, each exactly once', async () => {
      const fireTimes = Object.fromEntries(
        Array.from({ length: 60 }, (_, i) => [
          `before:${String(i).padStart(2, '0')}`,
          new Date(Date.UTC(2026, 11, 2, 9, i)).toISOString(),
        ]),
      );
      const ids = Object.values(await pending(fireTimes));
      expect(ids).toHaveLength(60);
      const [a, b] = await Promise.all([openStore(db.url), openStore(db.url)]);
      others.push(a!, b!);
      const now = '2026-12-02T12:00:00.000Z';

      // Each replica claims one at a time until it finds nothing left to claim.
      async function claimAll(replica: SqlStore, name: string): Promise<ReminderRecord[]> {
        const claimed: ReminderRecord[] = [];
        for (let n = 0; ; n++) {
          const got = await replica.claimDueReminders(now, 1, claim(`${name}-${n}`, now));
          if (got.length === 0) return claimed;
          expect(got).toHaveLength(1);
          claimed.push(...got);
        }
      }
      const [byA, byB] = await Promise.all([claimAll(a!, 'a'), claimAll(b!, 'b')]);

      const all = [...byA, ...byB].map((r) => r.id);
      expect(new Set(all).size).toBe(all.length);
      expect([...all].sort()).toEqual([...ids].sort());
      // Each row holds the claim of the replica that returned it.
      const rows = await store.listReminders(TEAM);
      const tokens = new Map([...byA, ...byB].map((r) => [r.id, r.claimToken]));
      for (const row of rows) {
        expect(row).toMatchObject({ status: 'sending', attempts: 1, claimToken: tokens.get(row.id) });
      }
    });
  });

  describe('takeOverAbandoned', () => {
    it('takes only claims made before the cutoff, and their old claimer can no longer finish', async () => {
      const ids = await pending({
        'before:1': '2026-12-02T09:00:00.000Z',
        'before:2': '2026-12-02T09:01:00.000Z',
        'before:3': '2026-12-02T09:02:00.000Z',
        'before:4': '2026-12-02T09:03:00.000Z',
      });
      // Two claims that lapsed, one still fresh, and one reminder never claimed.
      expect(await store.changeReminder(ids['before:1']!, claim('old-1', '2026-12-02T10:00:00.000Z'))).toBe(
        true,
      );
      expect(await store.changeReminder(ids['before:2']!, claim('old-2', '2026-12-02T10:01:00.000Z'))).toBe(
        true,
      );
      expect(await store.changeReminder(ids['before:3']!, claim('fresh', '2026-12-02T10:05:00.000Z'))).toBe(
        true,
      );
      const cutoff = '2026-12-02T10:03:00.000Z';
      const now = '2026-12-02T10:07:00.000Z';

      const first = await store.takeOverAbandoned(cutoff, 1, takeOver('new-1', now, cutoff));
      expect(first.map((r) => r.id)).toEqual([ids['before:1']]);
      expect(first[0]).toMatchObject({ status: 'sending', claimToken: 'new-1', claimedAt: now, attempts: 2 });

      const second = await store.takeOverAbandoned(cutoff, 10, takeOver('new-2', now, cutoff));
      expect(second.map((r) => [r.id, r.claimToken])).toEqual([[ids['before:2'], 'new-2']]);
      expect(await store.takeOverAbandoned(cutoff, 10, takeOver('new-3', now, cutoff))).toEqual([]);

      // The senders that lost their claims record nothing; the fresh claim and the new owners still finish.
      expect(await store.changeReminder(ids['before:1']!, finish('old-1', sent))).toBe(false);
      expect(await store.changeReminder(ids['before:2']!, finish('old-2', sent))).toBe(false);
      expect(await store.getReminder(ids['before:1']!)).toMatchObject({
        status: 'sending',
        claimToken: 'new-1',
      });
      expect(await store.changeReminder(ids['before:3']!, finish('fresh', sent))).toBe(true);
      expect(await store.changeReminder(ids['before:1']!, finish('new-1', sent))).toBe(true);
      expect(await store.getReminder(ids['before:4']!)).toMatchObject({ status: 'pending', attempts: 0 });
    });
  });

  describe('databaseTime', () => {
    it('is within a few seconds of this machine’s clock', async () => {
      const before = Date.now();
      const time = await store.databaseTime();
      const after = Date.now();
      expect(time).toBeInstanceOf(Date);
      expect(time.getTime()).toBeGreaterThan(before - 5000);
      expect(time.getTime()).toBeLessThan(after + 5000);
    });
  });
});
