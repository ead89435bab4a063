import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebClient } from '@slack/web-api';
import BetterSqlite3 from 'better-sqlite3';
import { type Roundup, roundupSchema } from '../src/domain/meetup';
import { renderPost } from '../src/render/render-post';
import { buildPostPreview } from '../src/render/slack-preview';
import { buildDraftPackage } from '../src/services/draft';
import { InFlight } from '../src/services/in-flight';
import { runTick } from '../src/services/reminders';
import { CALLBACK } from '../src/slack/views/ids';
import { openSqliteStore } from '../src/store/sqlite-store';
import { stateValues } from '../test/support/bot';
import { FAKE_DEFAULTS, FakeSlack } from '../test/support/fake-slack';
import { meetupValues, setupValues, talkValues } from '../test/support/organiser-evening';
import { freePort } from '../test/support/ports';
import {
  interactionBody,
  postToBolt,
  slashCommandBody,
  viewSubmissionPayload,
} from '../test/support/slack-requests';

/**
 * `npm run bench`: roundup against a bare Bolt app, both real processes over HTTP against the project's fake
 * Slack Web API, in the same run; then the draft render and the reminder tick in this process. Writes
 * bench/results.json and bench/results.md. Figures are medians and 99th percentiles of this run only.
 */

const ROOT = path.join(__dirname, '..', '..');
const SECRET = '8f742231b10e8888abcd99aaaa85a5a1';
const LATENCY_SAMPLES = Number(process.env.BENCH_SAMPLES ?? 400);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 5);
const CLIENTS = 50;

interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  target?: string;
  met?: boolean;
}
const figures: Figure[] = [];
const record = (f: Figure) => {
  figures.push(f);
  const ratio = f.baseline
    ? ` (${(f.value / f.baseline).toFixed(2)}x baseline ${round(f.baseline)} ${f.unit})`
    : '';
  console.log(
    `  ${f.name}: ${round(f.value)} ${f.unit}${ratio}${f.target ? ` target ${f.target}: ${f.met ? 'met' : 'MISSED'}` : ''}`,
  );
};
const round = (n: number) => (n >= 100 ? Math.round(n) : Math.round(n * 100) / 100);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface Bot {
  child: ChildProcess;
  url: string;
  startMs: number;
}

async function startProcess(script: string, env: Record<string, string>, healthPath?: string): Promise<Bot> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
    cwd: ROOT,
  });
  const base = `http://127.0.0.1:${port}`;
  await until(async () => {
    if (healthPath) return (await fetch(`${base}${healthPath}`)).status === 200;
    // The bare app has no health route: it is up when it answers (404) at all.
    return (await fetch(`${base}/`)).status > 0;
  }, 30_000);
  return { child, url: `${base}/slack/events`, startMs: performance.now() - started };
}

async function latency(n: number, once: (i: number) => Promise<number>): Promise<number[]> {
  for (let i = 0; i < 20; i++) await once(-1 - i); // warm up
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await once(i));
  return out;
}

async function throughput(seconds: number, once: (i: number) => Promise<unknown>): Promise<number> {
  let done = 0;
  let next = 0;
  const stopAt = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < stopAt) {
        await once(100_000 + next++);
        done++;
      }
    }),
  );
  return done / seconds;
}

const post = (url: string, body: string) => postToBolt(url, body, { signingSecret: SECRET });

