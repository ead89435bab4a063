import type { Kysely } from 'kysely';
import { atomically } from './001-initial';

/**
 * What a handled delivery leaves for its duplicates (JSON, null when nothing): a step of a form keeps
 * where its next step points, so that a retried submission answers with that step as the first did.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    await db.schema.alterTable('deliveries').addColumn('answer', 'text').execute();
  });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    await db.schema.alterTable('deliveries').dropColumn('answer').execute();
  });
}
