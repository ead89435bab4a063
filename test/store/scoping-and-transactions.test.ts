import { openStore, type SqlStore } from '../../src/store/sql-store';
import { type MeetupRecord, NotFoundError } from '../../src/store/store';
import { createTestDatabase, type TestDatabase } from '../support/backends';
import { describeEachBackend } from '../support/each-backend';
import { fullGroup, fullMeetup, meetupOn, talk } from './fixtures';

const A = 'T0TEAMA';
const B = 'T0TEAMB';

describeEachBackend('team scoping and transactions', (backend) => {
  let db: TestDatabase;
  let store: SqlStore;

  beforeEach(async () => {
    db = await createTestDatabase(backend.backend);
    store = await openStore(db.url);
  });

  afterEach(async () => {
    await store.close();
    await db.remove();
  });

  async function rowCounts(): Promise<Record<string, number>> {
    const tables = ['groups', 'sponsors', 'meetups', 'talks', 'photos'];
    return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await db.count(t)])));
  }

  describe('team scoping', () => {
    let aMeetup: MeetupRecord;
    let bMeetupId: string;

    beforeEach(async () => {
      await store.saveGroup(A, fullGroup());
      await store.saveGroup(B, { ...fullGroup(), name: 'Team B group', sponsors: [] });
      aMeetup = await store.createMeetup(A, fullMeetup());
      bMeetupId = (await store.createMeetup(B, meetupOn('2019-05-01', 'planned', ['B talk']))).id;
    });

    it("keeps each team's group to itself", async () => {
      expect((await store.getGroup(A))?.name).toBe('Cloud Native London');
      expect((await store.getGroup(B))?.sponsors).toEqual([]);
      expect((await store.getGroup(A))?.sponsors).toHaveLength(2);
    });

    it("does not let team B read team A's meetup", async () => {
      expect(await store.getMeetup(B, aMeetup.id)).toBeUndefined();
      expect(await store.getRoundup(B, aMeetup.id)).toBeUndefined();
      expect((await store.listMeetups(B)).map((m) => m.id)).toEqual([bMeetupId]);
      expect((await store.currentMeetup(B))?.id).toBe(bMeetupId);
    });

    it("does not let team B change team A's meetup or talks", async () => {
      const aTalk = aMeetup.talks[0];
      if (aTalk === undefined) throw new Error('fixture has talks');

      await expect(store.updateMeetup(B, aMeetup.id, { status: 'published' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(store.saveTalk(B, aMeetup.id, talk('Intruder'))).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.saveTalk(B, aMeetup.id, { ...aTalk, title: 'Hijacked' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      // Nor through B's own meetup, naming A's talk id.
      await expect(store.saveTalk(B, bMeetupId, { ...aTalk, title: 'Hijacked' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(store.moveTalk(B, aMeetup.id, aTalk.id, 1)).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.deleteTalk(B, aMeetup.id, aTalk.id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.deleteTalk(B, bMeetupId, aTalk.id)).rejects.toBeInstanceOf(NotFoundError);

      expect(await store.getMeetup(A, aMeetup.id)).toStrictEqual(aMeetup);
    });

    it("does not touch team A's group when team B saves its own", async () => {
      const before = await store.getGroup(A);
      await store.saveGroup(B, { ...fullGroup(), name: 'Renamed B', sponsors: [{ name: 'Only B' }] });
      expect(await store.getGroup(A)).toStrictEqual(before);
    });
  });

  describe('transactions', () => {
    beforeEach(async () => {
      await store.saveGroup(A, fullGroup());
    });

    it('rolls back every write of a failed transaction', async () => {
      const before = await rowCounts();

      await expect(
        store.transaction(async (tx) => {
          const meetup = await tx.createMeetup(A, fullMeetup());
          await tx.saveTalk(A, meetup.id, talk('Extra'));
          await tx.saveGroup(A, { ...fullGroup(), name: 'Renamed', sponsors: [] });
          throw new Error('the user cancelled');
        }),
      ).rejects.toThrow('the user cancelled');

      expect(await rowCounts()).toEqual(before);
      expect(await store.listMeetups(A)).toEqual([]);
      expect((await store.getGroup(A))?.name).toBe('Cloud Native London');
    });

    it('leaves nothing half-written when one step fails part-way', async () => {
      const before = await rowCounts();
      // The meetup, its photos and a talk are written before the next step fails.
      await expect(
        store.transaction(async (tx) => {
          const meetup = await tx.createMeetup(A, fullMeetup());
          await tx.saveTalk(A, meetup.id, talk('Fine'));
          await tx.saveTalk(A, meetup.id, { ...talk('Gone'), id: 'no-such-talk' });
        }),
      ).rejects.toBeInstanceOf(NotFoundError);

      expect(await rowCounts()).toEqual(before);
    });

    it('writes nothing the model refuses, whichever method is asked', async () => {
      const aMeetup = await store.createMeetup(A, fullMeetup());
      const before = await rowCounts();
      const broken = { ...talk('Broken'), title: null as unknown as string };

      await expect(
        store.createMeetup(A, { ...fullMeetup(), talks: [talk('Fine'), broken] }),
      ).rejects.toMatchObject({
        name: 'InvalidDataError',
        message: 'In this meetup, talks[1].title must be text.',
      });
      await expect(store.saveTalk(A, aMeetup.id, broken)).rejects.toMatchObject({
        message: 'In this talk, title must be text.',
      });
      await expect(store.updateMeetup(A, aMeetup.id, { extras: ['x'.repeat(3001)] })).rejects.toMatchObject({
        message: 'In this meetup, extras[0] is longer than 3000 characters.',
      });
      await expect(
        store.saveGroup(A, {
          ...fullGroup(),
          sponsors: Array.from({ length: 51 }, (_, i) => ({ name: `S${i}` })),
        }),
      ).rejects.toMatchObject({ message: 'The sponsor roster has more than 50 sponsors.' });

      expect(await rowCounts()).toEqual(before);
      expect(await store.getMeetup(A, aMeetup.id)).toEqual(aMeetup);
    });

    it('lets nested calls join the outer transaction, through either store', async () => {
      const created = await store.transaction(async (tx) => {
        const meetup = await tx.createMeetup(A, meetupOn('2019-06-12'));
        // Calls on the outer store and nested transactions must not wait for the transaction they are in.
        await store.saveTalk(A, meetup.id, talk('Outer store'));
        await tx.transaction((inner) => inner.saveTalk(A, meetup.id, talk('Nested')));
        return store.getMeetup(A, meetup.id);
      });

      expect(created?.talks.map((t) => t.title)).toEqual(['Outer store', 'Nested']);
    });

    it('rolls back nested writes with the outer transaction', async () => {
      const meetup = await store.createMeetup(A, meetupOn('2019-06-12'));

      await expect(
        store.transaction(async (tx) => {
          await tx.transaction((inner) => inner.saveTalk(A, meetup.id, talk('Nested')));
          throw new Error('later failure');
        }),
      ).rejects.toThrow('later failure');

      expect((await store.getMeetup(A, meetup.id))?.talks).toEqual([]);
    });

    it('runs a transaction and a write from elsewhere one after the other', async () => {
      const meetup = await store.createMeetup(A, meetupOn('2019-06-12'));
      let releaseFirst = () => {};
      const firstStarted = new Promise<void>((started) => {
        void store.transaction(async (tx) => {
          await tx.saveTalk(A, meetup.id, talk('First'));
          started();
          await new Promise<void>((release) => {
            releaseFirst = release;
          });
          await tx.saveTalk(A, meetup.id, talk('Second'));
        });
      });
      await firstStarted;

      // Started outside the transaction's async chain, so it waits for it rather than joining it.
      const other = store.saveTalk(A, meetup.id, talk('Third'));
      releaseFirst();
      await other;

      expect((await store.getMeetup(A, meetup.id))?.talks.map((t) => t.title)).toEqual([
        'First',
        'Second',
        'Third',
      ]);
    });
  });
});