async function timed(fn: () => Promise<{ status: number }>): Promise<number> {
  const t = performance.now();
  const r = await fn();
  if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
  return performance.now() - t;
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'roundup-bench-'));
  if (process.env.BENCH_ONLY === 'tick') {
    // For profiling the tick alone (node --cpu-prof); writes no results.
    const tick = await benchTick(work);
    console.log(
      `tick median ${tick.full.median.toFixed(1)} ms; 100 posts alone ${tick.posts.median.toFixed(1)} ms`,
    );
    fs.rmSync(work, { recursive: true, force: true });
    return;
  }
  const slack = await FakeSlack.start();
  const env = {
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    LOG_LEVEL: 'error',
  };
  console.log(
    `roundup bench on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}\n`,
  );

  // -------------------------------------------------------------------------------------------------------
  console.log('start-up and idle memory');
  const ours = await startProcess(
    path.join(ROOT, 'dist', 'app.js'),
    { ...env, DATABASE_URL: path.join(work, 'roundup.db') },
    '/healthz',
  );
  const bare = await startProcess(path.join(__dirname, 'bare-bolt.js'), env);
  await new Promise((r) => setTimeout(r, 1000));
  record({ name: 'start-up to a healthy /healthz', value: ours.startMs, unit: 'ms', baseline: bare.startMs });
  const idle = rssMb(ours.child.pid!);
  record({
    name: 'resident memory, idle',
    value: idle,
    unit: 'MB',
    baseline: rssMb(bare.child.pid!),
    target: '< 150 MB',
    met: idle < 150,
  });

  try {
    // Data: a group, a meetup and one talk, through the bot's own forms.
    const november = roundupSchema.parse(
      JSON.parse(
        fs.readFileSync(path.join(ROOT, 'examples', 'cloud-native-london-november-2018.json'), 'utf8'),
      ),
    );
    const organisers = slack.addChannel({ name: 'organisers' });
    const submit = (
      callbackId: string,
      values: ReturnType<typeof stateValues>,
      metadata = '',
      viewId = `V${crypto.randomBytes(5).toString('hex').toUpperCase()}`,
    ) =>
      post(
        ours.url,
        interactionBody(viewSubmissionPayload({ callbackId, values, privateMetadata: metadata, viewId })),
      );
    await submit(CALLBACK.setup, stateValues(setupValues(november, organisers, FAKE_DEFAULTS.userId)));
    await submit(CALLBACK.meetup, stateValues(meetupValues(november.meetup)), '{}');
    const opened = slack.issueTriggerId();
    await post(ours.url, slashCommandBody({ text: 'talk new', triggerId: opened }));
    const open = await slack.waitForCall('views.open', (c) => c.args.trigger_id === opened);
    const metadata = String((open.args.view as { private_metadata: string }).private_metadata);
    await submit(CALLBACK.talk, stateValues(talkValues(november.meetup.talks[0]!)), metadata);
    const talkId = await (async () => {
      const trigger = slack.issueTriggerId();
      await post(ours.url, slashCommandBody({ text: 'talk 1', triggerId: trigger }));
      const call = await slack.waitForCall('views.open', (c) => c.args.trigger_id === trigger);
      return (
        JSON.parse(String((call.args.view as { private_metadata: string }).private_metadata)) as {
          talkId: string;
        }
      ).talkId;
    })();
    const editMetadata = JSON.stringify({ ...JSON.parse(metadata), talkId });

    const help = () => post(ours.url, slashCommandBody({ text: 'help' }));
    const baseline = () => post(bare.url, slashCommandBody({ text: 'help' }));
    const talkCommand = async () => {
      const trigger = slack.issueTriggerId();
      const t = performance.now();
      const reply = await post(ours.url, slashCommandBody({ text: 'talk 1', triggerId: trigger }));
      const ack = performance.now() - t;
      await slack.waitForCall('views.open', (c) => c.args.trigger_id === trigger, 5000);
      return { ack, open: performance.now() - t, status: reply.status };
    };
    const saveTalk = (i: number) =>
      submit(
        CALLBACK.talk,
        stateValues(
          talkValues({ ...november.meetup.talks[0]!, title: `Deployments with Kapitan, take ${i}` }),
        ),
        editMetadata,
      );

    // -----------------------------------------------------------------------------------------------------
    console.log('\nacknowledgement latency, one request at a time');
    const base = stats(await latency(LATENCY_SAMPLES, () => timed(baseline)));
    const helpStats = stats(await latency(LATENCY_SAMPLES, () => timed(help)));
    const talkSamples: Array<{ ack: number; open: number }> = [];
    await latency(LATENCY_SAMPLES, async () => {
      const r = await talkCommand();
      talkSamples.push(r);
      return r.ack;
    });
    const talkAck = stats(talkSamples.slice(20).map((s) => s.ack));
    const talkOpen = stats(talkSamples.slice(20).map((s) => s.open));
    const saveStats = stats(await latency(LATENCY_SAMPLES, (i) => timed(() => saveTalk(i))));
    const within = (v: number, b: number) => v <= 1.5 * b;
    record({ name: 'bare Bolt command ack, median', value: base.median, unit: 'ms' });
    record({ name: 'bare Bolt command ack, p99', value: base.p99, unit: 'ms' });
    record({
      name: '/roundup help ack, median',
      value: helpStats.median,
      unit: 'ms',
      baseline: base.median,
      target: '≤ 1.5x',
      met: within(helpStats.median, base.median),
    });
    record({
      name: '/roundup help ack, p99',
      value: helpStats.p99,
      unit: 'ms',
      baseline: base.p99,
      target: '≤ 1.5x',
      met: within(helpStats.p99, base.p99),
    });
    record({
      name: '/roundup talk ack, median',
      value: talkAck.median,
      unit: 'ms',
      baseline: base.median,
      target: '≤ 1.5x',
      met: within(talkAck.median, base.median),
    });
    record({
      name: '/roundup talk ack, p99',
      value: talkAck.p99,
      unit: 'ms',
      baseline: base.p99,
      target: '≤ 1.5x',
      met: within(talkAck.p99, base.p99),
    });
    record({ name: '/roundup talk to views.open at Slack, median', value: talkOpen.median, unit: 'ms' });
    record({
      name: '/roundup talk to views.open at Slack, p99',
      value: talkOpen.p99,
      unit: 'ms',
      target: '≤ 100 ms',
      met: talkOpen.p99 <= 100,
    });
    record({
      name: 'talk form submission saved and acked, median',
      value: saveStats.median,
      unit: 'ms',
      baseline: base.median,
      target: '≤ 1.5x',
      met: within(saveStats.median, base.median),
    });
    record({
      name: 'talk form submission saved and acked, p99',
      value: saveStats.p99,
      unit: 'ms',
      baseline: base.p99,
      target: '≤ 1.5x',
      met: within(saveStats.p99, base.p99),
    });

    // -----------------------------------------------------------------------------------------------------
    console.log(`\nrequests per second, ${CLIENTS} concurrent clients for ${LOAD_SECONDS} s each`);
    const baseRps = await throughput(LOAD_SECONDS, baseline);
    record({ name: 'bare Bolt command', value: baseRps, unit: 'req/s' });
    record({
      name: '/roundup help',
      value: await throughput(LOAD_SECONDS, help),
      unit: 'req/s',
      baseline: baseRps,
    });
    record({
      name: '/roundup talk (acknowledged; the modal opens after)',
      value: await throughput(LOAD_SECONDS, () =>
        post(ours.url, slashCommandBody({ text: 'talk 1', triggerId: slack.issueTriggerId() })),
      ),
      unit: 'req/s',
      baseline: baseRps,
    });
    record({
      name: 'talk form submission',
      value: await throughput(LOAD_SECONDS, saveTalk),
      unit: 'req/s',
      baseline: baseRps,
    });
    const loaded = rssMb(ours.child.pid!);
    record({
      name: 'resident memory, after the load',
      value: loaded,
      unit: 'MB',
      baseline: rssMb(bare.child.pid!),
    });
  } finally {
    ours.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
  }

  // ---------------------------------------------------------------------------------------------------------
  console.log('\nin this process');
  const draft = await benchDraft(work);
  record({
    name: 'draft of a 10-talk meetup with 20 photos (post, Block Kit preview, .zip), median',
    value: draft.median,
    unit: 'ms',
  });
  record({ name: 'the same, p99', value: draft.p99, unit: 'ms', target: '< 50 ms', met: draft.p99 < 50 });
  const tick = await benchTick(work);
  record({
    name: 'finding the 100 due among 100,000 pending reminders, median',
    value: tick.select.median,
    unit: 'ms',
  });
  record({
    name: '100 chat.postMessage calls alone, 16 at a time (the floor for a tick that posts 100), median',
    value: tick.posts.median,
    unit: 'ms',
  });
  record({
    name: 'one tick: 100 of 100,000 due, claimed, posted, recorded, median',
    value: tick.full.median,
    unit: 'ms',
    baseline: tick.posts.median,
    target: '< 20 ms',
    met: tick.full.median < 20,
  });
  record({ name: 'the same tick, p99', value: tick.full.p99, unit: 'ms' });
  record({
    name: 'a tick with none of the 100,000 due, median',
    value: tick.idle.median,
    unit: 'ms',
    target: '< 20 ms',
    met: tick.idle.median < 20,
  });

  await slack.stop();
  fs.rmSync(work, { recursive: true, force: true });
  writeResults();
}

