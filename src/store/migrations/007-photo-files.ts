import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { atomically } from './001-initial';

/**
 * The photos' bytes, in the database beside the rows that name them, so that every replica can read every
 * photo (a folder is one machine's). A file is named by its content (`talk-<id>-<digest>.jpg`): a name never
 * changes what it holds, so a replica may keep a copy on its own disk without it going stale.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    await db.schema
      .createTable('photo_files')
      .addColumn('team_id', 'text', (c) => c.notNull())
      .addColumn('meetup_id', 'text', (c) => c.notNull().references('meetups.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('mime_type', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('content', postgres ? sql`bytea` : 'blob', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('photo_files_pk', ['team_id', 'meetup_id', 'name'])
      .execute();
  });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    await db.schema.dropTable('photo_files').execute();
  });
}
