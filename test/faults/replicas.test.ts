import { type ChildProcess, spawn } from 'node:child_process';
import { DateTime } from 'luxon';
import { Client } from 'pg';
import { CALLBACK, MEETUP, NEXT, SETUP } from '../../src/slack/views/ids';
import { createTestDatabase, type TestDatabase } from '../support/backends';
import { eventually, SIGNING_SECRET, stateValues, TestBot } from '../support/bot';
import { builtApp } from '../support/built-app';
import { describeOnPostgres } from '../support/each-backend';
import { type CallRecord, FAKE_DEFAULTS, FakeSlack } from '../support/fake-slack';
import { loadRoundup } from '../support/fixtures';
import { meetupValues, nextValues, setupValues, talkValues } from '../support/organiser-evening';
import { freePort } from '../support/ports';
import { SlackRelay } from '../support/slack-relay';
import { input, interactionBody, postToBolt, viewSubmissionPayload } from '../support/slack-requests';

/**
 * Three bot processes (`node dist/app.js`, one of them with its clock 90 s ahead) on one PostgreSQL, as
 * replicas behind a load balancer: every reminder is posted exactly once and none is lost, although one
 * replica is killed with SIGKILL in the middle of posting and Slack answers one post only after the lease;
 * and every talk submitted is stored exactly once, although Slack sends some of them to two replicas.
 */

// A lease of 12 x 3 s = 36 s. Each post takes 0.3 s, far inside the 3 s a call may take even on a busy
// machine: a timeout here would be the machine's doing, not the bot's.
const SLACK_TIMEOUT_SECONDS = 3;
const LEASE_MS = 12 * SLACK_TIMEOUT_SECONDS * 1000;
const POST_DELAY_MS = 300;
const CHANNELS = 10;
const STEPS = 10;
const REMINDERS = 2 * CHANNELS * STEPS;
const SUBMISSIONS = 500;
// A meetup holds at most 20 talks (LIMITS.talks): the 500 go into 25 meetups.
const MEETUPS = 25;

interface Replica {
  child: ChildProcess;
  port: number;
  relay: SlackRelay;
  url: string;
}

type ReminderRow = {
  id: string;
  channel: string;
  status: string;
  attempts: number;
  claimed_at: string | null;
  message_ts: string | null;
  posted_channel: string | null;
  last_error: string | null;
};

