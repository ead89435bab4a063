import path from 'node:path';
import { importSite } from '../../src/import/import-site';
import { renderPost } from '../../src/render/render-post';
import { openStore, type SqlStore } from '../../src/store/sql-store';
import { createTestDatabase, type TestDatabase } from '../support/backends';
import { describeEachBackend } from '../support/each-backend';
import { FIXTURES } from '../support/fixtures';
import { modelOf } from './fixtures';

/** The site's posts, imported, kept by the store with every new field, and rendered from it unchanged. */
const TEAM = 'T0TEAMA';

describeEachBackend('site posts in the store', (backend) => {
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

  describe('the store keeps an imported post whole', () => {
    const site = importSite(path.join(FIXTURES, 'site'));

    it.each(site.posts.map((p) => [p.postName, p] as const))('%s', async (_name, post) => {
      const roundup = post.roundup!;
      // The group with the post's own style and template (the site's group carries the style learnt).
      await store.saveGroup(TEAM, roundup.group);
      const created = await store.createMeetup(TEAM, roundup.meetup);
      await store.close();
      store = await openStore(db.url);
      const group = await store.getGroup(TEAM);
      const meetup = await store.getMeetup(TEAM, created.id);
      expect(modelOf(meetup!)).toStrictEqual(roundup.meetup);
      const { id: _id, teamId: _team, ...groupFields } = group!;
      expect(groupFields).toStrictEqual(roundup.group);
      expect(renderPost({ group: groupFields, meetup: modelOf(meetup!) }).content).toBe(
        renderPost(roundup).content,
      );
    });

    it('keeps the style learnt for the whole site on the group', async () => {
      await store.saveGroup(TEAM, site.group);
      const { id: _id, teamId: _team, ...group } = (await store.getGroup(TEAM))!;
      expect(group).toStrictEqual(site.group);
      expect(group.style?.sentences?.talkFirst).toContain('{who}');
    });
  });
});
