import { roundupSchema } from '../../src/domain/meetup';
import { openStore, type SqlStore } from '../../src/store/sql-store';
import { NotFoundError } from '../../src/store/store';
import { createTestDatabase, type TestDatabase } from '../support/backends';
import { describeEachBackend } from '../support/each-backend';
import { cloudNativeLondon, fullGroup, fullMeetup, meetupOn, modelOf, talk } from './fixtures';

const TEAM = 'T0TEAMA';

describeEachBackend('the store', (backend) => {
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

  /** Close the store and open the same database again, so reads come from it rather than from memory. */
  async function reopen(): Promise<void> {
    await store.close();
    store = await openStore(db.url);
  }

  async function titles(meetupId: string): Promise<string[]> {
    const meetup = await store.getMeetup(TEAM, meetupId);
    return meetup?.talks.map((t) => t.title) ?? [];
  }

  describe('groups', () => {
    it('round-trips a group with its sponsor roster, also after reopening', async () => {
      const saved = await store.saveGroup(TEAM, fullGroup());
      expect(saved).toStrictEqual({ id: expect.any(String), teamId: TEAM, ...fullGroup() });

      await reopen();
      expect(await store.getGroup(TEAM)).toStrictEqual(saved);
    });

    it('keeps absent optional fields absent', async () => {
      const { location: _l, organisersChannel: _o, ...minimal } = fullGroup();
      const group = { ...minimal, sponsors: [{ name: 'Pusher' }] };
      const { id: _id, teamId: _t, ...read } = await store.saveGroup(TEAM, group);
      expect(read).toStrictEqual(group);
      expect(Object.keys(read)).not.toContain('location');
    });

    it('replaces the group on a second save, keeping its id and the new roster order', async () => {
      const first = await store.saveGroup(TEAM, fullGroup());
      const changed = {
        ...fullGroup(),
        name: 'CNL',
        sponsors: [{ name: 'B' }, { name: 'A', url: 'https://a.example/' }],
      };

      const second = await store.saveGroup(TEAM, changed);

      expect(second.id).toBe(first.id);
      expect(await store.getGroup(TEAM)).toStrictEqual({ id: first.id, teamId: TEAM, ...changed });
    });

    it('returns undefined for a team without a group', async () => {
      expect(await store.getGroup('T0NOBODY')).toBeUndefined();
    });
  });

  describe('meetups', () => {
    beforeEach(async () => {
      await store.saveGroup(TEAM, cloudNativeLondon().group);
    });

    it.each([
      ['the November 2018 fixture', () => cloudNativeLondon().meetup],
      ['a meetup using every field', fullMeetup],
    ])('round-trips %s, also after reopening', async (_name, make) => {
      const created = await store.createMeetup(TEAM, make());
      expect(modelOf(created)).toStrictEqual(make());
      expect(created.teamId).toBe(TEAM);
      expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);

      await reopen();
      const read = await store.getMeetup(TEAM, created.id);
      expect(read).toStrictEqual(created);
    });

    it('gives talks their own ids, ignoring any carried in', async () => {
      const meetup = { ...meetupOn('2019-01-09'), id: 'mine', talks: [talk('One', { id: 'x' })] };
      const created = await store.createMeetup(TEAM, meetup);
      expect(created.id).not.toBe('mine');
      expect(created.talks[0]?.id).not.toBe('x');
    });

    it('refuses a meetup for a team without a group', async () => {
      await expect(store.createMeetup('T0NOGROUP', meetupOn('2019-01-09'))).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it('lists meetups newest first with their talk counts', async () => {
      const jan = await store.createMeetup(TEAM, meetupOn('2019-01-09', 'published', ['a', 'b']));
      const mar = await store.createMeetup(TEAM, meetupOn('2019-03-13', 'planned'));
      const feb = await store.createMeetup(TEAM, meetupOn('2019-02-13', 'held', ['c']));

      expect(await store.listMeetups(TEAM)).toEqual([
        { id: mar.id, date: '2019-03-13', status: 'planned', talkCount: 0 },
        { id: feb.id, date: '2019-02-13', status: 'held', talkCount: 1 },
        { id: jan.id, date: '2019-01-09', status: 'published', talkCount: 2 },
      ]);
    });

    describe('currentMeetup', () => {
      it('is the latest by date that is not published', async () => {
        await store.createMeetup(TEAM, meetupOn('2019-01-09', 'drafted'));
        const feb = await store.createMeetup(TEAM, meetupOn('2019-02-13', 'held'));
        await store.createMeetup(TEAM, meetupOn('2019-03-13', 'published'));

        expect((await store.currentMeetup(TEAM))?.id).toBe(feb.id);
      });

      it('is the latest of all when every one is published', async () => {
        await store.createMeetup(TEAM, meetupOn('2019-02-13', 'published'));
        const mar = await store.createMeetup(TEAM, meetupOn('2019-03-13', 'published'));
        await store.createMeetup(TEAM, meetupOn('2019-01-09', 'published'));

        expect((await store.currentMeetup(TEAM))?.id).toBe(mar.id);
      });

      it('is undefined when there are no meetups', async () => {
        expect(await store.currentMeetup(TEAM)).toBeUndefined();
      });
    });

    describe('updateMeetup', () => {
      it('changes the fields given and keeps the rest, talks included', async () => {
        const created = await store.createMeetup(TEAM, fullMeetup());

        const updated = await store.updateMeetup(TEAM, created.id, {
          status: 'published',
          venue: { name: 'Monzo', returning: true },
          photos: [{ role: 'other', url: 'https://example.com/new.jpg' }],
        });

        expect(modelOf(updated)).toStrictEqual({
          ...fullMeetup(),
          status: 'published',
          venue: { name: 'Monzo', returning: true },
          photos: [{ role: 'other', url: 'https://example.com/new.jpg' }],
        });
        expect(await store.getMeetup(TEAM, created.id)).toStrictEqual(updated);
        expect(updated.updatedAt >= created.updatedAt).toBe(true);
      });

      it('clears an optional field given as undefined, leaving the key absent', async () => {
        const created = await store.createMeetup(TEAM, fullMeetup());

        const updated = await store.updateMeetup(TEAM, created.id, {
          video: undefined,
          headerPhoto: undefined,
        });

        expect(Object.keys(updated)).not.toContain('video');
        expect(Object.keys(updated)).not.toContain('headerPhoto');
        // The event photos were rewritten along with the header photo and must survive unchanged.
        expect(updated.photos).toStrictEqual(fullMeetup().photos);
      });

      it('ignores undefined for a required field', async () => {
        const created = await store.createMeetup(TEAM, fullMeetup());
        const updated = await store.updateMeetup(TEAM, created.id, { date: undefined, sponsors: undefined });
        expect(updated.date).toBe('2019-03-13');
        expect(updated.sponsors).toStrictEqual(fullMeetup().sponsors);
      });

      it('throws NotFoundError for an unknown meetup', async () => {
        await expect(store.updateMeetup(TEAM, 'no-such-id', { status: 'held' })).rejects.toBeInstanceOf(
          NotFoundError,
        );
      });
    });

    describe('getRoundup', () => {
      it('returns the group and meetup in the shape roundupSchema accepts', async () => {
        const fixture = cloudNativeLondon();
        const created = await store.createMeetup(TEAM, fixture.meetup);

        const roundup = await store.getRoundup(TEAM, created.id);

        expect(roundup).toBeDefined();
        // Strict parsing rejects any store field (teamId, createdAt ...) left in.
        const parsed = roundupSchema.parse(roundup);
        expect(parsed).toStrictEqual(roundup);
        expect(parsed.group).toStrictEqual(fixture.group);
        expect(parsed.meetup).toStrictEqual({
          ...fixture.meetup,
          id: created.id,
          talks: fixture.meetup.talks.map((t, i) => ({ ...t, id: created.talks[i]?.id })),
        });
      });

      it('parses for a meetup using every field', async () => {
        await store.saveGroup(TEAM, fullGroup());
        const created = await store.createMeetup(TEAM, fullMeetup());
        const roundup = await store.getRoundup(TEAM, created.id);
        expect(roundupSchema.parse(roundup)).toStrictEqual(roundup);
      });

      it('is undefined for an unknown meetup', async () => {
        expect(await store.getRoundup(TEAM, 'no-such-id')).toBeUndefined();
      });
    });
  });

  describe('talks', () => {
    let meetupId: string;

    beforeEach(async () => {
      await store.saveGroup(TEAM, fullGroup());
      meetupId = (await store.createMeetup(TEAM, meetupOn('2019-03-13', 'planned', ['A', 'B', 'C']))).id;
    });

    it('appends a talk without an id at the end', async () => {
      const saved = await store.saveTalk(TEAM, meetupId, fullMeetup().talks[0] ?? talk('missing'));

      expect(saved).toStrictEqual({ ...fullMeetup().talks[0], id: expect.any(String) });
      expect(await titles(meetupId)).toEqual(['A', 'B', 'C', 'Engines of Difference']);
      const read = await store.getMeetup(TEAM, meetupId);
      expect(read?.talks[3]).toStrictEqual(saved);
    });

    it('replaces a talk with an id in place, photo included', async () => {
      const before = await store.getMeetup(TEAM, meetupId);
      const b = before?.talks[1];
      if (b === undefined) throw new Error('talk B missing');
      await store.saveTalk(TEAM, meetupId, {
        ...b,
        photo: { role: 'talk', url: 'https://example.com/old.jpg' },
      });

      const replaced = await store.saveTalk(TEAM, meetupId, {
        ...talk('B, revised', { topic: 'revisions' }),
        id: b.id,
        photo: { role: 'talk', url: 'https://example.com/new.jpg' },
      });

      expect(replaced.id).toBe(b.id);
      expect(await titles(meetupId)).toEqual(['A', 'B, revised', 'C']);
      const read = await store.getMeetup(TEAM, meetupId);
      expect(read?.talks[1]).toStrictEqual(replaced);
      expect(read?.talks[1]?.photo).toStrictEqual({ role: 'talk', url: 'https://example.com/new.jpg' });
      expect(read?.talks.filter((t) => t.photo !== undefined)).toHaveLength(1);
    });

    it('keeps the stored file of the same Slack upload when a save carries the upload without it', async () => {
      const b = (await store.getMeetup(TEAM, meetupId))?.talks[1];
      if (b === undefined) throw new Error('talk B missing');
      const upload = { role: 'talk' as const, slackFile: { id: 'F0PHOTO1', name: 'me.jpg' } };
      const stored = { file: 'talk-b-0123456789ab.jpeg', mimeType: 'image/jpeg' as const, bytes: 1234 };
      await store.saveTalk(TEAM, meetupId, { ...b, photo: { ...upload, stored } });

      // A form read before the download finished saves the upload as it knew it.
      const saved = await store.saveTalk(TEAM, meetupId, { ...b, title: 'B, renamed', photo: upload });
      expect(saved.photo).toStrictEqual({ ...upload, stored });
      expect((await store.getTalk(TEAM, meetupId, b.id))?.photo).toStrictEqual({ ...upload, stored });

      // Another upload is another photo: nothing of the old one is carried over.
      const other = { role: 'talk' as const, slackFile: { id: 'F0PHOTO2' } };
      await store.saveTalk(TEAM, meetupId, { ...b, photo: other });
      expect((await store.getTalk(TEAM, meetupId, b.id))?.photo).toStrictEqual(other);
    });

    it('throws NotFoundError for an id the meetup does not have', async () => {
      await expect(
        store.saveTalk(TEAM, meetupId, { ...talk('X'), id: 'no-such-talk' }),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect(await titles(meetupId)).toEqual(['A', 'B', 'C']);
    });

    it.each([
      [0, 2, ['B', 'C', 'A']],
      [2, 0, ['C', 'A', 'B']],
      [1, 2, ['A', 'C', 'B']],
      [1, 1, ['A', 'B', 'C']],
      [0, 99, ['B', 'C', 'A']],
      [2, -5, ['C', 'A', 'B']],
    ])('moves the talk at %p to %p', async (from, to, expected) => {
      const ids = (await store.getMeetup(TEAM, meetupId))?.talks.map((t) => t.id) ?? [];
      await store.moveTalk(TEAM, meetupId, ids[from] ?? 'missing', to);
      expect(await titles(meetupId)).toEqual(expected);
    });

    it('refuses a position that is not a whole number', async () => {
      const [first] = (await store.getMeetup(TEAM, meetupId))?.talks ?? [];
      await expect(store.moveTalk(TEAM, meetupId, first?.id ?? '', 1.5)).rejects.toBeInstanceOf(RangeError);
    });

    it('deletes a talk and its photo, and later appends go to the end', async () => {
      const before = await store.getMeetup(TEAM, meetupId);
      const b = before?.talks[1];
      if (b === undefined) throw new Error('talk B missing');
      await store.saveTalk(TEAM, meetupId, {
        ...b,
        photo: { role: 'talk', url: 'https://example.com/b.jpg' },
      });

      await store.deleteTalk(TEAM, meetupId, b.id);

      expect(await titles(meetupId)).toEqual(['A', 'C']);
      expect(await db.count('photos')).toBe(0);
      await reopen();
      await expect(store.saveTalk(TEAM, meetupId, { ...talk('B'), id: b.id })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await store.saveTalk(TEAM, meetupId, talk('D'));
      const ids = (await store.getMeetup(TEAM, meetupId))?.talks.map((t) => t.id) ?? [];
      await store.moveTalk(TEAM, meetupId, ids[2] ?? '', 0);
      expect(await titles(meetupId)).toEqual(['D', 'A', 'C']);
      expect((await store.listMeetups(TEAM))[0]?.talkCount).toBe(3);
    });

    it('throws NotFoundError when deleting a talk that is not there', async () => {
      await expect(store.deleteTalk(TEAM, meetupId, 'no-such-talk')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('appends concurrent saves one after the other', async () => {
      await Promise.all([
        store.saveTalk(TEAM, meetupId, talk('D')),
        store.saveTalk(TEAM, meetupId, talk('E')),
      ]);
      expect(await titles(meetupId)).toEqual(['A', 'B', 'C', 'D', 'E']);
    });
  });

  it('answers ping while open, and not once closed', async () => {
    expect(await store.ping()).toBe(true);
    await store.close();
    expect(await store.ping()).toBe(false);
    store = await openStore(db.url); // for afterEach
  });
});
