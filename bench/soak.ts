import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { roundupSchema } from '../src/domain/meetup';
import { CALLBACK } from '../src/slack/views/ids';
import { stateValues } from '../test/support/bot';
import { FAKE_DEFAULTS, FakeSlack } from '../test/support/fake-slack';
import { meetupValues, nextValues, setupValues, talkValues } from '../test/support/organiser-evening';
import { freePort } from '../test/support/ports';
import {
  interactionBody,
  postToBolt,
  slashCommandBody,
  viewSubmissionPayload,
} from '../test/support/slack-requests';

/**
 * `npm run soak -- --minutes N`: the bot as a real process against the fake Slack, under a mixed load for N
 * minutes (commands, form submissions, drafts, and reminders falling due for its own minute ticks). Each
 * minute it reports requests, errors, latency percentiles and the bot's memory, so a leak or a slowdown
 * shows as a trend. Writes bench/soak-results.md.
 */

const ROOT = path.join(__dirname, '..', '..');
const SECRET = '8f742231b10e8888abcd99aaaa85a5a1';
const minutesArg = process.argv.indexOf('--minutes');
const MINUTES = Number(minutesArg >= 0 ? process.argv[minutesArg + 1] : 1);
const CLIENTS = 8;

type Kind = 'help' | 'status' | 'talk command' | 'talk saved' | 'draft';
interface Minute {
  latencies: Map<Kind, number[]>;
  errors: number;
  requests: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function main(): Promise<void> {
  if (!(MINUTES > 0)) throw new Error('give --minutes N, a positive number');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'roundup-soak-'));
  const database = path.join(work, 'roundup.db');
  const slack = await FakeSlack.start();
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'dist', 'app.js')], {
    env: {
      ...process.env,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: database,
      LOG_LEVEL: 'error',
      PORT: String(port),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
    cwd: ROOT,
  });
  const base = `http://127.0.0.1:${port}`;
  const url = `${base}/slack/events`;
  for (let i = 0; ; i++) {
    if ((await fetch(`${base}/healthz`).catch(() => undefined))?.status === 200) break;
    if (i > 3000) throw new Error('the bot did not start');
    await new Promise((r) => setTimeout(r, 10));
  }
  const post = (body: string) => postToBolt(url, body, { signingSecret: SECRET });
  const submit = (callbackId: string, values: ReturnType<typeof stateValues>, metadata = '') =>
    post(
      interactionBody(
        viewSubmissionPayload({
          callbackId,
          values,
          privateMetadata: metadata,
          viewId: `V${crypto.randomBytes(5).toString('hex').toUpperCase()}`,
        }),
      ),
    );

  // Set up through the forms: a group, the meetup, three talks, the next meetup.
  const example = roundupSchema.parse(
    JSON.parse(
      fs.readFileSync(path.join(ROOT, 'examples', 'cloud-native-london-november-2018.json'), 'utf8'),
    ),
  );
  const organisers = slack.addChannel({ name: 'organisers' });
  const community = slack.addChannel({ name: 'community' });
  await submit(CALLBACK.setup, stateValues({ ...setupValues(example, organisers, FAKE_DEFAULTS.userId) }));
  await submit(CALLBACK.meetup, stateValues(meetupValues(example.meetup)), '{}');
  const trigger = slack.issueTriggerId();
  await post(slashCommandBody({ text: 'talk new', triggerId: trigger }));
  const open = await slack.waitForCall('views.open', (c) => c.args.trigger_id === trigger);
  const metadata = JSON.parse(String((open.args.view as { private_metadata: string }).private_metadata));
  for (const talk of example.meetup.talks)
    await submit(CALLBACK.talk, stateValues(talkValues(talk)), JSON.stringify(metadata));
  await submit(
    CALLBACK.next,
    stateValues(nextValues(example.meetup)),
    JSON.stringify({ meetupId: metadata.meetupId }),
  );
  const db = new BetterSqlite3(database);
  db.pragma('busy_timeout = 5000');
  const talkId = (db.prepare('select id from talks order by position limit 1').get() as { id: string }).id;
  const team = FAKE_DEFAULTS.teamId;

  // Reminders falling due through the run, 20 a minute, for the bot's own scheduler to send.
  const insert = db.prepare(
    `insert into reminders (id, team_id, meetup_id, kind, channel, event_date, fire_at, status, attempts, claimed_at, message_ts, posted_channel, last_error, created_at, updated_at)
     values (?, ?, ?, 'before:0', ?, ?, ?, 'pending', 0, null, null, null, null, ?, ?)`,
  );
  const start = Date.now();
  const now = new Date().toISOString();
  db.transaction(() => {
    for (let m = 0; m < MINUTES; m++) {
      for (let i = 0; i < 20; i++) {
        const fireAt = new Date(start + m * 60_000 + i * 2_500).toISOString();
        insert.run(
          crypto.randomUUID(),
          team,
          metadata.meetupId,
          `C${String(m * 20 + i).padStart(9, '0')}`,
          example.meetup.next?.date ?? '2018-12-12',
          fireAt,
          now,
          now,
        );
      }
    }
  })();
  void community;

  const minutes: Minute[] = [];
  const current = () => {
    // A request sent in the last minute that completes just after it still counts in that minute.
    const m = Math.min(MINUTES - 1, Math.floor((Date.now() - start) / 60_000));
    minutes[m] ??= { latencies: new Map(), errors: 0, requests: 0 };
    return minutes[m] as Minute;
  };
  const timed = async (kind: Kind, request: () => Promise<{ status: number; json?: unknown }>) => {
    const t = performance.now();
    try {
      const r = await request();
      const minute = current();
      minute.requests++;
      const action = (r.json as { response_action?: string } | undefined)?.response_action;
      if (r.status !== 200 || action === 'errors') minute.errors++;
      const list = minute.latencies.get(kind) ?? [];
      list.push(performance.now() - t);
      minute.latencies.set(kind, list);
    } catch {
      const minute = current();
      minute.requests++;
      minute.errors++;
    }
  };
  let n = 0;
  const stopAt = start + MINUTES * 60_000;
  const memory: number[] = [];
  const sampler = setInterval(() => {
    const m = Math.floor((Date.now() - start) / 60_000);
    memory[m] = Math.max(memory[m] ?? 0, rssMb(child.pid!));
  }, 1000);
  console.log(`soak: ${MINUTES} minute(s), ${CLIENTS} clients, the bot at ${url}`);
  let lastDraft = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < stopAt) {
        const i = n++;
        const pick = i % 10;
        if (pick < 3) await timed('help', () => post(slashCommandBody({ text: 'help' })));
        else if (pick < 5) await timed('status', () => post(slashCommandBody({ text: 'status' })));
        else if (pick < 7)
          await timed('talk command', () =>
            post(slashCommandBody({ text: 'talk 1', triggerId: slack.issueTriggerId() })),
          );
        else if (pick < 9 || Date.now() - lastDraft < 5000)
          await timed('talk saved', () =>
            submit(
              CALLBACK.talk,
              stateValues(
                talkValues({ ...example.meetup.talks[0]!, title: `Deployments with Kapitan, take ${i}` }),
              ),
              JSON.stringify({ ...metadata, talkId }),
            ),
          );
        else {
          lastDraft = Date.now();
          await timed('draft', () =>
            post(slashCommandBody({ text: 'draft', responseUrl: slack.issueResponseUrl() })),
          );
        }
        // Slack's traffic is bursty, not a flood: about 100 requests a second across the clients.
        await new Promise((r) => setTimeout(r, 80));
      }
    }),
  );
  clearInterval(sampler);
  await new Promise((r) => setTimeout(r, 2000));
  const reminders = db.prepare('select status, count(*) as n from reminders group by status').all() as Array<{
    status: string;
    n: number;
  }>;
  db.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await slack.stop();
  fs.rmSync(work, { recursive: true, force: true });

  const kinds: Kind[] = ['help', 'status', 'talk command', 'talk saved', 'draft'];
  const header = `| minute | requests | errors | ${kinds.map((k) => `${k} p50 / p99 (ms)`).join(' | ')} | bot memory (MB) |`;
  const rows = minutes.map((m, i) => {
    const cells = kinds.map((k) => {
      const l = m.latencies.get(k) ?? [];
      return l.length ? `${percentile(l, 50).toFixed(1)} / ${percentile(l, 99).toFixed(1)}` : '';
    });
    return `| ${i + 1} | ${m.requests} | ${m.errors} | ${cells.join(' | ')} | ${Math.round(memory[i] ?? 0)} |`;
  });
  const summary = `Reminders: ${reminders.map((r) => `${r.n} ${r.status}`).join(', ')} (20 fell due each minute).`;
  const md = [
    `Soak of ${MINUTES} minute(s) on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, \`npm run soak -- --minutes ${MINUTES}\`, ${new Date().toISOString().slice(0, 10)}: ${CLIENTS} clients, each pausing 80 ms between requests.`,
    '',
    header,
    `| --- | --- | --- | ${kinds.map(() => '---').join(' | ')} | --- |`,
    ...rows,
    '',
    summary,
    '',
  ].join('\n');
  console.log(`\n${md}`);
  fs.writeFileSync(path.join(ROOT, 'bench', 'soak-results.md'), md);
}

main().catch((err: unknown) => {
  console.error(`soak failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exitCode = 1;
});
