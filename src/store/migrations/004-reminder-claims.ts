import { type Kysely, sql } from 'kysely';
import { DateTime } from 'luxon';
import { atomically } from './001-initial';

/**
 * Claims with an owner (each claim's token, checked when it is finished or released), and reminder kinds that
 * carry the step's local time (`before:7@10:00`), so that two steps on the same day are two reminders.
 * Existing `before:7` rows get the local time they were planned for, read from their fire time in the
 * group's zone, so that the next sync recognises them instead of planning them again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    await db.schema.alterTable('reminders').addColumn('claim_token', 'text').execute();
    const rows = await sql<{ id: string; kind: string; fire_at: string; time_zone: string | null }>`
      select r.id, r.kind, r.fire_at, g.time_zone from reminders r left join groups g on g.team_id = r.team_id
      where r.kind like 'before:%'`.execute(db);
    for (const row of rows.rows.filter((r) => /^before:\d+$/.test(r.kind))) {
      const local = DateTime.fromISO(row.fire_at, { zone: 'utc' }).setZone(row.time_zone ?? 'UTC');
      const kind = `${row.kind}@${local.toFormat('HH:mm')}`;
      await sql`update reminders set kind = ${kind} where id = ${row.id}`.execute(db);
    }
  });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    const rows = await sql<{ id: string; kind: string }>`
      select id, kind from reminders where kind like 'before:%@%'`.execute(db);
    for (const row of rows.rows) {
      await sql`update reminders set kind = ${row.kind.split('@')[0]} where id = ${row.id}`.execute(db);
    }
    await db.schema.alterTable('reminders').dropColumn('claim_token').execute();
  });
}
