import type { Kysely } from 'kysely';
import { atomically } from './001-initial';

/**
 * The links an organiser gave out for a speaker to fill in their own talk on the bot's web page. The link's
 * token is signed and names its row here: a revoked row (or one gone with its talk) makes the link dead,
 * whatever its signature says.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    await db.schema
      .createTable('talk_links')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('meetup_id', 'text', (c) => c.notNull().references('meetups.id').onDelete('cascade'))
      .addColumn('talk_id', 'text', (c) => c.notNull().references('talks.id').onDelete('cascade'))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('used_at', 'text')
      .execute();
    await db.schema
      .createIndex('talk_links_team_talk')
      .on('talk_links')
      .columns(['team_id', 'talk_id'])
      .execute();
  });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    await db.schema.dropTable('talk_links').execute();
  });
}
