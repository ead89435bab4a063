import { type ChildProcess, spawn } from 'node:child_process';
import BetterSqlite3 from 'better-sqlite3';
import { DateTime } from 'luxon';
import { MEETUP, NEXT, SETUP } from '../../src/slack/views/ids';
import { eventually, SIGNING_SECRET, TestBot } from '../support/bot';
import { builtApp } from '../support/built-app';
import { FAKE_DEFAULTS, FakeSlack } from '../support/fake-slack';
import { loadRoundup } from '../support/fixtures';
import { meetupValues, nextValues, setupValues } from '../support/organiser-evening';
import { freePort } from '../support/ports';
import { input } from '../support/slack-requests';
import { makeTempFolder, type TempFolder } from '../support/temp-db';

/**
 * Two bot processes (`node dist/app.js`) on one database, both ticking every second, and a Slack whose
 * answer to the reminder's post takes longer than a claim's lease. The post that never answered in time
 * must not be followed by a second one: the sender gives up within its timeout, the reminder is posted
 * once, and the claim is recorded by whoever holds it.
 */
describe('two processes and a Slack slower than the lease', () => {
  let slack: FakeSlack;
  let folder: TempFolder;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    builtApp();
  }, 120_000);

  afterEach(async () => {
    await Promise.all(
      children.splice(0).map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    await slack?.stop();
    folder?.remove();
  });

  async function startProcess(): Promise<void> {
    const port = await freePort();
    const child = spawn(process.execPath, [builtApp()], {
      env: {
        ...process.env,
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        DATABASE_URL: folder.file(),
        LOG_LEVEL: 'error',
        PORT: String(port),
        REMINDER_TICK_SECONDS: '1',
        // A lease of 12 x 0.25 s = 3 s, shorter than Slack's 5 s below.
        SLACK_TIMEOUT_SECONDS: '0.25',
      },
      stdio: 'ignore',
    });
    children.push(child);
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode}`);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
    }, 20_000);
  }

  it('posts the reminder once', async () => {
    slack = await FakeSlack.start();
    folder = makeTempFolder();
    const november = loadRoundup('2018-11-cloud-native-london');
    // The next meetup is today, and the plan's one step is this very minute (UTC): due at once.
    const now = DateTime.utc();
    const setup = await TestBot.start({ slack, folder });
    const organisers = slack.addChannel({ name: 'organisers', isPrivate: true });
    const community = slack.addChannel({ name: 'community' });
    await setup.submit(await setup.open('setup'), {
      ...setupValues(november, organisers, FAKE_DEFAULTS.userId),
      [SETUP.timeZone]: input.externalSelect('UTC'),
      [SETUP.communityChannels]: input.conversations([community]),
      [SETUP.reminderPlan]: input.text(`on the day at ${now.toFormat('HH:mm')}`),
    });
    await setup.submit(await setup.open('new'), {
      ...meetupValues(november.meetup),
      [MEETUP.date]: input.date(now.minus({ days: 30 }).toISODate() as string),
    });
    await setup.submit(await setup.open('next'), {
      ...nextValues(november.meetup),
      [NEXT.date]: input.date(now.toISODate() as string),
    });
    const [reminder] = await setup.store.listReminders(FAKE_DEFAULTS.teamId, { statuses: ['pending'] });
    expect(reminder).toBeDefined();
    await setup.stop({ keepSlack: true, keepFolder: true });

    slack.setDelay(5000, 'chat.postMessage');
    await Promise.all([startProcess(), startProcess()]);
    await eventually(() => expect(slack.callsTo('chat.postMessage').length).toBeGreaterThan(0), 20_000);
    slack.setDelay(0, 'chat.postMessage');

    const statusOf = () => {
      const db = new BetterSqlite3(folder.file(), { readonly: true, fileMustExist: true });
      try {
        return (
          db.prepare('select status from reminders where id = ?').get(reminder!.id) as { status: string }
        ).status;
      } finally {
        db.close();
      }
    };
    await eventually(() => expect(statusOf()).toBe('sent'), 20_000);
    // Every post made while Slack was slow has ended (dropped when its sender gave up), so none can land later.
    const first = slack.callsTo('chat.postMessage')[0]!;
    await slack.waitForCall('chat.postMessage', (c) => c === first && c.status === 0, 10_000);
    const posts = slack
      .messages(community)
      .filter(
        (m) =>
          (m.metadata as { event_payload?: { reminder_id?: string } } | undefined)?.event_payload
            ?.reminder_id === reminder!.id,
      );
    expect(posts).toHaveLength(1);
  }, 90_000);
});
