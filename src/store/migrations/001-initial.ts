import type { Kysely } from 'kysely';

/**
 * The first schema: groups, their sponsor roster, meetups, talks and photos. Portable DDL only (text ids,
 * ISO 8601 text timestamps, JSON as text) so a Postgres store can run the same migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    await db.schema
      .createTable('groups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('team_id', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .addColumn('location', 'text')
      .addColumn('organisers', 'text', (c) => c.notNull())
      .addColumn('organisers_channel', 'text')
      .addColumn('community_channels', 'text', (c) => c.notNull())
      .addColumn('template', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('sponsors')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('url', 'text')
      .execute();
    await db.schema
      .createIndex('sponsors_team_group')
      .on('sponsors')
      .columns(['team_id', 'group_id', 'position'])
      .execute();

    await db.schema
      .createTable('meetups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('start_time', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('venue', 'text')
      .addColumn('host', 'text')
      .addColumn('intro', 'text')
      .addColumn('sponsors', 'text', (c) => c.notNull())
      .addColumn('video', 'text')
      .addColumn('extras', 'text', (c) => c.notNull())
      .addColumn('next_meetup', 'text')
      .addColumn('sentences', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('meetups_team_date').on('meetups').columns(['team_id', 'date']).execute();

    await db.schema
      .createTable('talks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('meetup_id', 'text', (c) => c.notNull().references('meetups.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('speakers', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('topic', 'text')
      .addColumn('link', 'text')
      .addColumn('links', 'text', (c) => c.notNull())
      .addColumn('takeaways', 'text', (c) => c.notNull())
      .addColumn('lead', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('talks_team_meetup')
      .on('talks')
      .columns(['team_id', 'meetup_id', 'position'])
      .execute();

    await db.schema
      .createTable('photos')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('meetup_id', 'text', (c) => c.notNull().references('meetups.id').onDelete('cascade'))
      .addColumn('talk_id', 'text', (c) => c.references('talks.id').onDelete('cascade'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('url', 'text')
      .addColumn('slack_file_id', 'text')
      .addColumn('slack_file_name', 'text')
      .addColumn('stored_file', 'text')
      .addColumn('mime_type', 'text')
      .addColumn('bytes', 'integer')
      .addColumn('alt', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('photos_team_meetup')
      .on('photos')
      .columns(['team_id', 'meetup_id', 'position'])
      .execute();
    // Deleting a talk cascades to its photo; without this index that is a scan of all photos.
    await db.schema.createIndex('photos_talk').on('photos').column('talk_id').execute();
  });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    for (const table of ['photos', 'talks', 'meetups', 'sponsors', 'groups']) {
      await db.schema.dropTable(table).execute();
    }
  });
}

/**
 * Kysely's migrator runs migrations in a transaction only where the dialect declares transactional DDL, and
 * its SQLite dialect does not, though SQLite supports it. Wrapping here means a failure half-way leaves no
 * partial schema behind. On Postgres the migrator has already opened the transaction.
 */
export async function atomically(
  db: Kysely<unknown>,
  work: (db: Kysely<unknown>) => Promise<void>,
): Promise<void> {
  if (db.isTransaction) await work(db);
  else await db.transaction().execute(work);
}
