import type { Kysely } from 'kysely';
import { atomically } from './001-initial';

/**
 * What the Slack app keeps beside the meetups: speakers asked for their takeaways, the draft message in the
 * organisers' channel, and the deliveries already handled (so a retried request or a double click has one
 * effect).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    await db.schema
      .createTable('asks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('meetup_id', 'text', (c) => c.notNull().references('meetups.id').onDelete('cascade'))
      .addColumn('talk_id', 'text', (c) => c.notNull().references('talks.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('asked_by', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('asked_at', 'text', (c) => c.notNull())
      .addColumn('answered_at', 'text')
      .execute();
    await db.schema
      .createIndex('asks_team_talk_user')
      .on('asks')
      .columns(['team_id', 'talk_id', 'user_id'])
      .unique()
      .execute();
    await db.schema.createIndex('asks_team_meetup').on('asks').columns(['team_id', 'meetup_id']).execute();

    await db.schema
      .createTable('drafts')
      .addColumn('meetup_id', 'text', (c) => c.primaryKey().references('meetups.id').onDelete('cascade'))
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('channel_id', 'text', (c) => c.notNull())
      .addColumn('message_ts', 'text', (c) => c.notNull())
      .addColumn('thread_items', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('deliveries')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('deliveries_received').on('deliveries').column('received_at').execute();
  });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    for (const table of ['deliveries', 'drafts', 'asks']) await db.schema.dropTable(table).execute();
  });
}
