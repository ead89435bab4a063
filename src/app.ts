import 'dotenv/config';
import { type Config, ConfigError, loadConfig } from './config';
import { startReminderScheduler } from './scheduler/reminder-scheduler';
import { createSlackApp } from './slack/create-app';
import { openSqliteStore } from './store/sqlite-store';

export interface Running {
  /** What SIGTERM does: stop taking requests, finish the work under way, close the database. */
  stop(signal?: string): Promise<void>;
}

/** Wiring only: config -> store -> Bolt app -> token check -> start -> scheduler, and a clean stop on SIGTERM. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<Running | undefined> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exitCode = 1;
      return undefined;
    }
    throw err;
  }
  const store = await openSqliteStore(config.databaseUrl);
  const slack = createSlackApp(config, store);
  const { app } = slack;
  try {
    const who = await app.client.auth.test();
    app.logger.info(`signed in to Slack as ${who.user ?? 'the bot'} in ${who.team ?? 'the workspace'}`);
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    console.error(
      code
        ? `roundup cannot start: Slack refused SLACK_BOT_TOKEN (${code}). Copy the Bot User OAuth Token again from "OAuth & Permissions" and reinstall the app if its scopes changed.`
        : `roundup cannot start: Slack could not be reached (${(err as Error).message}). Check the network, or SLACK_API_URL if set.`,
    );
    await store.close();
    process.exitCode = 1;
    return undefined;
  }
  await app.start(config.port);
  const scheduler = startReminderScheduler(slack.deps);
  app.logger.info(
    config.slack.appToken
      ? 'roundup is running in Socket Mode'
      : `roundup is listening on port ${config.port}`,
  );

  let stopping: Promise<void> | undefined;
  const stop = (signal = 'stop') => {
    stopping ??= (async () => {
      app.logger.info(`${signal}: finishing in-flight work and closing the database`);
      await scheduler.stop();
      await slack.stop();
      await store.close();
    })();
    return stopping;
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  return { stop };
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`roundup stopped: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
