import type { Kysely } from 'kysely';
import { atomically } from './001-initial';

/**
 * Publishing to the group's own site: the site connection on the group (JSON, null when none), and each
 * meetup's publication (its branch, commit and pull request) so that publishing again continues it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    await db.schema.alterTable('groups').addColumn('site', 'text').execute();
    await db.schema
      .createTable('publications')
      .addColumn('meetup_id', 'text', (c) => c.primaryKey().references('meetups.id').onDelete('cascade'))
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    await db.schema.dropTable('publications').execute();
    await db.schema.alterTable('groups').dropColumn('site').execute();
  });
}
