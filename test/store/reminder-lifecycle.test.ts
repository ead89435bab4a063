import {
  cancel,
  claim,
  finish,
  reinstate,
  release,
  takeOver,
  unplan,
} from '../../src/domain/reminder-lifecycle';
import { openStore, type SqlStore } from '../../src/store/sql-store';
import { createTestDatabase, type TestDatabase } from '../support/backends';
import { describeEachBackend } from '../support/each-backend';
import { fullGroup, meetupOn } from './fixtures';

/**
 * The store applies the lifecycle's transitions as conditional updates: from the wrong state, with another
 * sender's token, or before a lease has run out, a transition is refused and the row is left as it was.
 */
const TEAM = 'T0TEAMA';

describeEachBackend('reminder transitions', (backend) => {
  let db: TestDatabase;
  let store: SqlStore;
  let meetupId: string;

  beforeEach(async () => {
    db = await createTestDatabase(backend.backend);
    store = await openStore(db.url);
    await store.saveGroup(TEAM, fullGroup());
    meetupId = (await store.createMeetup(TEAM, meetupOn('2026-11-04', 'held'))).id;
  });

  afterEach(async () => {
    await store.close();
    await db.remove();
  });

  const planned = (kind: string, fireAt = '2026-12-02T10:00:00.000Z') => ({
    kind,
    channel: 'C0COMMUNITY',
    eventDate: '2026-12-09',
    fireAt,
  });

  async function onePending(): Promise<string> {
    await store.syncReminders(TEAM, meetupId, 'before:', [planned('before:7@10:00')]);
    const [row] = await store.listReminders(TEAM);
    return row!.id;
  }

  describe('reminder transitions in the store', () => {
    it('lets only the claimer finish or release its claim, and a lapsed claim be taken over', async () => {
      const id = await onePending();
      expect(await store.changeReminder(id, claim('sender-a', '2026-12-02T10:00:05.000Z'))).toBe(true);
      // A second claim of the same row is refused: it is no longer pending.
      expect(await store.changeReminder(id, claim('sender-b', '2026-12-02T10:00:06.000Z'))).toBe(false);
      // Taking over needs the lease to have run out: a claim made at 10:00:05 has not by 10:00:00.
      expect(
        await store.changeReminder(
          id,
          takeOver('sender-b', '2026-12-02T10:02:06.000Z', '2026-12-02T10:00:00.000Z'),
        ),
      ).toBe(false);
      expect(
        await store.changeReminder(
          id,
          takeOver('sender-b', '2026-12-02T10:02:06.000Z', '2026-12-02T10:00:06.000Z'),
        ),
      ).toBe(true);

      // The first sender, too slow, lost its claim: neither its finish nor its release is recorded.
      const lateAnswer = finish('sender-a', {
        status: 'sent',
        messageTs: '1.000001',
        postedChannel: 'C0COMMUNITY',
      });
      expect(await store.changeReminder(id, lateAnswer)).toBe(false);
      expect(await store.changeReminder(id, release('sender-a', 'timed out'))).toBe(false);
      expect(await store.getReminder(id)).toMatchObject({
        status: 'sending',
        claimToken: 'sender-b',
        attempts: 2,
      });

      const done = finish('sender-b', {
        status: 'sent',
        messageTs: '2.000002',
        postedChannel: 'C0COMMUNITY',
      });
      expect(await store.changeReminder(id, done)).toBe(true);
      const row = await store.getReminder(id);
      expect(row).toMatchObject({ status: 'sent', messageTs: '2.000002' });
      expect(row?.claimToken).toBeUndefined();
      // Finished is final: nothing moves it again.
      expect(await store.changeReminder(id, cancel())).toBe(false);
      expect(await store.changeReminder(id, release('sender-b', 'again'))).toBe(false);
    });

    it('keeps a person’s cancel through every later sync, and only a person restores it', async () => {
      const id = await onePending();
      expect(await store.changeReminder(id, cancel(), 'T0OTHERTEAM')).toBe(false);
      expect(await store.changeReminder(id, cancel(), TEAM)).toBe(true);
      await store.syncReminders(TEAM, meetupId, 'before:', [
        planned('before:7@10:00', '2026-12-02T11:00:00.000Z'),
      ]);
      expect(await store.getReminder(id)).toMatchObject({
        status: 'cancelled',
        fireAt: '2026-12-02T10:00:00.000Z',
      });
      expect(
        await store.claimDueReminders('2026-12-03T00:00:00.000Z', 10, claim('t', '2026-12-03T00:00:00.000Z')),
      ).toEqual([]);
      expect(await store.changeReminder(id, reinstate(), TEAM)).toBe(true);
      expect(await store.getReminder(id)).toMatchObject({ status: 'pending' });
    });

    it('sets apart what the plan dropped (unplanned, and planned again) from what a person cancelled', async () => {
      await store.syncReminders(TEAM, meetupId, 'before:', [
        planned('before:7@10:00'),
        planned('before:0@09:00'),
      ]);
      const [week, day] = await store.listReminders(TEAM);
      expect(await store.changeReminder(day!.id, cancel(), TEAM)).toBe(true);
      // The plan drops both (the next meetup called off): the pending one is unplanned, the cancelled stays.
      await store.syncReminders(TEAM, meetupId, 'before:', []);
      expect((await store.listReminders(TEAM)).map((r) => r.status)).toEqual(['unplanned', 'cancelled']);
      // The plan wants both again (the meetup is back): only the unplanned one comes back.
      await store.syncReminders(TEAM, meetupId, 'before:', [
        planned('before:7@10:00'),
        planned('before:0@09:00'),
      ]);
      expect(await store.getReminder(week!.id)).toMatchObject({ status: 'pending' });
      expect(await store.getReminder(day!.id)).toMatchObject({ status: 'cancelled' });
      // Transitions from the wrong state are refused.
      expect(await store.changeReminder(day!.id, unplan())).toBe(false);
      expect(await store.changeReminder(week!.id, reinstate())).toBe(false);
    });

    it('keeps two steps on the same day as two reminders', async () => {
      await store.syncReminders(TEAM, meetupId, 'before:', [
        planned('before:0@09:00', '2026-12-09T09:00:00.000Z'),
        planned('before:0@18:00', '2026-12-09T18:00:00.000Z'),
      ]);
      expect((await store.listReminders(TEAM)).map((r) => [r.kind, r.status])).toEqual([
        ['before:0@09:00', 'pending'],
        ['before:0@18:00', 'pending'],
      ]);
    });
  });
});
