import { LIMITS } from '../../src/domain/fields';
import { openDatabase, openPostgresDatabase } from '../../src/store/database';
import { openStore, type SqlStore } from '../../src/store/sql-store';
import { InvalidDataError } from '../../src/store/store';
import { createTestDatabase, type TestDatabase } from '../support/backends';
import { describeEachBackend } from '../support/each-backend';
import { fullGroup, meetupOn, talk } from './fixtures';

/**
 * Two stores on one database, as two replicas (or two processes on one SQLite file) are: what one writes the
 * other reads at once, and the model's limits hold across both.
 */
const TEAM = 'T0TEAMA';

describeEachBackend('two stores on one database', (backend) => {
  let db: TestDatabase;
  let one: SqlStore;
  let two: SqlStore;

  beforeEach(async () => {
    db = await createTestDatabase(backend.backend);
    one = await openStore(db.url);
    two = await openStore(db.url);
  });

  afterEach(async () => {
    await Promise.all([one.close(), two.close()]);
    await db.remove();
  });

  /** The talks' stored positions, read over a connection of its own. */
  async function positions(meetupId: string): Promise<number[]> {
    const kysely = backend.backend === 'postgres' ? openPostgresDatabase(db.url, 1) : openDatabase(db.url);
    try {
      const rows = await kysely
        .selectFrom('talks')
        .select('position')
        .where('meetup_id', '=', meetupId)
        .orderBy('position')
        .execute();
      return rows.map((r) => Number(r.position));
    } finally {
      await kysely.destroy();
    }
  }

  /** Save 25 new talks to one meetup at once, shared out among `stores`; the limit must hold across them. */
  async function saveTwentyFiveAtOnce(stores: SqlStore[]): Promise<void> {
    await one.saveGroup(TEAM, fullGroup());
    const meetup = await one.createMeetup(TEAM, meetupOn('2019-03-13'));

    const results = await Promise.allSettled(
      Array.from({ length: 25 }, (_, i) =>
        stores[i % stores.length]!.saveTalk(TEAM, meetup.id, talk(`T${i}`)),
      ),
    );

    const saved = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(refused).toHaveLength(25 - LIMITS.talks);
    for (const reason of refused) {
      expect(reason).toBeInstanceOf(InvalidDataError);
      expect(reason).toMatchObject({ what: 'meetup', problems: [{ path: 'talks' }] });
    }
    expect(saved).toHaveLength(LIMITS.talks);
    expect(await db.count('talks')).toBe(LIMITS.talks);
    expect(await positions(meetup.id)).toEqual(Array.from({ length: LIMITS.talks }, (_, i) => i));
    const read = await stores[stores.length - 1]!.getMeetup(TEAM, meetup.id);
    expect(read?.talks).toHaveLength(LIMITS.talks);
    expect(new Set(read?.talks.map((t) => t.id)).size).toBe(LIMITS.talks);
  }

  it(`stores ${LIMITS.talks} of 25 talks saved at once through one store, and refuses the rest`, async () => {
    await saveTwentyFiveAtOnce([one]);
  });

  // Replicas share PostgreSQL. SQLite has one writing process: two stores in one process cannot take turns
  // there, since better-sqlite3 waits for a lock without letting the holder's transaction go on.
  if (backend.backend === 'postgres') {
    it(`stores ${LIMITS.talks} of 25 talks saved at once through both, and refuses the rest`, async () => {
      await saveTwentyFiveAtOnce([one, two]);
    });
  }

  it('reads through one a group just saved through the other, with its new values', async () => {
    await one.saveGroup(TEAM, fullGroup());
    // Read through the second first, so that a store keeping groups in memory has this one kept.
    expect((await two.getGroup(TEAM))?.name).toBe('Cloud Native London');

    const renamed = { ...fullGroup(), name: 'CNL', sponsors: [{ name: 'Only one' }] };
    const saved = await one.saveGroup(TEAM, renamed);

    expect(await two.getGroup(TEAM)).toStrictEqual(saved);
    expect(saved).toMatchObject({ name: 'CNL', sponsors: [{ name: 'Only one' }] });

    // And the other way round, once more, with the first holding what it read last.
    expect((await one.getGroup(TEAM))?.name).toBe('CNL');
    const again = await two.saveGroup(TEAM, { ...renamed, name: 'CNL again' });
    expect(await one.getGroup(TEAM)).toStrictEqual(again);
  });
});
