import { openStore, type SqlStore } from '../../src/store/sql-store';
import { type DraftRecord, type MeetupRecord, NotFoundError } from '../../src/store/store';
import { createTestDatabase, type TestDatabase } from '../support/backends';
import { describeEachBackend } from '../support/each-backend';
import { fullGroup, meetupOn } from './fixtures';

const A = 'T0TEAMA';
const B = 'T0TEAMB';
const SPEAKER = 'U0SPEAKER1';
const ORGANISER = 'U012ABCDEF';

describeEachBackend('asks, drafts and deliveries', (backend) => {
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

  /** Close the store and open the same database again, so reads come from it rather than from memory. */
  async function reopen(): Promise<void> {
    await store.close();
    store = await openStore(db.url);
  }

  function talkId(index: number): string {
    const id = meetup.talks[index]?.id;
    if (id === undefined) throw new Error(`the meetup has no talk ${index}`);
    return id;
  }

  function ask(talk: number, userId = SPEAKER) {
    return { meetupId: meetup.id, talkId: talkId(talk), userId, askedBy: ORGANISER };
  }

  function draft(changes: Partial<DraftRecord> = {}): DraftRecord {
    return {
      meetupId: meetup.id,
      channelId: 'C0ORGANISE',
      messageTs: '1541613600.000100',
      thread: { fileIds: ['F0ZIP00001', 'F0MD000001'], replyTs: [] },
      version: 1,
      ...changes,
    };
  }

  describe('asks', () => {
    it('saves a new ask as waiting, and finds and lists it', async () => {
      const saved = await store.saveAsk(A, ask(0));

      expect(saved).toStrictEqual({
        id: expect.any(String),
        meetupId: meetup.id,
        talkId: talkId(0),
        userId: SPEAKER,
        askedBy: ORGANISER,
        status: 'waiting',
        askedAt: expect.any(String),
      });
      expect(new Date(saved.askedAt).toISOString()).toBe(saved.askedAt);
      expect(await store.findAsk(A, talkId(0), SPEAKER)).toStrictEqual(saved);
      expect(await store.listAsks(A, meetup.id)).toStrictEqual([saved]);
    });

    it('marks an ask answered, for that talk and speaker only', async () => {
      await store.saveAsk(A, ask(0));
      await store.saveAsk(A, ask(1));

      await store.markAskAnswered(A, talkId(0), SPEAKER);

      const answered = await store.findAsk(A, talkId(0), SPEAKER);
      expect(answered?.status).toBe('answered');
      expect(answered?.answeredAt).toEqual(expect.any(String));
      expect((await store.findAsk(A, talkId(1), SPEAKER))?.status).toBe('waiting');
    });

    it('makes an answered ask wait again when the speaker is asked again, keeping one row', async () => {
      const first = await store.saveAsk(A, ask(0));
      await store.markAskAnswered(A, talkId(0), SPEAKER);

      const again = await store.saveAsk(A, { ...ask(0), askedBy: 'U034GHIJKL' });

      expect(again.id).toBe(first.id);
      expect(again.status).toBe('waiting');
      expect(again.askedBy).toBe('U034GHIJKL');
      expect(again).not.toHaveProperty('answeredAt');
      expect(await store.listAsks(A, meetup.id)).toStrictEqual([again]);
      expect(await db.count('asks')).toBe(1);
    });

    it('keeps asks of two speakers for the same talk apart', async () => {
      await store.saveAsk(A, ask(0, 'U0SPEAKER1'));
      await store.saveAsk(A, ask(0, 'U0SPEAKER2'));

      await store.markAskAnswered(A, talkId(0), 'U0SPEAKER2');

      const asks = await store.listAsks(A, meetup.id);
      expect(asks.map((a) => [a.userId, a.status])).toEqual(
        expect.arrayContaining([
          ['U0SPEAKER1', 'waiting'],
          ['U0SPEAKER2', 'answered'],
        ]),
      );
      expect(asks).toHaveLength(2);
    });

    it('refuses an ask for a talk that does not exist, saving nothing', async () => {
      await expect(store.saveAsk(A, { ...ask(0), talkId: 'no-such-talk' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      expect(await db.count('asks')).toBe(0);
    });

    it('refuses an ask naming a talk of another meetup', async () => {
      const other = await store.createMeetup(A, meetupOn('2018-12-12', 'planned', ['Elsewhere']));
      const otherTalk = other.talks[0]?.id ?? '';

      await expect(store.saveAsk(A, { ...ask(0), talkId: otherTalk })).rejects.toBeInstanceOf(NotFoundError);
      expect(await store.listAsks(A, meetup.id)).toEqual([]);
    });

    it('removes the asks of a talk when the talk is deleted', async () => {
      await store.saveAsk(A, ask(0));
      const kept = await store.saveAsk(A, ask(1));

      await store.deleteTalk(A, meetup.id, talkId(0));

      expect(await store.findAsk(A, talkId(0), SPEAKER)).toBeUndefined();
      expect(await store.listAsks(A, meetup.id)).toStrictEqual([kept]);
      expect(await db.count('asks')).toBe(1);
    });

    it('keeps asks and their answers after the store is closed and reopened', async () => {
      await store.saveAsk(A, ask(0));
      await store.saveAsk(A, ask(1));
      await store.markAskAnswered(A, talkId(1), SPEAKER);
      const before = await store.listAsks(A, meetup.id);

      await reopen();

      expect(await store.listAsks(A, meetup.id)).toStrictEqual(before);
      expect(before.map((a) => a.status).sort()).toEqual(['answered', 'waiting']);
    });
  });

  describe('drafts', () => {
    it('has no draft before the first one is saved', async () => {
      expect(await store.getDraft(A, meetup.id)).toBeUndefined();
    });

    it('inserts the first draft, then updates the same row on a re-draft', async () => {
      const first = await store.saveDraft(A, draft(), undefined);
      expect(first).toStrictEqual({ ...draft(), updatedAt: expect.any(String) });

      const thread = { fileIds: ['F0ZIP00002', 'F0MD000002'], replyTs: ['1541613700.000200'] };
      const second = await store.saveDraft(A, draft({ version: 2, thread }), 1);

      expect(second).toStrictEqual({ ...draft({ version: 2, thread }), updatedAt: expect.any(String) });
      expect(await store.getDraft(A, meetup.id)).toStrictEqual(second);
      expect(await db.count('drafts')).toBe(1);
    });

    it('keeps the draft after the store is closed and reopened', async () => {
      await store.saveDraft(A, draft(), undefined);
      const saved = await store.saveDraft(A, draft({ version: 3, messageTs: '1541700000.000300' }), 1);

      await reopen();

      expect(await store.getDraft(A, meetup.id)).toStrictEqual(saved);
      expect(saved?.version).toBe(3);
    });

    it('refuses a draft saved over a version that is no longer the stored one, writing nothing', async () => {
      const first = await store.saveDraft(A, draft(), undefined);
      // Two re-drafts both read version 1; the second to save is refused.
      expect(
        await store.saveDraft(A, draft({ version: 2, messageTs: '1541613600.000201' }), 1),
      ).toBeDefined();
      const stored = await store.getDraft(A, meetup.id);
      expect(
        await store.saveDraft(A, draft({ version: 2, messageTs: '1541613600.000202' }), 1),
      ).toBeUndefined();
      // A first draft while there is one already is refused too.
      expect(await store.saveDraft(A, draft({ messageTs: '1541613600.000203' }), undefined)).toBeUndefined();
      expect(await store.getDraft(A, meetup.id)).toStrictEqual(stored);
      expect(stored?.messageTs).toBe('1541613600.000201');
      expect(first?.version).toBe(1);
    });

    it('refuses a draft for a meetup that does not exist', async () => {
      await expect(
        store.saveDraft(A, draft({ meetupId: 'no-such-meetup' }), undefined),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect(await db.count('drafts')).toBe(0);
    });
  });

  describe('meetup status, compare and set', () => {
    it('moves the status only from the one the caller read, and refuses from any other', async () => {
      expect(await store.changeMeetupStatus(A, meetup.id, ['held'], 'drafted')).toBe(true);
      expect(await store.changeMeetupStatus(A, meetup.id, ['held', 'drafted'], 'published')).toBe(true);
      // A re-draft that read "drafted" before the click on "Mark published" does not undo it.
      expect(await store.changeMeetupStatus(A, meetup.id, ['drafted'], 'drafted')).toBe(false);
      expect(await store.changeMeetupStatus(A, meetup.id, [], 'drafted')).toBe(false);
      expect((await store.getMeetup(A, meetup.id))?.status).toBe('published');
    });

    it("refuses another team's meetup or one that does not exist", async () => {
      await expect(store.changeMeetupStatus(B, meetup.id, ['held'], 'published')).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(
        store.changeMeetupStatus(A, 'no-such-meetup', ['held'], 'published'),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect((await store.getMeetup(A, meetup.id))?.status).toBe('held');
    });
  });

  describe('deliveries', () => {
    it('claims a delivery the first time only', async () => {
      expect(await store.claimDelivery(A, 'trigger:123.456')).toBe(true);
      expect(await store.claimDelivery(A, 'trigger:123.456')).toBe(false);
      expect(await store.claimDelivery(A, 'trigger:123.457')).toBe(true);
    });

    it('lets each team claim the same key once', async () => {
      expect(await store.claimDelivery(A, 'event:Ev01')).toBe(true);
      expect(await store.claimDelivery(B, 'event:Ev01')).toBe(true);
      expect(await store.claimDelivery(B, 'event:Ev01')).toBe(false);
    });

    it('remembers claims after the store is closed and reopened', async () => {
      await store.claimDelivery(A, 'view:V01');

      await reopen();

      expect(await store.claimDelivery(A, 'view:V01')).toBe(false);
    });

    it('undoes a claim made in a transaction that fails, so pressing the button again goes through', async () => {
      await expect(
        store.transaction(async (tx) => {
          await tx.claimDelivery(A, 'view:V02');
          throw new Error('the handler failed');
        }),
      ).rejects.toThrow('the handler failed');

      expect(await store.claimDelivery(A, 'view:V02')).toBe(true);
    });

    it('keeps what a delivery leaves for its duplicates, for its team only, and only if its claim holds', async () => {
      await store.transaction(async (tx) => {
        await tx.claimDelivery(A, 'view:V03');
        await tx.keepAnswer(A, 'view:V03', '{"talkId":"t1"}');
      });
      await store.claimDelivery(B, 'view:V03');
      expect(await store.keptAnswer(A, 'view:V03')).toBe('{"talkId":"t1"}');
      expect(await store.keptAnswer(B, 'view:V03')).toBeUndefined();
      expect(await store.keptAnswer(A, 'view:V04')).toBeUndefined();
      await expect(
        store.transaction(async (tx) => {
          await tx.claimDelivery(A, 'view:V05');
          await tx.keepAnswer(A, 'view:V05', '{}');
          throw new Error('the handler failed');
        }),
      ).rejects.toThrow('the handler failed');
      expect(await store.keptAnswer(A, 'view:V05')).toBeUndefined();
    });
  });

  describe('another team', () => {
    beforeEach(async () => {
      await store.saveAsk(A, ask(0));
      await store.saveDraft(A, draft(), undefined);
    });

    it("sees none of team A's asks or drafts", async () => {
      expect(await store.listAsks(B, meetup.id)).toEqual([]);
      expect(await store.findAsk(B, talkId(0), SPEAKER)).toBeUndefined();
      expect(await store.getDraft(B, meetup.id)).toBeUndefined();
    });

    it("cannot ask for, answer or draft team A's meetup", async () => {
      await expect(store.saveAsk(B, ask(1))).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.saveDraft(B, draft({ version: 9 }), 8)).rejects.toBeInstanceOf(NotFoundError);
      await store.markAskAnswered(B, talkId(0), SPEAKER);

      expect((await store.findAsk(A, talkId(0), SPEAKER))?.status).toBe('waiting');
      expect(await store.listAsks(A, meetup.id)).toHaveLength(1);
      expect((await store.getDraft(A, meetup.id))?.version).toBe(1);
    });
  });
});
