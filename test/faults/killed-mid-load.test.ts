import { type ChildProcess, spawn } from 'node:child_process';
import BetterSqlite3 from 'better-sqlite3';
import { CALLBACK, MEETUP } from '../../src/slack/views/ids';
import { stateValues } from '../support/bot';
import { builtApp } from '../support/built-app';
import { FAKE_DEFAULTS, FakeSlack } from '../support/fake-slack';
import { loadRoundup } from '../support/fixtures';
import { meetupValues, setupValues, talkValues } from '../support/organiser-evening';
import { freePort } from '../support/ports';
import { input, interactionBody, postToBolt, viewSubmissionPayload } from '../support/slack-requests';
import { makeTempFolder, type TempFolder } from '../support/temp-db';

/**
 * The bot as a real process (`node dist/app.js`, what `npm start` runs), killed with SIGKILL at random
 * moments while 500 talk submissions arrive, and started again each time. Every submission Slack saw
 * acknowledged must be in the database exactly once, and SQLite must find the file intact.
 */
const SECRET = '8f742231b10e8888abcd99aaaa85a5a1';
const SUBMISSIONS = 500;
const MEETUPS = 25;

/**
 * Whether the bot acknowledged a submission, as Slack counts it: an empty 200, or a 200 drawing the form's
 * next step (the talk form is in steps; a retried step is answered with that step too).
 */
function acknowledgedBy(reply: { status: number; text: string }): boolean {
  if (reply.status !== 200) return false;
  if (reply.text === '') return true;
  try {
    return (JSON.parse(reply.text) as { response_action?: string }).response_action === 'update';
  } catch {
    return false;
  }
}

describe('killed with SIGKILL while submissions arrive', () => {
  let slack: FakeSlack;
  let folder: TempFolder;
  let child: ChildProcess | undefined;
  let port: number;

  beforeAll(async () => {
    builtApp();
    slack = await FakeSlack.start();
    folder = makeTempFolder();
    port = await freePort();
  }, 120_000);

  afterAll(async () => {
    child?.kill('SIGKILL');
    await slack.stop();
    folder.remove();
  });

  const base = () => `http://127.0.0.1:${port}`;

  async function start(): Promise<void> {
    const spawned = spawn(process.execPath, [builtApp()], {
      env: {
        ...process.env,
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        DATABASE_URL: folder.file(),
        LOG_LEVEL: 'error',
        PORT: String(port),
      },
      stdio: 'ignore',
    });
    child = spawned;
    for (let i = 0; i < 1000; i++) {
      const health = await fetch(`${base()}/healthz`).catch(() => undefined);
      if (health?.status === 200) return;
      if (spawned.exitCode !== null) throw new Error(`the bot exited with ${spawned.exitCode}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the bot did not become healthy');
  }

  function kill(): Promise<void> {
    const victim = child;
    child = undefined;
    if (!victim || victim.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      victim.once('exit', () => resolve());
      victim.kill('SIGKILL');
    });
  }

  it('keeps every acknowledged submission exactly once, and the file intact', async () => {
    await start();
    const november = loadRoundup('2018-11-cloud-native-london');
    const post = (body: string) => postToBolt(`${base()}/slack/events`, body, { signingSecret: SECRET });
    const submission = (callbackId: string, values: object, metadata: string, viewId: string) =>
      interactionBody(
        viewSubmissionPayload({ callbackId, values: values as never, privateMetadata: metadata, viewId }),
      );
    const organisers = slack.addChannel({ name: 'organisers' });
    await post(
      submission(
        CALLBACK.setup,
        stateValues(setupValues(november, organisers, FAKE_DEFAULTS.userId)),
        '',
        'VSETUP0001',
      ),
    );
    // A meetup holds at most 20 talks: the 500 go into 25 meetups, one a month.
    for (let m = 0; m < MEETUPS; m++) {
      const date = `${2000 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-07`;
      await post(
        submission(
          CALLBACK.meetup,
          stateValues({ ...meetupValues(november.meetup), [MEETUP.date]: input.date(date) }),
          '{}',
          `VMEETUP${String(m).padStart(3, '0')}`,
        ),
      );
    }
    const db = () => new BetterSqlite3(folder.file(), { readonly: true });
    const reader = db();
    const meetupIds = (reader.prepare('select id from meetups order by date').all() as { id: string }[]).map(
      (r) => r.id,
    );
    reader.close();
    expect(meetupIds).toHaveLength(MEETUPS);

    // Each submission is its own modal (view id) with its own title, as 500 organisers' forms would be.
    const bodies = Array.from({ length: SUBMISSIONS }, (_, i) =>
      submission(
        CALLBACK.talk,
        stateValues(talkValues({ ...november.meetup.talks[0]!, title: `Talk number ${i}` })),
        JSON.stringify({ meetupId: meetupIds[i % MEETUPS] }),
        `VTALK${String(i).padStart(5, '0')}`,
      ),
    );
    const acknowledged = new Set<number>();
    const pending = new Set(bodies.keys());
    let kills = 0;

    // Send everything not yet acknowledged, 10 at a time, while a killer strikes at random moments;
    // after each death the bot is started again and what was not acknowledged is sent again (Save, again).
    while (pending.size > 0) {
      const round = [...pending];
      let next = 0;
      let alive = true;
      const killer = (async () => {
        await new Promise((r) => setTimeout(r, 30 + Math.random() * 170));
        if (kills < 5 && next < round.length) {
          alive = false;
          kills++;
          await kill();
        }
      })();
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          while (next < round.length && alive) {
            const i = round[next++] as number;
            const reply = await post(bodies[i] as string).catch(() => undefined);
            if (reply && acknowledgedBy(reply)) {
              acknowledged.add(i);
              pending.delete(i);
            }
          }
        }),
      );
      await killer;
      if (!child) await start();
    }

    await kill();
    const check = db();
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      const counts = new Map(
        (
          check.prepare('select title, count(*) as n from talks group by title').all() as Array<{
            title: string;
            n: number;
          }>
        ).map((r) => [r.title, r.n]),
      );
      expect(kills).toBeGreaterThanOrEqual(3);
      expect(acknowledged.size).toBe(SUBMISSIONS);
      for (let i = 0; i < SUBMISSIONS; i++) expect([i, counts.get(`Talk number ${i}`)]).toEqual([i, 1]);
      expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(SUBMISSIONS);
    } finally {
      check.close();
    }
  }, 120_000);
});