/** A 10-talk meetup with 20 stored photos (a header, 10 speakers, 9 of the evening) of ~200 KB each. */
async function benchDraft(work: string) {
  const folder = path.join(work, 'photos');
  fs.mkdirSync(folder, { recursive: true });
  const png = (i: number) => {
    const file = `p${i}.png`;
    fs.writeFileSync(
      path.join(folder, file),
      Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), crypto.randomBytes(200_000)]),
    );
    return { file, mimeType: 'image/png' as const };
  };
  const example = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'examples', 'cloud-native-london-november-2018.json'), 'utf8'),
  );
  const template = example.meetup.talks[0];
  example.meetup.headerPhoto = { stored: png(0) };
  example.meetup.talks = Array.from({ length: 10 }, (_, i) => ({
    ...template,
    title: `Talk ${i + 1}`,
    photo: { stored: png(i + 1) },
  }));
  example.meetup.photos = Array.from({ length: 9 }, (_, i) => ({
    role: 'other',
    stored: png(i + 11),
    alt: `Photo ${i + 1}`,
  }));
  delete example.meetup.sentences;
  const roundup: Roundup = roundupSchema.parse(example);
  const once = async () => {
    const t = performance.now();
    const post = renderPost(roundup);
    buildPostPreview(post.content, { maxBlocks: 44 });
    await buildDraftPackage(post, folder);
    return performance.now() - t;
  };
  return stats(await latency(100, once));
}

