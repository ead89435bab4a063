import fs from 'node:fs';
import { type AckFn, App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { openBenchTable } from './bench-table';

/**
 * The baseline: a bare Bolt app over HTTP, set up as a careful Bolt developer would. The token is checked
 * once at start-up and the identity it answers is given to Bolt (no `auth.test` per request); every command
 * and every view submission is only acknowledged. With BENCH_SQLITE=<file> each request first inserts one
 * row into SQLite (WAL, as roundup's store): the cost of a request that writes once. With
 * BENCH_ANSWER=<file> a command is answered with the message that file holds (roundup's help, for one).
 */
async function main(): Promise<void> {
  const token = process.env.SLACK_BOT_TOKEN ?? '';
  const clientOptions = { slackApiUrl: process.env.SLACK_API_URL };
  const who = await new WebClient(token, clientOptions).auth.test();
  const receiver = new HTTPReceiver({
    signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
    endpoints: '/slack/events',
    logLevel: LogLevel.ERROR,
  });
  const app = new App({
    token,
    botId: who.bot_id,
    botUserId: who.user_id,
    receiver,
    logLevel: LogLevel.ERROR,
    tokenVerificationEnabled: false,
    clientOptions,
  });
  const table = process.env.BENCH_SQLITE ? openBenchTable(process.env.BENCH_SQLITE) : undefined;
  const answer = process.env.BENCH_ANSWER
    ? (JSON.parse(fs.readFileSync(process.env.BENCH_ANSWER, 'utf8')) as Parameters<AckFn<string>>[0])
    : undefined;
  app.command(/.*/, async ({ ack, body }) => {
    table?.insert(body.trigger_id);
    await ack(answer);
  });
  app.view(/.*/, async ({ ack, body }) => {
    table?.insert(body.view.id);
    await ack();
  });
  await app.start(Number(process.env.PORT));
  process.once('SIGTERM', () => void app.stop().then(() => process.exit(0)));
}

void main();
