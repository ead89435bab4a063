import 'dotenv/config';
import { type Config, ConfigError, loadConfig } from './config';
import { createSlackApp } from './slack/create-app';
import { openSqliteStore } from './store/sqlite-store';

/** Wiring only: config -> store -> Bolt app -> start, and a clean stop on SIGTERM. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
  const store = await openSqliteStore(config.databaseUrl);
  const slack = createSlackApp(config, store);
  const { app } = slack;
  await app.start(config.port);
  app.logger.info(
    config.slack.appToken
      ? 'roundup is running in Socket Mode'
      : `roundup is listening on port ${config.port}`,
  );

  const stop = async (signal: string) => {
    app.logger.info(`${signal}: finishing in-flight work and closing the database`);
    await slack.stop();
    await store.close();
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`roundup stopped: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