/** The fake Slack in a child process: its API URL and token, and how to stop it. */
async function fakeSlackProcess(): Promise<{ apiUrl: string; botToken: string; stop: () => void }> {
  const child = spawn(process.execPath, [path.join(__dirname, 'fake-slack-server.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve) =>
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString())),
  );
  return { ...(JSON.parse(line) as { apiUrl: string; botToken: string }), stop: () => child.kill('SIGTERM') };
}

/** 1,000 groups with 100 pending reminders each; 100 of them due. */
async function benchTick(work: string) {
  const slack = await fakeSlackProcess();
  const file = path.join(work, 'tick.db');
  const store = await openSqliteStore(file);
  await store.close();
  const db = new BetterSqlite3(file);
  const now = new Date('2026-12-02T10:00:30Z');
  const next = JSON.stringify({
    date: '2026-12-09',
    startTime: '18:30',
    companies: ['Paybase'],
    venue: 'Monzo',
    channels: [],
    cancelled: false,
    rsvpUrl: 'https://example.com/rsvp',
  });
  const stamp = new Date().toISOString();
  const insertGroup = db.prepare(
    `insert into groups (id, team_id, name, time_zone, signature, location, organisers, organisers_channel, community_channels, template, reminder_plan, created_at, updated_at)
     values (?, ?, ?, 'Europe/London', 'The organisers', null, '[]', 'C0ORGS0001', '["C0COMM0001"]', 'classic', '[]', ?, ?)`,
  );
  const insertMeetup = db.prepare(
    `insert into meetups (id, team_id, group_id, date, start_time, status, venue, host, intro, sponsors, video, extras, next_meetup, sentences, created_at, updated_at)
     values (?, ?, ?, '2026-11-04', '18:30', 'held', null, null, null, '[]', null, '[]', ?, '{}', ?, ?)`,
  );
  const insertReminder = db.prepare(
    `insert into reminders (id, team_id, meetup_id, kind, channel, event_date, fire_at, status, attempts, claimed_at, message_ts, posted_channel, last_error, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, 'pending', 0, null, null, null, null, ?, ?)`,
  );
  const due: string[] = [];
  db.transaction(() => {
    for (let g = 0; g < 1000; g++) {
      const team = `T${String(g).padStart(9, '0')}`;
      insertGroup.run(`g${g}`, team, `Group ${g}`, stamp, stamp);
      insertMeetup.run(`m${g}`, team, `g${g}`, next, stamp, stamp);
      for (let r = 0; r < 100; r++) {
        const isDue = g < 100 && r === 0;
        const id = `r${g}-${r}`;
        if (isDue) due.push(id);
        const fireAt = isDue
          ? '2026-12-02T10:00:00.000Z'
          : new Date(Date.parse('2026-12-03T00:00:00Z') + (g * 100 + r) * 60_000).toISOString();
        insertReminder.run(
          id,
          team,
          `m${g}`,
          'before:7',
          `C${String(r).padStart(9, '0')}`,
          '2026-12-09',
          fireAt,
          stamp,
          stamp,
        );
      }
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const reset = db.prepare(
    `update reminders set status = 'pending', claimed_at = null, message_ts = null, posted_channel = null, attempts = 0 where id in (${due.map(() => '?').join(',')})`,
  );

  const live = await openSqliteStore(file);
  const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl });
  const logger = {
    debug() {},
    info() {},
    warn() {},
    error() {},
    setLevel() {},
    getLevel: () => 'error',
    setName() {},
  };
  const deps = {
    store: live,
    client,
    botToken: slack.botToken,
    fileHosts: [],
    photosDir: work,
    logger: logger as never,
    now: () => now,
    reminderGraceMs: 2 * 3600_000,
    inFlight: new InFlight(),
  };
  const select = stats(
    await latency(50, async () => {
      const t = performance.now();
      const rows = await live.dueReminders(now.toISOString(), 200);
      if (rows.length !== 100) throw new Error(`expected 100 due, found ${rows.length}`);
      return performance.now() - t;
    }),
  );
  // The same 100 posts with nothing else: what Slack's side costs, whatever the scheduler does.
  const message = {
    text: 'Cloud Native London is next week',
    blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'x' } }],
  };
  const posts = stats(
    await latency(30, async () => {
      const t = performance.now();
      let sent = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (sent < 100) {
            sent++;
            await client.chat.postMessage({ channel: `C${String(sent).padStart(9, '0')}`, ...message });
          }
        }),
      );
      return performance.now() - t;
    }),
  );
  const full = stats(
    await latency(30, async () => {
      reset.run(...due);
      const t = performance.now();
      const result = await runTick(deps, now);
      const ms = performance.now() - t;
      if (result.sent !== 100) throw new Error(`tick sent ${result.sent} of 100`);
      return ms;
    }),
  );
  // The common minute: nothing due among the 100,000.
  db.prepare(`update reminders set status = 'sent' where id in (${due.map(() => '?').join(',')})`).run(
    ...due,
  );
  const idle = stats(
    await latency(50, async () => {
      const t = performance.now();
      const result = await runTick(deps, now);
      if (result.sent !== 0) throw new Error('nothing should be due');
      return performance.now() - t;
    }),
  );
  await live.close();
  db.close();
  slack.stop();
  return { select, posts, full, idle };
}

function writeResults(): void {
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
  const results = {
    when: new Date().toISOString(),
    machine,
    command: 'npm run bench',
    samples: LATENCY_SAMPLES,
    loadSeconds: LOAD_SECONDS,
    clients: CLIENTS,
    figures,
  };
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const rows = figures.map(
    (f) =>
      `| ${f.name} | ${round(f.value)} ${f.unit} | ${f.baseline ? `${round(f.baseline)} ${f.unit}` : ''} | ${f.baseline ? `${(f.value / f.baseline).toFixed(2)}x` : ''} | ${f.target ? `${f.target}: ${f.met ? 'met' : '**missed**'}` : ''} |`,
  );
  const md = [
    `Measured ${results.when.slice(0, 10)} on ${machine}, with \`npm run bench\` (${LATENCY_SAMPLES} requests one at a time per latency figure; ${CLIENTS} clients for ${LOAD_SECONDS} s per throughput figure). The baseline is a bare Bolt app whose command only acks, run at the same time.`,
    '',
    '| figure | roundup | baseline | ratio | target |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.md'), md);
  console.log(`\nwrote bench/results.json and bench/results.md`);
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exitCode = 1;
});
