import { openStore, type SqlStore } from '../../src/store/sql-store';
import { type MeetupRecord, NotFoundError } from '../../src/store/store';
import { createTestDatabase, type TestDatabase } from '../support/backends';
import { describeEachBackend } from '../support/each-backend';
import { fullGroup, meetupOn } from './fixtures';

const A = 'T0TEAMA';
const B = 'T0TEAMB';
const ORGANISER = 'U012ABCDEF';

describeEachBackend('talk links', (backend) => {
  let db: TestDatabase;
  let store: SqlStore;
  let meetup: MeetupRecord;

  beforeEach(async () => {
    db = await createTestDatabase(backend.backend);
    store = await openStore(db.url);
    await store.saveGroup(A, fullGroup());
    await store.saveGroup(B, { ...fullGroup(), name: 'Team B group' });
    meetup = await store.createMeetup(A, meetupOn('2018-11-07', 'held', ['Kapitan', 'Cortex']));
  });

  afterEach(async () => {
    await store.close();
    await db.remove();
  });

  const talkId = (i: number) => meetup.talks[i]?.id as string;
  const link = (id: string, talk = 0) => ({
    id,
    meetupId: meetup.id,
    talkId: talkId(talk),
    createdBy: ORGANISER,
    createdAt: '2018-11-08T10:00:00.000Z',
    expiresAt: '2018-11-22T10:00:00.000Z',
  });

  it('keeps a link and reads it back, for its own team only', async () => {
    const saved = await store.saveTalkLink(A, link('L1'));
    expect(saved).toEqual(link('L1'));
    await store.close();
    store = await openStore(db.url);
    expect(await store.getTalkLink(A, 'L1')).toEqual(link('L1'));
    expect(await store.getTalkLink(B, 'L1')).toBeUndefined();
  });

  it('refuses a link to a talk that does not exist, or of another team', async () => {
    await expect(store.saveTalkLink(A, { ...link('L1'), talkId: 'no-such-talk' })).rejects.toThrow(
      NotFoundError,
    );
    await expect(store.saveTalkLink(B, link('L2'))).rejects.toThrow(NotFoundError);
  });

  it("revokes the live links of one talk, not the other talk's nor another team's", async () => {
    await store.saveTalkLink(A, link('L1', 0));
    await store.saveTalkLink(A, link('L2', 0));
    await store.saveTalkLink(A, link('L3', 1));
    expect(await store.revokeTalkLinks(B, talkId(0))).toBe(0);
    expect(await store.revokeTalkLinks(A, talkId(0), '2018-11-09T00:00:00.000Z')).toBe(2);
    expect((await store.getTalkLink(A, 'L1'))?.revokedAt).toBe('2018-11-09T00:00:00.000Z');
    expect((await store.getTalkLink(A, 'L2'))?.revokedAt).toBe('2018-11-09T00:00:00.000Z');
    expect((await store.getTalkLink(A, 'L3'))?.revokedAt).toBeUndefined();
    // Revoking again finds nothing live and keeps the first date.
    expect(await store.revokeTalkLinks(A, talkId(0))).toBe(0);
    expect((await store.getTalkLink(A, 'L1'))?.revokedAt).toBe('2018-11-09T00:00:00.000Z');
  });

  it('stamps a link as used while it works, and refuses one revoked or expired', async () => {
    await store.saveTalkLink(A, link('L1'));
    await store.saveTalkLink(A, link('L2', 1));
    expect(await store.useTalkLink(A, 'L1', '2018-11-09T00:00:00.000Z')).toBe(true);
    expect((await store.getTalkLink(A, 'L1'))?.usedAt).toBe('2018-11-09T00:00:00.000Z');
    expect(await store.useTalkLink(B, 'L1', '2018-11-09T00:00:00.000Z')).toBe(false);
    expect(await store.useTalkLink(A, 'L1', '2018-11-22T10:00:00.000Z')).toBe(false);
    await store.revokeTalkLinks(A, talkId(1));
    expect(await store.useTalkLink(A, 'L2', '2018-11-09T00:00:00.000Z')).toBe(false);
    expect((await store.getTalkLink(A, 'L2'))?.usedAt).toBeUndefined();
  });

  it('loses its links with its talk, and with its team', async () => {
    await store.saveTalkLink(A, link('L1', 0));
    await store.saveTalkLink(A, link('L3', 1));
    await store.deleteTalk(A, meetup.id, talkId(0));
    expect(await store.getTalkLink(A, 'L1')).toBeUndefined();
    expect(await store.getTalkLink(A, 'L3')).toBeDefined();
    await store.forgetTeam(A);
    expect(await store.getTalkLink(A, 'L3')).toBeUndefined();
  });

  it("answers every waiting ask of a talk at once, and no other talk's", async () => {
    await store.saveAsk(A, { meetupId: meetup.id, talkId: talkId(0), userId: 'U0S1', askedBy: ORGANISER });
    await store.saveAsk(A, { meetupId: meetup.id, talkId: talkId(0), userId: 'U0S2', askedBy: ORGANISER });
    await store.saveAsk(A, { meetupId: meetup.id, talkId: talkId(1), userId: 'U0S3', askedBy: ORGANISER });
    expect(await store.markTalkAsksAnswered(B, talkId(0))).toBe(0);
    expect(await store.markTalkAsksAnswered(A, talkId(0))).toBe(2);
    const asks = await store.listAsks(A, meetup.id);
    expect(asks.map((a) => [a.userId, a.status])).toEqual([
      ['U0S1', 'answered'],
      ['U0S2', 'answered'],
      ['U0S3', 'waiting'],
    ]);
  });
});
