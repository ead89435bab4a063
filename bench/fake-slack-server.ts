import { FakeSlack } from '../test/support/fake-slack';

/**
 * The project's fake Slack Web API in a process of its own, for the benchmarks where Slack's side should not
 * share a CPU with what is measured (as Slack does not). Answers every call after BENCH_SLACK_DELAY_MS (as a
 * real Slack takes its time). Prints its API URL and token as one JSON line.
 */
void FakeSlack.start({ delayMs: Number(process.env.BENCH_SLACK_DELAY_MS ?? 30) }).then((slack) => {
  process.stdout.write(`${JSON.stringify({ apiUrl: slack.apiUrl, botToken: slack.botToken })}\n`);
  process.once('SIGTERM', () => void slack.stop().then(() => process.exit(0)));
});
