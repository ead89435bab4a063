import 'dotenv/config';
import { type Config, ConfigError, loadConfig } from './config';
import { startReminderScheduler } from './scheduler/reminder-scheduler';
import { checkBotToken, createSlackApp, NotABotError } from './slack/create-app';
import { checkSocketMode, SocketModeError } from './slack/socket-mode';
import { openStore } from './store/sql-store';

export interface Running {
  /** What SIGTERM does: stop taking requests, finish the work under way, close the database. */
  stop(signal?: string): Promise<void>;
}

/** Wiring only: config -> store -> token check -> Bolt app -> start -> scheduler, and a clean stop on SIGTERM. */
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
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore(config.databaseUrl, { poolSize: config.databasePoolSize });
  } catch (err) {
    console.error(`roundup cannot start: ${(err as Error).message}`);
    process.exitCode = 1;
    return undefined;
  }
  // Socket Mode: the app-level token and the app's settings are checked before the app starts, and the
  // first connection is tried a bounded number of times; either failing ends start-up with its cause.
  const refusedSocketMode = async (err: unknown) => {
    if (!(err instanceof SocketModeError)) throw err;
    console.error(`roundup cannot start: ${err.message}`);
    await store.close();
    process.exitCode = 1;
    return undefined;
  };
  if (config.slack.appToken) {
    try {
      await checkSocketMode(config);
    } catch (err) {
      return refusedSocketMode(err);
    }
  }
  // One workspace: its token is checked once, here, and the identity the check returns is given to Bolt,
  // which then asks Slack nothing before an ack. Installed by OAuth, each installation holds its own.
  let who: Awaited<ReturnType<typeof checkBotToken>> | undefined;
  if (config.slack.botToken) {
    try {
      who = await checkBotToken(config);
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      console.error(
        err instanceof NotABotError
          ? `roundup cannot start: ${err.message}`
          : code
            ? `roundup cannot start: Slack refused SLACK_BOT_TOKEN (${code}). Copy the Bot User OAuth Token again from "OAuth & Permissions" and reinstall the app if its scopes changed.`
            : `roundup cannot start: Slack could not be reached (${(err as Error).message}). Check the network, or SLACK_API_URL if set.`,
      );
      await store.close();
      process.exitCode = 1;
      return undefined;
    }
  }
  const slack = createSlackApp(config, store, { ...(who ? { identity: who } : {}) });
  const { app } = slack;
  app.logger.info(
    who
      ? `signed in to Slack as ${who.user ?? 'the bot'} in ${who.team ?? 'the workspace'}`
      : `serving the workspaces that install roundup by OAuth${config.publicUrl ? ` (install page: ${config.publicUrl}/slack/install)` : ''}`,
  );
  try {
    await app.start(config.port);
  } catch (err) {
    return refusedSocketMode(err);
  }
  const scheduler = startReminderScheduler(slack.deps, {
    tickSeconds: config.reminderTickSeconds,
    clock: () => store.databaseTime(),
  });
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
