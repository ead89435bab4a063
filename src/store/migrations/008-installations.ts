import type { Kysely } from 'kysely';
import { atomically } from './001-initial';

/**
 * The workspaces that installed roundup through Slack's OAuth, one row each: the bot's token and ids, its
 * scopes and who installed it. An uninstall clears the token and stamps `uninstalled_at`; the workspace's
 * data stays until an operator forgets the team.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    await db.schema
      .createTable('installations')
      .addColumn('team_id', 'text', (c) => c.primaryKey())
      .addColumn('enterprise_id', 'text')
      .addColumn('team_name', 'text')
      .addColumn('app_id', 'text')
      .addColumn('bot_token', 'text')
      .addColumn('bot_id', 'text')
      .addColumn('bot_user_id', 'text')
      .addColumn('bot_scopes', 'text', (c) => c.notNull())
      .addColumn('installer_user_id', 'text', (c) => c.notNull())
      .addColumn('installed_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('uninstalled_at', 'text')
      .execute();
  });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await atomically(db, async (db) => {
    await db.schema.dropTable('installations').execute();
  });
}
