import { type Kysely, sql } from 'kysely';
import { DEFAULT_REMINDER_PLAN } from '../../domain/reminders';
import { atomically } from './001-initial';

/** Each group's reminder plan, and the scheduled reminders and nudges themselves. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    await db.schema
      .alterTable('groups')
      .addColumn('reminder_plan', 'text', (c) =>
        c.notNull().defaultTo(sql.lit(JSON.stringify(DEFAULT_REMINDER_PLAN))),
      )
      .execute();

    await db.schema
      .createTable('reminders')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('meetup_id', 'text', (c) => c.notNull().references('meetups.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('event_date', 'text', (c) => c.notNull())
      .addColumn('fire_at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('claimed_at', 'text')
      .addColumn('message_ts', 'text')
      .addColumn('posted_channel', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('reminders_identity')
      .on('reminders')
      .columns(['team_id', 'meetup_id', 'kind', 'channel', 'event_date'])
      .unique()
      .execute();
    // The tick asks for pending rows due by now: this index answers it without reading the rest.
    await db.schema.createIndex('reminders_due').on('reminders').columns(['status', 'fire_at']).execute();
  });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    await db.schema.dropTable('reminders').execute();
    await db.schema.alterTable('groups').dropColumn('reminder_plan').execute();
  });
}