describeOnPostgres('three replicas on one database', () => {
  let slack: FakeSlack | undefined;
  let db: TestDatabase | undefined;
  let bot: TestBot | undefined;
  let sql: Client | undefined;
  const replicas: Replica[] = [];
  const november = loadRoundup('2018-11-cloud-native-london');

  beforeAll(() => {
    builtApp();
  }, 120_000);

  afterEach(async () => {
    await Promise.all(replicas.splice(0).map((r) => stopReplica(r, 'SIGTERM')));
    await bot?.stop({ keepSlack: true, keepFolder: true });
    bot = undefined;
    await sql?.end();
    sql = undefined;
    await slack?.stop();
    slack = undefined;
    await db?.remove();
    db = undefined;
  }, 30_000);

  async function fresh(): Promise<{ slack: FakeSlack; db: TestDatabase; sql: Client }> {
    slack = await FakeSlack.start();
    db = await createTestDatabase('postgres');
    // The test's own connection reads the database as the replicas left it.
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    return { slack, db, sql };
  }

  /**
   * A replica: its own port, and its own relay to the shared fake Slack (so that what it sent can be told
   * apart). Spawned as the leader of its own process group: `faketime` runs node as its child and passes no
   * signal on, so the group is what is signalled.
   */
  async function startReplica(i: number, o: { clockAhead?: string } = {}): Promise<Replica> {
    if (!slack || !db) throw new Error('no fake Slack or database yet');
    const port = await freePort();
    const relay = await SlackRelay.start(slack.fileHost);
    const node = [process.execPath, builtApp()];
    const [command, ...args] = o.clockAhead ? ['faketime', '-f', o.clockAhead, ...node] : node;
    const child = spawn(command as string, args, {
      env: {
        ...process.env,
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: relay.apiUrl,
        DATABASE_URL: db.url,
        DATABASE_POOL_SIZE: '8',
        DATA_DIR: db.folder.file(`replica-${i}`),
        LOG_LEVEL: 'error',
        PORT: String(port),
        REMINDER_TICK_SECONDS: '1',
        SLACK_TIMEOUT_SECONDS: String(SLACK_TIMEOUT_SECONDS),
      },
      stdio: 'ignore',
      detached: true,
    });
    const replica = { child, port, relay, url: `http://127.0.0.1:${port}/slack/events` };
    replicas.push(replica);
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`replica ${i} exited with ${child.exitCode}`);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
    }, 30_000);
    return replica;
  }

  async function stopReplica(replica: Replica, signal: NodeJS.Signals): Promise<void> {
    const { child } = replica;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        process.kill(-(child.pid as number), signal);
      } catch {
        // Already gone.
      }
      await exited;
    }
    await replica.relay.stop();
  }

  const databaseTime = async (client: Client) =>
    Date.parse(
      ((await client.query('select clock_timestamp() as now')).rows[0] as { now: Date }).now.toISOString(),
    );
  const reminderRows = async (client: Client) =>
    (
      await client.query(
        'select id, channel, status, attempts, claimed_at, message_ts, posted_channel, last_error from reminders',
      )
    ).rows as ReminderRow[];
  const reminderIdOf = (metadata: unknown) =>
    (metadata as { event_payload?: { reminder_id?: string } } | undefined)?.event_payload?.reminder_id;
  const tookPost = (c: CallRecord) => c.status === 200 && (c.response as { ok?: boolean })?.ok === true;

  it('posts each of 200 reminders once, with a replica killed mid-way and a post answered after the lease', async () => {
    const { slack, db, sql } = await fresh();
    // Set up through the forms, as an organiser would: two meetups, each with a next meetup today, ten
    // community channels and ten steps in the plan, all due in the last ten minutes: 2 x 10 x 10 reminders.
    // That is five form submissions; the reminders come from the bot's own planning.
    bot = await TestBot.start({ slack, folder: db.folder, env: { DATABASE_URL: db.url } });
    const organisers = slack.addChannel({ name: 'organisers', isPrivate: true });
    const community = Array.from({ length: CHANNELS }, (_, i) =>
      slack.addChannel({ name: `community-${i}` }),
    );
    const now = DateTime.utc().startOf('minute');
    const today = now.toISODate() as string;
    const plan = Array.from({ length: STEPS }, (_, k) => {
      const at = now.minus({ minutes: k + 1 });
      const days = Math.round(DateTime.fromISO(today, { zone: 'utc' }).diff(at.startOf('day'), 'days').days);
      return `${days === 0 ? 'on the day' : `${days} day before`} at ${at.toFormat('HH:mm')}`;
    });
    const setup = await bot.submit(await bot.open('setup'), {
      ...setupValues(november, organisers, FAKE_DEFAULTS.userId),
      [SETUP.timeZone]: input.externalSelect('UTC'),
      [SETUP.communityChannels]: input.conversations(community),
      [SETUP.reminderPlan]: input.text(plan.join('\n')),
    });
    expect([setup.status, (setup.json as { response_action?: string }).response_action]).toEqual([
      200,
      'update',
    ]);

    // Replica 1 has its clock 90 s ahead: leases are measured on the database's clock, so it neither takes
    // live claims too early nor holds up the others.
    await Promise.all([startReplica(0), startReplica(1, { clockAhead: '+90s' }), startReplica(2)]);

    // Every post takes a while, so that the kill below lands with posts still to come. The very first post
    // reaches Slack (its message is in the channel at once) but its answer is held past the lease.
    slack.setDelay(POST_DELAY_MS, 'chat.postMessage');
    const releaseHeld = slack.holdNext('chat.postMessage');
    const held = slack
      .waitForCall('chat.postMessage', () => true, 60_000)
      .then((call) => {
        const args = call.args as { channel: string; text: string; metadata: Record<string, unknown> };
        const ts = slack.addMessage(args.channel, {
          text: args.text,
          user: FAKE_DEFAULTS.botUserId,
          metadata: args.metadata,
        });
        return { call, ts };
      });

    for (const [i, daysAgo] of [30, 20].entries()) {
      const meetup = await bot.submit(await bot.open('new'), {
        ...meetupValues(november.meetup),
        [MEETUP.date]: input.date(now.minus({ days: daysAgo }).toISODate() as string),
      });
      expect([i, meetup.status, meetup.text]).toEqual([i, 200, '']);
      const next = await bot.submit(await bot.open('next'), {
        ...nextValues(november.meetup),
        [NEXT.date]: input.date(today),
      });
      expect([i, next.status, next.text]).toEqual([i, 200, '']);
    }
    expect((await reminderRows(sql)).length).toBe(REMINDERS);

    // The kill: a replica that has had posts answered and still has some under way.
    const victim = await eventually(() => {
      const posting = replicas.find(
        (r) => r.relay.answered('chat.postMessage') >= 2 && r.relay.inFlight('chat.postMessage') > 0,
      );
      expect(posting).toBeDefined();
      return posting as Replica;
    }, 60_000);
    const inFlightAtKill = victim.relay.inFlight('chat.postMessage');
    await stopReplica(victim, 'SIGKILL');
    const killedAt = await databaseTime(sql);
    const atKill = await reminderRows(sql);
    const claimedAtKill = new Map(
      atKill.filter((r) => r.status === 'sending').map((r) => [r.id, r.claimed_at as string]),
    );
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(atKill.filter((r) => r.status === 'sent').length).toBeLessThan(REMINDERS);

    // The survivors finish everything, taking over the victim's claims once their lease has run out.
    const unsent = async () =>
      (
        await sql.query(
          "select status, last_error, count(*)::int as n from reminders where status <> 'sent' group by 1, 2",
        )
      ).rows;
    await eventually(async () => expect(await unsent()).toEqual([]), LEASE_MS + 60_000);
    const rows = await reminderRows(sql);
    expect(rows).toHaveLength(REMINDERS);

    // Slack's answer to the held post comes now, long after the lease. Slack took that post when it arrived,
    // so the late answer must not add it again (the fake would): it is an error nobody is left to read.
    const { call: heldCall, ts: heldTs } = await held;
    expect((await databaseTime(sql)) - heldCall.at).toBeGreaterThan(LEASE_MS);
    slack.failNext('chat.postMessage');
    releaseHeld();
    await eventually(() => expect(heldCall.status).not.toBe(0), 10_000);

    // Exactly once: each reminder's message is in Slack once, and it is the one recorded in the database.
    const messages = community.flatMap((channel) =>
      slack.messages(channel).map((m) => ({ channel, ts: m.ts, id: reminderIdOf(m.metadata) })),
    );
    for (const row of rows) {
      const posted = messages.filter((m) => m.id === row.id);
      expect([row.id, posted.map((m) => [m.channel, m.ts])]).toEqual([
        row.id,
        [[row.posted_channel, row.message_ts]],
      ]);
    }
    expect(messages).toHaveLength(REMINDERS);
    const taken = slack.callsTo('chat.postMessage').filter(tookPost);
    const heldId = reminderIdOf(heldCall.args.metadata) as string;
    expect(taken.map((c) => reminderIdOf(c.args.metadata)).sort()).toEqual(
      rows
        .map((r) => r.id)
        .filter((id) => id !== heldId)
        .sort(),
    );
    // The held post's sender gave up on its answer and found the message in the channel's history.
    expect(rows.find((r) => r.id === heldId)?.message_ts).toBe(heldTs);

    // The work was shared: every replica posted, the one whose clock is wrong and the victim included.
    expect(replicas.filter((r) => r.relay.answered('chat.postMessage') > 0)).toHaveLength(3);
    // What the victim had claimed was finished by another after its lease: a second attempt, claimed at least
    // a lease after the claim it took over, and the channel's history read before posting.
    const takenOver = rows.filter(
      (r) =>
        claimedAtKill.has(r.id) &&
        r.attempts > 1 &&
        Date.parse(r.claimed_at as string) - Date.parse(claimedAtKill.get(r.id) as string) >= LEASE_MS,
    );
    expect(takenOver.length).toBeGreaterThan(0);
    for (const r of takenOver) expect(Date.parse(r.claimed_at as string)).toBeGreaterThan(killedAt);
    const historyAfterKill = slack
      .callsTo('conversations.history')
      .filter((c) => c.at >= killedAt && takenOver.some((r) => r.channel === c.args.channel));
    expect(historyAfterKill.length).toBeGreaterThan(0);
  }, 180_000);

  it('stores each of 500 talks once, sent round-robin to the replicas and some to two of them', async () => {
    const { slack, sql } = await fresh();
    const trio = await Promise.all([
      startReplica(0),
      startReplica(1, { clockAhead: '+90s' }),
      startReplica(2),
    ]);
    const post = (replica: Replica, body: string, retryNum?: number) =>
      postToBolt(replica.url, body, { signingSecret: SIGNING_SECRET, retryNum });
    const submission = (callbackId: string, values: object, metadata: string, viewId: string) =>
      interactionBody(
        viewSubmissionPayload({ callbackId, values: values as never, privateMetadata: metadata, viewId }),
      );
    // Saved: answered 200 without errors under the form's fields (a talk's modal closes; setup's shows what next).
    const closed = (reply: { status: number; json?: unknown }) =>
      reply.status === 200 &&
      (reply.json as { response_action?: string } | undefined)?.response_action !== 'errors';

    const organisers = slack.addChannel({ name: 'organisers' });
    const setupReply = await post(
      trio[0] as Replica,
      submission(
        CALLBACK.setup,
        stateValues(setupValues(november, organisers, FAKE_DEFAULTS.userId)),
        '',
        'VSETUP0001',
      ),
    );
    expect([setupReply.status, closed(setupReply)]).toEqual([200, true]);
    for (let m = 0; m < MEETUPS; m++) {
      const date = `${2000 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-07`;
      const reply = await post(
        trio[m % 3] as Replica,
        submission(
          CALLBACK.meetup,
          stateValues({ ...meetupValues(november.meetup), [MEETUP.date]: input.date(date) }),
          '{}',
          `VMEETUP${String(m).padStart(3, '0')}`,
        ),
      );
      expect([m, closed(reply)]).toEqual([m, true]);
    }
    const meetupIds = (
      (await sql.query('select id from meetups order by date')).rows as { id: string }[]
    ).map((r) => r.id);
    expect(meetupIds).toHaveLength(MEETUPS);

    // Each submission is its own modal with its own title. It goes to replica i % 3; every tenth is sent to
    // the next replica too at the same moment, and every tenth (offset by five) again after its answer, as
    // Slack's retry of a delivery it thinks was lost.
    const bodies = Array.from({ length: SUBMISSIONS }, (_, i) =>
      submission(
        CALLBACK.talk,
        stateValues(talkValues({ ...november.meetup.talks[0]!, title: `Talk number ${i}` })),
        JSON.stringify({ meetupId: meetupIds[i % MEETUPS] }),
        `VTALK${String(i).padStart(5, '0')}`,
      ),
    );
    const refused: string[] = [];
    let next = 0;
    let copies = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        while (next < SUBMISSIONS) {
          const i = next++;
          const body = bodies[i] as string;
          const first = trio[i % 3] as Replica;
          const other = trio[(i + 1) % 3] as Replica;
          const replies =
            i % 10 === 0
              ? await Promise.all([post(first, body), post(other, body)])
              : [await post(first, body)];
          if (i % 10 === 5) replies.push(await post(other, body, 1));
          copies += replies.length - 1;
          // Saved: the form goes on to its next step; recognised as saved already: an empty answer.
          for (const reply of replies) {
            const answer = reply.json as { response_action?: string } | undefined;
            if (reply.status !== 200 || (reply.text !== '' && answer?.response_action !== 'update'))
              refused.push(`${i}: ${reply.status} ${reply.text.slice(0, 200)}`);
          }
        }
      }),
    );
    expect(refused).toEqual([]);
    expect(copies).toBe(SUBMISSIONS / 5);

    const counts = new Map(
      (
        (await sql.query('select title, count(*)::int as n from talks group by title')).rows as Array<{
          title: string;
          n: number;
        }>
      ).map((r) => [r.title, r.n]),
    );
    for (let i = 0; i < SUBMISSIONS; i++) expect([i, counts.get(`Talk number ${i}`)]).toEqual([i, 1]);
    expect(await (db as TestDatabase).count('talks')).toBe(SUBMISSIONS);
    const perMeetup = (await sql.query('select meetup_id, count(*)::int as n from talks group by meetup_id'))
      .rows as Array<{ n: number }>;
    expect(perMeetup.map((r) => r.n)).toEqual(Array(MEETUPS).fill(SUBMISSIONS / MEETUPS));
  }, 120_000);
});
