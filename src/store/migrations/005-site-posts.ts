import type { Kysely } from 'kysely';
import { atomically } from './001-initial';

/**
 * What a post of the group's site needs beyond the classic one: the group's house style (JSON), a meetup's
 * post fields (JSON: sections, text format, file name, front matter ...), a talk's paragraphs after its
 * takeaways (JSON), and a photo's site path, caption and place in the post. All nullable: existing rows read as before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    await db.schema.alterTable('groups').addColumn('style', 'text').execute();
    await db.schema.alterTable('meetups').addColumn('post', 'text').execute();
    await db.schema.alterTable('talks').addColumn('after', 'text').execute();
    await db.schema.alterTable('photos').addColumn('path', 'text').execute();
    await db.schema.alterTable('photos').addColumn('caption', 'text').execute();
    await db.schema.alterTable('photos').addColumn('place', 'text').execute();
  });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    await db.schema.alterTable('photos').dropColumn('place').execute();
    await db.schema.alterTable('photos').dropColumn('caption').execute();
    await db.schema.alterTable('photos').dropColumn('path').execute();
    await db.schema.alterTable('talks').dropColumn('after').execute();
    await db.schema.alterTable('meetups').dropColumn('post').execute();
    await db.schema.alterTable('groups').dropColumn('style').execute();
  });
}
