import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

/**
 * The baseline: a bare Bolt app over HTTP whose one command only acknowledges. Same Bolt, same receiver,
 * same signature checks as roundup; none of its work.
 */
const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  endpoints: '/slack/events',
  logLevel: LogLevel.ERROR,
});
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  receiver,
  logLevel: LogLevel.ERROR,
  tokenVerificationEnabled: false,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});
app.command('/roundup', async ({ ack }) => {
  await ack();
});
void app.start(Number(process.env.PORT)).then(() => process.send?.('ready'));
process.once('SIGTERM', () => void app.stop().then(() => process.exit(0)));
