import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { WebClient } from '@slack/web-api';
import sharp from 'sharp';
import { type Roundup, roundupSchema } from '../src/domain/meetup';
import { renderPost } from '../src/render/render-post';
import { buildPostPreview } from '../src/render/slack-preview';
import type { Deps } from '../src/services/deps';
import { buildDraftPackage } from '../src/services/draft';
import { InFlight } from '../src/services/in-flight';
import { runTick } from '../src/services/reminders';
import { submissionKey } from '../src/slack/middleware/once';
import { CALLBACK, MEETUP, PHOTO } from '../src/slack/views/ids';
import { readTalkModal } from '../src/slack/views/talk-modal';
import { SingleWorkspace } from '../src/slack/workspaces';
import { openStore } from '../src/store/sql-store';
import { stateValues } from '../test/support/bot';
import { FAKE_DEFAULTS, FakeSlack } from '../test/support/fake-slack';
import { meetupValues, setupValues, talkValues } from '../test/support/organiser-evening';
import {
  input,
  interactionBody,
  signRequest,
  slashCommandBody,
  viewSubmissionPayload,
} from '../test/support/slack-requests';
import {
  cpuMs,
  interleaved,
  ms,
  type Percentiles,
  percentiles,
  ratioText,
  round,
  rssMb,
  type Server,
  type Spread,
  spread,
  startServer,
  timedPost,
  until,
} from './measure';
import { describeServer, freshSchema, POSTGRES_SKIPPED, POSTGRES_URL } from './postgres';
import { insertRows, postgresRaw, type RawSql, sqliteRaw } from './raw-sql';

/**
 * `npm run bench`: roundup (`node dist/app.js`, as `npm start` runs it) against three baselines, each a
 * process of its own over HTTP: bare Bolt set up with the identity given (the reference for the targets), a
 * bare `node:http` server that only checks Slack's signature (the floor), and the same bare Bolt doing one
 * SQLite insert per request. The fake Slack answers every call after BENCH_SLACK_DELAY_MS (default 30), so a
 * Slack call made before an ack shows in the figures. Requests are interleaved across the four, in three
 * rounds; a ratio is the median of the three rounds' ratios, with the lowest and highest round beside it.
 * Then the costs as the work grows (render, draft, submissions with many teams stored, the reminder tick).
 *
 * With BENCH_DATABASE_URL (or TEST_DATABASE_URL) naming a PostgreSQL server, roundup on PostgreSQL is also
 * measured: a fifth server in the acknowledgements' rounds, the tick on a second copy of its rows, and the
 * throughput of one replica against two on one database. Each part works in a schema of its own, dropped
 * after. Without either, those parts are skipped and the results say so.
 * Writes bench/results.json and bench/results.md.
 *
 * BENCH_ONLY=steps,render,draft,tick,startup,acks,teams,replicas runs only those parts (and writes no results);
 * BENCH_ONLY=profile runs roundup under `node --cpu-prof` for a burst of talk submissions and writes where
 * its CPU time goes to bench/profile-submission.md.
 */

const ROOT = path.join(__dirname, '..', '..');
const SECRET = '8f742231b10e8888abcd99aaaa85a5a1';
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const ROUNDS = 3;
const SLACK_DELAY_MS = Number(process.env.BENCH_SLACK_DELAY_MS ?? 30);
const TEAM: string = FAKE_DEFAULTS.teamId;

const ROUNDUP = 'roundup';
const ROUNDUP_PG = 'roundup on PostgreSQL';
const BARE_BOLT = 'bare Bolt';
const BARE_HTTP = 'bare node:http';
const BOLT_SQLITE = 'Bolt + 1 SQLite insert';
const BOLT_ANSWER = "bare Bolt answering with help's message";

interface Check {
  figure: string;
  value: string;
  target: string;
  met: boolean;
}
const checks: Check[] = [];
/** The PostgreSQL server measured, as the results name it ('' when none was given). */
let postgresServer = '';
const sections: string[] = [];
const json: Record<string, unknown> = {};

function check(figure: string, value: string, target: string, met: boolean): void {
  checks.push({ figure, value, target, met });
  console.log(`  ${figure}: ${value} (target ${target}: ${met ? 'met' : 'MISSED'})`);
}

function table(title: string, header: string[], rows: Array<Array<string | number>>, note = ''): void {
  const lines = [
    `### ${title}`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
  if (note) lines.push('', note);
  sections.push(lines.join('\n'));
  console.log(`\n${lines.join('\n')}\n`);
}

const example = () =>
  JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'cloud-native-london-november-2018.json'), 'utf8'));
const november: Roundup = roundupSchema.parse(example());

const botEnv = (slack: { apiUrl: string; botToken: string }) => ({
  SLACK_BOT_TOKEN: slack.botToken,
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: slack.apiUrl,
  LOG_LEVEL: 'error',
});

// BENCH_ROUNDUP_NODE_ARGS: flags for roundup's `node` (say `--cpu-prof --cpu-prof-dir=/some/dir`).
const roundupNodeArgs = (process.env.BENCH_ROUNDUP_NODE_ARGS ?? '').split(' ').filter(Boolean);

function startRoundup(
  slack: FakeSlack,
  database: string,
  nodeArgs = roundupNodeArgs,
  name = ROUNDUP,
): Promise<Server> {
  return startServer(
    name,
    [...nodeArgs, path.join(ROOT, 'dist', 'app.js')],
    { ...botEnv(slack), DATABASE_URL: database },
    { healthPath: '/healthz', cwd: ROOT },
  );
}
const startBareBolt = (slack: FakeSlack, o: { sqlite?: string; answer?: string } = {}) =>
  startServer(
    o.sqlite ? BOLT_SQLITE : o.answer ? BOLT_ANSWER : BARE_BOLT,
    [path.join(__dirname, 'bare-bolt.js')],
    {
      ...botEnv(slack),
      ...(o.sqlite ? { BENCH_SQLITE: o.sqlite } : {}),
      ...(o.answer ? { BENCH_ANSWER: o.answer } : {}),
    },
    { cwd: ROOT },
  );
const startBareHttp = (slack: FakeSlack) =>
  startServer(BARE_HTTP, [path.join(__dirname, 'bare-http.js')], botEnv(slack), { cwd: ROOT });

const post = (url: string, body: string) => timedPost(url, body, SECRET);
const viewId = () => `V${crypto.randomBytes(5).toString('hex').toUpperCase()}`;
const submitBody = (
  callbackId: string,
  values: Parameters<typeof stateValues>[0],
  metadata = '',
  teamId = TEAM,
) =>
  interactionBody(
    viewSubmissionPayload({
      callbackId,
      values: stateValues(values),
      privateMetadata: metadata,
      viewId: viewId(),
      teamId,
    }),
  );

/**
 * A group, its meetup and one talk, through the bot's own forms (for `teamId`, the fake Slack's team unless
 * given). Returns the talk form's edit metadata.
 */
async function seedTeam(slack: FakeSlack, bot: Server, teamId = TEAM): Promise<string> {
  const organisers = slack.addChannel({ name: `organisers-${crypto.randomBytes(3).toString('hex')}` });
  await post(
    bot.url,
    submitBody(CALLBACK.setup, setupValues(november, organisers, FAKE_DEFAULTS.userId), '', teamId),
  );
  await post(bot.url, submitBody(CALLBACK.meetup, meetupValues(november.meetup), '{}', teamId));
  const metadata = await openedMetadata(slack, bot, 'talk new', teamId);
  await post(bot.url, submitBody(CALLBACK.talk, talkValues(november.meetup.talks[0]!), metadata, teamId));
  const edit = await openedMetadata(slack, bot, 'talk 1', teamId);
  return edit;
}

/** The private metadata of the modal a command opens. */
async function openedMetadata(slack: FakeSlack, bot: Server, text: string, teamId = TEAM): Promise<string> {
  const trigger = slack.issueTriggerId();
  await post(bot.url, slashCommandBody({ text, triggerId: trigger, teamId }));
  const call = await slack.waitForCall('views.open', (c) => c.args.trigger_id === trigger, 10_000);
  return String((call.args.view as { private_metadata: string }).private_metadata);
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'roundup-bench-'));
  try {
    if (process.env.BENCH_ONLY === 'profile') {
      await profileSubmissions(work);
      return;
    }
    const started = { at: Date.now(), load: os.loadavg()[0]! };
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
    console.log(`roundup bench on ${machine}; the fake Slack answers after ${SLACK_DELAY_MS} ms`);
    postgresServer = await describeServer();
    console.log(postgresServer ? `and on ${postgresServer}\n` : `${POSTGRES_SKIPPED}\n`);
    // BENCH_ONLY=acks,tick (say) runs only those parts, and writes no results.
    const only = process.env.BENCH_ONLY?.split(',');
    const part = (name: string) => !only || only.includes(name);
    // The parts measured in this process first, while its heap is small: the fake Slack's records of
    // thousands of requests would otherwise make its garbage collections show in their figures.
    if (part('steps')) await benchSubmissionSteps(work);
    if (part('render')) await benchRender();
    if (part('draft')) await benchDraft(work);
    if (part('tick')) await benchTick(work);
    const slack = await FakeSlack.start({ delayMs: SLACK_DELAY_MS });
    try {
      if (part('startup')) await benchStartUp(slack, work);
      if (part('acks')) await benchAcks(slack, work);
      if (part('teams')) await benchTeams(slack, work);
      if (part('replicas') && POSTGRES_URL) await benchReplicas(slack);
    } finally {
      await slack.stop();
    }
    if (!only) writeResults(machine, started);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Start-up and idle memory: each started alone, alternately, three times.

/** dist/foo/bar.js (as require-costs names it, from the project) as the source file it comes from. */
const source = (file: string) => file.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts');

async function benchStartUp(slack: FakeSlack, work: string): Promise<void> {
  console.log('start-up and idle memory');
  const database = path.join(work, 'startup.db');
  // A first start creates the database; a restart on an existing one is what is measured.
  await (await startRoundup(slack, database)).stop();
  const rows: Array<{ ours: number; bare: number; oursRss: number; bareRss: number }> = [];
  // Five rounds: a start-up is one sample, and the machine's noise weighs on it more than on a thousand acks.
  for (let r = 0; r < 5; r++) {
    const ours = await startRoundup(slack, database);
    await new Promise((res) => setTimeout(res, 1000));
    const oursRss = rssMb(ours.child.pid!);
    await ours.stop();
    const bare = await startBareBolt(slack);
    await new Promise((res) => setTimeout(res, 1000));
    const bareRss = rssMb(bare.child.pid!);
    await bare.stop();
    rows.push({ ours: ours.startMs, bare: bare.startMs, oursRss, bareRss });
  }
  const start = spread(rows.map((r) => r.ours / r.bare));
  const memory = spread(rows.map((r) => r.oursRss / r.bareRss));
  table(
    'Start-up and idle memory (five rounds, each process started alone, one after the other)',
    ['round', 'roundup start-up', 'bare Bolt start-up', 'roundup idle RSS', 'bare Bolt idle RSS'],
    rows.map((r, i) => [i + 1, ms(r.ours), ms(r.bare), `${round(r.oursRss)} MB`, `${round(r.bareRss)} MB`]),
    'Start-up is from spawning `node` to the first healthy answer (`/healthz` for roundup; any answer for bare Bolt). Both check the token with one `auth.test` before serving. Idle memory is the resident set one second after.',
  );
  check('start-up, roundup / bare Bolt', ratioText(start), '≤ 1.3x', start.median <= 1.3);
  check('idle memory, roundup / bare Bolt', ratioText(memory), '≤ 1.3x', memory.median <= 1.3);

  // What loading costs: roundup's code and the packages it loads itself, against Bolt alone.
  const costs = (target: string) => {
    const out = execFileSync(process.execPath, [path.join(__dirname, 'require-costs.js'), target], {
      cwd: ROOT,
    });
    return JSON.parse(out.toString()) as {
      totalMs: number;
      rssMb: number;
      loads: Array<{ name: string; ms: number; mb: number; from: string }>;
    };
  };
  const ours = costs(path.join(ROOT, 'dist', 'app.js'));
  const bolt = costs('@slack/bolt');
  const direct = ours.loads
    .filter((l) => l.from.startsWith('dist/'))
    .sort((a, b) => b.ms - a.ms)
    .map((l) => [l.name, ms(l.ms), `${round(l.mb)} MB`, source(l.from)]);
  table(
    'Loading the code: roundup (dist/app.js) and Bolt alone',
    ['loaded', 'time', 'resident memory added', 'first loaded by'],
    [
      ['bare Bolt: `@slack/bolt` and what it loads', ms(bolt.totalMs), `${round(bolt.rssMb)} MB in all`, ''],
      [
        'roundup: dist/app.js and everything it loads',
        ms(ours.totalMs),
        `${round(ours.rssMb)} MB in all`,
        '',
      ],
      ...direct,
    ],
    'Each package with the time and memory of its first load, what it loads in turn included (so Bolt also counts the Web API client it shares with roundup when roundup loads it first). Measured by `bench/require-costs.ts` in a fresh process.',
  );
  json.loading = { ours, bolt };
  json.startUp = { rows, start, memory };
}

// ---------------------------------------------------------------------------------------------------------
// Acknowledgements: help, talk and a talk form submission, interleaved across roundup and the baselines.

async function benchAcks(slack: FakeSlack, work: string): Promise<void> {
  console.log('\nacknowledgements, interleaved');
  const file = path.join(work, 'acks.db');
  const servers = [
    await startRoundup(slack, file),
    await startBareBolt(slack),
    await startBareHttp(slack),
    await startBareBolt(slack, { sqlite: path.join(work, 'bolt-sqlite.db') }),
  ];
  const bot = servers[0]!;
  // roundup on PostgreSQL beside roundup on SQLite, in the same rounds, when a server is given.
  const schema = POSTGRES_URL ? await freshSchema('acks') : undefined;
  const pg = schema ? await startRoundup(slack, schema.url, roundupNodeArgs, ROUNDUP_PG) : undefined;
  if (pg) servers.push(pg);
  const url = new Map(servers.map((s) => [s.name, s.url]));
  try {
    // Help's answer is the command list, a kilobyte and more of JSON: a bare Bolt app that answers with the
    // same message shows what carrying it costs, apart from anything roundup does.
    const answer = path.join(work, 'help-answer.json');
    const helpBody = slashCommandBody({ text: 'help' });
    const helpReply = await fetch(bot.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...signRequest(helpBody, SECRET) },
      body: helpBody,
    });
    if (helpReply.status !== 200) throw new Error(`help answered HTTP ${helpReply.status}`);
    fs.writeFileSync(answer, await helpReply.text());
    const boltAnswer = await startBareBolt(slack, { answer });
    servers.push(boltAnswer);
    url.set(BOLT_ANSWER, boltAnswer.url);
    // Each roundup edits its own team's talk; the baselines, which only acknowledge, get the first's metadata.
    const edits = new Map([[ROUNDUP, await seedTeam(slack, bot)]]);
    if (pg) edits.set(ROUNDUP_PG, await seedTeam(slack, pg));
    const talkEdit = (target: string, i: number) =>
      submitBody(
        CALLBACK.talk,
        talkValues({ ...november.meetup.talks[0]!, title: `Deployments with Kapitan, take ${i}` }),
        edits.get(target) ?? edits.get(ROUNDUP)!,
      );
    const opened: Array<{ trigger: string; sentAt: number }> = [];
    const kinds: Array<[string, (target: string, i: number) => string]> = [
      ['/roundup help', () => slashCommandBody({ text: 'help' })],
      [
        '/roundup talk 1 (opens the modal after the ack)',
        (target) => {
          const trigger = slack.issueTriggerId();
          if (target === ROUNDUP) opened.push({ trigger, sentAt: Date.now() });
          return slashCommandBody({ text: 'talk 1', triggerId: trigger });
        },
      ],
      ['talk form submission (validated and saved before the ack)', (t, i) => talkEdit(t, i)],
    ];
    const targets = [ROUNDUP, ...(pg ? [ROUNDUP_PG] : []), BARE_BOLT, BARE_HTTP, BOLT_SQLITE];
    const targetsOf = (kind: string) => (kind === kinds[0]![0] ? [...targets, BOLT_ANSWER] : targets);
    const authTestsBefore = slack.callsTo('auth.test').length;
    const results = new Map<string, Array<Map<string, Percentiles>>>();
    let slowAcks = 0;
    let acks = 0;
    const cpu = new Map<string, { ours: number; bare: number; pg: number; requests: number }>();
    const pgCpu = () => (pg ? cpuMs(pg.child.pid!) : 0);
    for (let r = 0; r < ROUNDS; r++) {
      for (const [kind, body] of kinds) {
        let n = r * 100_000;
        const cpuBefore = [cpuMs(bot.child.pid!), cpuMs(servers[1]!.child.pid!), pgCpu()];
        const samples = await interleaved(targetsOf(kind), SAMPLES, async (target) => {
          const elapsed = await post(url.get(target)!, body(target, n++));
          if (target === ROUNDUP) {
            acks++;
            if (elapsed >= SLACK_DELAY_MS) slowAcks++;
          }
          return elapsed;
        });
        // The process's CPU over the round, warm-up and what it does after each ack included.
        const spent = cpu.get(kind) ?? { ours: 0, bare: 0, pg: 0, requests: 0 };
        spent.ours += cpuMs(bot.child.pid!) - cpuBefore[0]!;
        spent.bare += cpuMs(servers[1]!.child.pid!) - cpuBefore[1]!;
        spent.pg += pgCpu() - cpuBefore[2]!;
        spent.requests += SAMPLES + 20;
        cpu.set(kind, spent);
        const perTarget = new Map([...samples].map(([t, s]) => [t, percentiles(s)]));
        results.set(kind, [...(results.get(kind) ?? []), perTarget]);
      }
    }
    const authTests = slack.callsTo('auth.test').length - authTestsBefore;
    // When the talk modal reached Slack, from the command being sent.
    await new Promise((res) => setTimeout(res, 200));
    const arrivals = new Map(slack.callsTo('views.open').map((c) => [String(c.args.trigger_id), c.at]));
    const toModal = opened.flatMap((o) => {
      const at = arrivals.get(o.trigger);
      return at === undefined ? [] : [at - o.sentAt];
    });

    const rows: Array<Array<string | number>> = [];
    for (const [kind] of kinds) {
      const rounds = results.get(kind)!;
      for (const p of ['p50', 'p99'] as const) {
        const value = (t: string) => spread(rounds.map((m) => m.get(t)![p]));
        const ratio = spread(rounds.map((m) => m.get(ROUNDUP)![p] / m.get(BARE_BOLT)![p]));
        rows.push([
          `${kind}, ${p}`,
          ms(value(ROUNDUP).median),
          ms(value(BARE_BOLT).median),
          ratioText(ratio),
          ms(value(BARE_HTTP).median),
          ms(value(BOLT_SQLITE).median),
          rounds[0]!.has(BOLT_ANSWER)
            ? `${ms(value(BOLT_ANSWER).median)} (${ratioText(spread(rounds.map((m) => m.get(ROUNDUP)![p] / m.get(BOLT_ANSWER)![p])))})`
            : '',
        ]);
        check(`${kind} ack ${p}, roundup / bare Bolt`, ratioText(ratio), '≤ 1.2x', ratio.median <= 1.2);
      }
    }
    table(
      'Acknowledgements (three rounds, requests interleaved across the four servers)',
      [
        'request, percentile',
        ROUNDUP,
        BARE_BOLT,
        'ratio to bare Bolt (spread)',
        BARE_HTTP,
        BOLT_SQLITE,
        `${BOLT_ANSWER} (roundup's ratio to it)`,
      ],
      rows,
      `${SAMPLES} requests per server, kind and round, one at a time, after 20 of warm-up, each to the servers in turn (ABCD, BCDA, ...); each figure is the median of the three rounds' percentiles, the ratio the median of the three rounds' ratios (lowest–highest round in brackets). The baselines acknowledge every command and submission with an empty answer, but for the last, which answers \`help\` with roundup's own command list.`,
    );
    if (pg) {
      const pgRows: Array<Array<string | number>> = [];
      for (const [kind] of kinds) {
        const rounds = results.get(kind)!;
        for (const p of ['p50', 'p99'] as const) {
          const value = (t: string) => spread(rounds.map((m) => m.get(t)![p]));
          const ratio = (a: string, b: string) => spread(rounds.map((m) => m.get(a)![p] / m.get(b)![p]));
          pgRows.push([
            `${kind}, ${p}`,
            ms(value(ROUNDUP).median),
            ms(value(ROUNDUP_PG).median),
            ratioText(ratio(ROUNDUP_PG, ROUNDUP)),
            ratioText(ratio(ROUNDUP_PG, BARE_BOLT)),
          ]);
        }
      }
      table(
        'Acknowledgements: roundup on PostgreSQL beside roundup on SQLite (the same rounds as the table above)',
        [
          'request, percentile',
          'roundup on SQLite',
          ROUNDUP_PG,
          'PostgreSQL / SQLite (spread)',
          'PostgreSQL / bare Bolt (spread)',
        ],
        pgRows,
        `${ROUNDUP_PG} is one more server in the same interleaving (${SAMPLES} requests per server, kind and round), with its own team and talk, its database on ${postgresServer}, reached through a pool of 10 connections (DATABASE_POOL_SIZE's default). A ratio is the median of the three rounds' ratios (lowest–highest round).`,
      );
    }
    table(
      'CPU per request (from /proc, over all three rounds; what is done after the ack included)',
      ['request', ROUNDUP, BARE_BOLT, ...(pg ? [ROUNDUP_PG] : [])],
      kinds.map(([kind]) => {
        const c = cpu.get(kind)!;
        return [
          kind,
          `${round((1000 * c.ours) / c.requests)} µs`,
          `${round((1000 * c.bare) / c.requests)} µs`,
          ...(pg ? [`${round((1000 * c.pg) / c.requests)} µs`] : []),
        ];
      }),
      `Clock ticks of 10 ms, summed over about a thousand requests each.${pg ? " roundup on PostgreSQL's figure is its own process only, not the PostgreSQL server's." : ''}`,
    );
    const modal = percentiles(toModal);
    // A Slack call made before an ack would add the fake's delay to every such ack: it shows in the p50s,
    // whatever the machine's noise does to the tail. test/slack/ack-first.test.ts proves it call by call.
    const worstP50 = Math.max(
      ...kinds.map(([kind]) => spread(results.get(kind)!.map((m) => m.get(ROUNDUP)!.p50)).max),
    );
    check(
      'Slack calls before an ack',
      `${authTests} auth.test calls during ${acks} requests; slowest round's p50 ${ms(worstP50)} against Slack's ${SLACK_DELAY_MS} ms; ${slowAcks} single acks took ${SLACK_DELAY_MS} ms or more`,
      `none (no auth.test, every p50 under ${SLACK_DELAY_MS} ms)`,
      authTests === 0 && worstP50 < SLACK_DELAY_MS,
    );
    check(
      '/roundup talk 1 to views.open arriving at Slack, p99',
      ms(modal.p99),
      '≤ 100 ms',
      modal.p99 <= 100,
    );
    json.acks = {
      rounds: Object.fromEntries([...results].map(([k, v]) => [k, v.map((m) => Object.fromEntries(m))])),
      authTests,
      slowAcks,
      acks,
      toModal: modal,
    };

    await benchDraftOverHttp(slack, bot, file);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await schema?.drop();
  }
}

/**
 * The draft of 10 talks and 20 photos in the bot, while another client sends `/roundup help` one at a time:
 * how much later its acks come than when no draft runs.
 */
async function benchDraftOverHttp(slack: FakeSlack, bot: Server, file: string): Promise<void> {
  console.log('\na draft in the bot while other requests arrive');
  const store = await openStore(file);
  try {
    // Nine more talks, each with a speaker photo; a header photo; nine photos of the evening: 20 in all.
    const base = await basePhoto(...SMALL_PHOTO);
    let uploaded = 0;
    const upload = (name: string) => {
      const bytes = photoVariant(base, uploaded++);
      const file = slack.addPrivateFile({ name, mimetype: 'image/jpeg', bytes });
      return slack.fileObject(file.id) as object;
    };
    const first = await openedMetadata(slack, bot, 'talk 1');
    await post(
      bot.url,
      submitBody(CALLBACK.talk, talkValues(november.meetup.talks[0]!, upload('t1.jpg')), first),
    );
    for (let i = 2; i <= 10; i++) {
      const metadata = await openedMetadata(slack, bot, 'talk new');
      const talk = { ...november.meetup.talks[i % 3]!, title: `Talk ${i}`, photo: undefined };
      await post(bot.url, submitBody(CALLBACK.talk, talkValues(talk, upload(`t${i}.jpg`)), metadata));
    }
    const edit = await openedMetadata(slack, bot, 'edit');
    await post(
      bot.url,
      submitBody(
        CALLBACK.meetup,
        {
          ...meetupValues({ ...november.meetup, headerPhoto: undefined }),
          [MEETUP.headerPhotoFile]: input.files([upload('header.jpg')]),
        },
        edit,
      ),
    );
    const photos = await openedMetadata(slack, bot, 'photo');
    await post(
      bot.url,
      submitBody(
        CALLBACK.photo,
        {
          [PHOTO.role]: input.staticSelect('other'),
          [PHOTO.files]: input.files(Array.from({ length: 9 }, (_, i) => upload(`p${i}.jpg`))),
          [PHOTO.urls]: input.text(null),
          [PHOTO.alt]: input.text('The evening'),
        },
        photos,
      ),
    );
    await until(
      async () => {
        // No faster: each look is a read of the bot's database, on the cores the bot is using.
        await new Promise((res) => setTimeout(res, 100));
        const meetup = await store.currentMeetup(TEAM);
        const stored = [
          meetup?.headerPhoto,
          ...(meetup?.photos ?? []),
          ...(meetup?.talks ?? []).map((t) => t.photo),
        ];
        return stored.filter((p) => p?.stored).length >= 20;
      },
      60_000,
      'the 20 photos to be stored',
    );

    const probe = async (whileDrafting: () => boolean, stopAt: () => boolean) => {
      const out: number[] = [];
      while (!stopAt()) {
        const elapsed = await post(bot.url, slashCommandBody({ text: 'help' }));
        if (whileDrafting()) out.push(elapsed);
      }
      return out;
    };
    // Idle: the same prober with no draft running.
    const idleUntil = performance.now() + 3000;
    const idle = await probe(
      () => true,
      () => performance.now() > idleUntil,
    );
    let drafting = false;
    let done = false;
    const draftMs: number[] = [];
    const during = probe(
      () => drafting,
      () => done,
    );
    for (let i = 0; i < 10; i++) {
      const uploads = slack.callsTo('files.completeUploadExternal').length;
      const t = performance.now();
      drafting = true;
      await post(bot.url, slashCommandBody({ text: 'draft', responseUrl: slack.issueResponseUrl() }));
      await until(
        async () => slack.callsTo('files.completeUploadExternal').length > uploads,
        30_000,
        'the draft',
      );
      draftMs.push(performance.now() - t);
      drafting = false;
      await new Promise((res) => setTimeout(res, 300));
    }
    done = true;
    const busy = percentiles(await during);
    const quiet = percentiles(idle);
    const draft = percentiles(draftMs);
    table(
      'A draft of 10 talks and 20 photos in the bot, and the other requests meanwhile',
      ['figure', 'p50', 'p99', 'max'],
      [
        ['/roundup help ack, no draft running', ms(quiet.p50), ms(quiet.p99), ms(quiet.max)],
        ['/roundup help ack, while a draft runs', ms(busy.p50), ms(busy.p99), ms(busy.max)],
        ['the draft, command to its files shared in Slack', ms(draft.p50), ms(draft.p99), ms(draft.max)],
      ],
      `One client sends \`/roundup help\` one at a time throughout; ten drafts run one after another. The draft's own time is mostly its ${SLACK_DELAY_MS} ms Slack calls, made one after another.`,
    );
    // The tail, not the single worst ack: with no draft running the same prober sees outliers of the same
    // size (the machine's own noise, in the table), so the max alone would measure the machine.
    check(
      'help delayed while a draft runs (p99 while drafting − p50 with none; max while drafting, max with none)',
      `${ms(busy.p99 - quiet.p50)}; ${ms(busy.max)}, ${ms(quiet.max)}`,
      '≤ 20 ms',
      busy.p99 - quiet.p50 <= 20,
    );
    json.draftOverHttp = { idle: quiet, during: busy, draft };
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Submissions with 1, 100 and 10,000 teams stored.

async function benchTeams(slack: FakeSlack, work: string): Promise<void> {
  console.log('\nsubmissions as teams are stored');
  const file = path.join(work, 'teams.db');
  const bot = await startRoundup(slack, file);
  const bare = await startBareBolt(slack);
  const store = await openStore(file);
  try {
    const editMetadata = await seedTeam(slack, bot);
    let stored = 1;
    const addTeams = async (upTo: number) => {
      for (let start = stored; start < upTo; start += 500) {
        await store.transaction(async (s) => {
          for (let t = start; t < Math.min(upTo, start + 500); t++) {
            const team = `T${String(t).padStart(9, '0')}`;
            await s.saveGroup(team, november.group);
            await s.createMeetup(team, november.meetup);
          }
        });
      }
      stored = upTo;
    };
    const rows: Array<Array<string | number>> = [];
    for (const teams of [1, 100, 10_000]) {
      await addTeams(teams);
      let n = teams * 1000;
      const samples = await interleaved([ROUNDUP, BARE_BOLT], 200, async (target) =>
        post(
          target === ROUNDUP ? bot.url : bare.url,
          submitBody(
            CALLBACK.talk,
            talkValues({ ...november.meetup.talks[0]!, title: `Take ${n++}` }),
            editMetadata,
          ),
        ),
      );
      const ours = percentiles(samples.get(ROUNDUP)!);
      const base = percentiles(samples.get(BARE_BOLT)!);
      rows.push([teams.toLocaleString('en-GB'), ms(ours.p50), ms(ours.p99), ms(base.p50), ms(base.p99)]);
    }
    table(
      'Talk form submission ack as teams are stored',
      [
        'teams stored (each a group and a 3-talk meetup)',
        'roundup p50',
        'roundup p99',
        'bare Bolt p50',
        'bare Bolt p99',
      ],
      rows,
      '200 submissions each, interleaved with bare Bolt.',
    );
    json.teams = rows;
  } finally {
    await store.close();
    await Promise.all([bot.stop(), bare.stop()]);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Throughput on PostgreSQL: one replica, and two on the same database.

async function benchReplicas(slack: FakeSlack): Promise<void> {
  console.log('\nthroughput, one replica and two on one PostgreSQL database');
  const total = Number(process.env.BENCH_REPLICA_SUBMISSIONS ?? 400);
  const inFlight = 16;
  const teams = 16;
  const schema = await freshSchema('replicas');
  const a = await startRoundup(slack, schema.url, roundupNodeArgs, 'replica A');
  const b = await startRoundup(slack, schema.url, roundupNodeArgs, 'replica B');
  try {
    // Sixteen teams, each a group, a meetup and a talk, saved through A (B reads them from the database):
    // submissions in flight at once edit different teams' talks, as a busy evening across workspaces would,
    // rather than all queueing on one row's lock.
    const edits: Array<{ teamId: string; metadata: string }> = [];
    for (let t = 0; t < teams; t++) {
      const teamId = `T0BENCH${String(t).padStart(3, '0')}`;
      edits.push({ teamId, metadata: await seedTeam(slack, a, teamId) });
    }
    let n = 0;
    const bodies = (count: number) =>
      Array.from({ length: count }, () => {
        const i = n++;
        const edit = edits[i % teams]!;
        const talk = { ...november.meetup.talks[0]!, title: `Deployments with Kapitan, take ${i}` };
        return submitBody(CALLBACK.talk, talkValues(talk), edit.metadata, edit.teamId);
      });
    // Each replica answers a submission with a plain ack, not the form's errors: the save happened.
    for (const replica of [a, b]) {
      const [body] = bodies(1);
      const reply = await fetch(replica.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...signRequest(body!, SECRET) },
        body,
      });
      const text = await reply.text();
      if (reply.status !== 200 || text.includes('errors'))
        throw new Error(`${replica.name} answered ${reply.status} ${text}`);
    }
    /**
     * `count` submissions, at most `inFlight` at a time, the i-th to `urls[i % urls.length]`. One not acked
     * within 3 s (Slack's limit, and Bolt's, which then answers 404 itself) is counted, not waited for.
     */
    const burst = async (urls: string[], count: number) => {
      const prepared = bodies(count);
      const acks: number[] = [];
      let late = 0;
      const cpuBefore = cpuMs(a.child.pid!) + cpuMs(b.child.pid!);
      let next = 0;
      const t = performance.now();
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next < count) {
            const i = next++;
            try {
              acks.push(await post(urls[i % urls.length]!, prepared[i]!));
            } catch (err) {
              if (!/answered HTTP 404/.test(String(err))) throw err;
              late++;
            }
          }
        }),
      );
      const seconds = (performance.now() - t) / 1000;
      const cpu = cpuMs(a.child.pid!) + cpuMs(b.child.pid!) - cpuBefore;
      return { perSecond: acks.length / seconds, late, cpuUs: (1000 * cpu) / count, ...percentiles(acks) };
    };
    const configs: Array<[string, string[]]> = [
      ['one replica', [a.url]],
      ['two replicas, round-robin', [a.url, b.url]],
    ];
    await burst([a.url, b.url], 200);
    const rounds: Array<Record<string, Awaited<ReturnType<typeof burst>>>> = [];
    for (let r = 0; r < ROUNDS; r++) {
      const out: Record<string, Awaited<ReturnType<typeof burst>>> = {};
      // One, two; then two, one: neither always runs first.
      for (const [name, urls] of r % 2 === 0 ? configs : [...configs].reverse())
        out[name] = await burst(urls, total);
      rounds.push(out);
    }
    const over = (name: string, f: (x: Awaited<ReturnType<typeof burst>>) => number) =>
      spread(rounds.map((r) => f(r[name]!)));
    const withSpread = (x: Spread, unit: string) =>
      `${round(x.median)}${unit} (${round(x.min)}–${round(x.max)})`;
    const ratio = spread(rounds.map((r) => r[configs[1]![0]]!.perSecond / r[configs[0]![0]]!.perSecond));
    table(
      'Throughput on PostgreSQL: talk form submissions to one replica, and to two on the same database',
      [
        'replicas',
        'submissions acked a second (spread)',
        'ack p50',
        'ack p99',
        'not acked within 3 s, all rounds',
        'roundup CPU per submission',
      ],
      [
        ...configs.map(([name]) => [
          name,
          withSpread(
            over(name, (x) => x.perSecond),
            '',
          ),
          ms(over(name, (x) => x.p50).median),
          ms(over(name, (x) => x.p99).median),
          rounds.reduce((sum, r) => sum + r[name]!.late, 0),
          `${round(over(name, (x) => x.cpuUs).median)} µs`,
        ]),
        ['two / one', ratioText(ratio), '', '', '', ''],
      ],
      `${total} submissions a round, at most ${inFlight} in flight, spread over ${teams} teams' talks; first all to one roundup process, then round-robin over two processes on the same database (${postgresServer}), each with DATABASE_POOL_SIZE's default of 10 connections; ${ROUNDS} rounds, the order alternating, after a warm-up of 200; each figure the median round (lowest–highest). The CPU is the roundup processes' own (from /proc, what they do after the ack included), not the PostgreSQL server's. **Both processes share this machine's two cores, and the one PostgreSQL server, with each other and with the bench and its fake Slack: the ratio measures how the two contend here, not what a second machine would add.**`,
    );
    json.replicas = { total, inFlight, teams, rounds, ratio };
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await schema.drop();
  }
}

// ---------------------------------------------------------------------------------------------------------
// In this process: the render and the draft, as the meetup grows.

/** A photo of noise (which JPEG cannot shrink), about `pixels` × 0.55 bytes; made once per size. */
const photoBases = new Map<number, Promise<Buffer>>();
function basePhoto(width: number, height: number): Promise<Buffer> {
  const key = width * 100_000 + height;
  if (!photoBases.has(key)) {
    const noise = { type: 'gaussian' as const, mean: 128, sigma: 40 };
    const create = { width, height, channels: 3 as const, background: '#788290', noise };
    photoBases.set(key, sharp({ create }).jpeg({ quality: 85 }).toBuffer());
  }
  return photoBases.get(key)!;
}
const SMALL_PHOTO: [number, number] = [760, 520];
const LARGE_PHOTO: [number, number] = [3400, 2550];

/** The base photo with a comment naming `i` after its start: a distinct file (and digest) per photo. */
function photoVariant(base: Buffer, i: number): Buffer {
  const text = Buffer.from(`photo ${i}`);
  const segment = Buffer.alloc(4 + text.length);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(2 + text.length, 2);
  text.copy(segment, 4);
  return Buffer.concat([base.subarray(0, 2), segment, base.subarray(2)]);
}

function meetupWith(talks: number, photos: number, folder: string, base?: Buffer): Roundup {
  fs.mkdirSync(folder, { recursive: true });
  const jpeg = (i: number) => {
    const file = `p${i}.jpg`;
    const target = path.join(folder, file);
    if (!fs.existsSync(target) && base) fs.writeFileSync(target, photoVariant(base, i));
    return { stored: { file, mimeType: 'image/jpeg' as const } };
  };
  const data = example();
  const template = data.meetup.talks[0];
  let next = 0;
  const photo = () => (next < photos ? jpeg(next++) : undefined);
  data.meetup.headerPhoto = photo();
  data.meetup.talks = Array.from({ length: talks }, (_, i) => ({
    ...template,
    title: `Talk ${i + 1}`,
    photo: photo(),
  }));
  data.meetup.photos = [];
  while (next < photos) data.meetup.photos.push({ role: 'other', alt: `Photo ${next}`, ...photo() });
  delete data.meetup.sentences;
  return roundupSchema.parse(data);
}

async function samplesOf(n: number, once: () => Promise<void> | void): Promise<number[]> {
  for (let i = 0; i < 5; i++) await once();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await once();
    out.push(performance.now() - t);
  }
  return out;
}

/** What a talk form submission does before its ack, step by step, in this process on a real SQLite file. */
async function benchSubmissionSteps(work: string): Promise<void> {
  console.log('\nsubmission steps');
  const store = await openStore(path.join(work, 'steps.db'));
  try {
    await store.saveGroup(TEAM, november.group);
    const meetup = await store.createMeetup(TEAM, november.meetup);
    const talk = meetup.talks[0]!;
    const values = stateValues(talkValues(november.meetup.talks[0]!));
    const form = readTalkModal(values as never, talk, false);
    if (!form.ok) throw new Error('the talk form does not read');
    let n = 0;
    const steps: Array<[string, () => unknown]> = [
      ['the team’s group (kept in memory; loaded for every request)', () => store.getGroup(TEAM)],
      ['the talk being edited (2 SELECTs)', () => store.getTalk(TEAM, meetup.id, talk.id)],
      ['the form read and validated', () => readTalkModal(values as never, talk, false)],
      ['the submission’s key (SHA-256 of its values)', () => submissionKey({ id: 'V1', state: { values } })],
      [
        'one transaction: the key claimed, the talk saved (INSERT, UPDATE, DELETE, INSERT, UPDATE)',
        () =>
          store.transaction(async (s) => {
            await s.claimDelivery(TEAM, `view:${n++}`);
            return s.saveTalk(TEAM, meetup.id, { ...form.value.talk, id: talk.id });
          }),
      ],
      ['for scale: an empty transaction (BEGIN, COMMIT)', () => store.transaction(async () => undefined)],
    ];
    const rows: Array<Array<string | number>> = [];
    for (const [name, step] of steps) {
      const s = percentiles(await samplesOf(2000, async () => void (await step())));
      rows.push([name, `${round(s.p50 * 1000)} µs`, `${round(s.p99 * 1000)} µs`]);
    }
    table(
      'A talk form submission before its ack, step by step (in this process, on a SQLite file)',
      ['step', 'p50', 'p99'],
      rows,
      'Bolt’s own work (reading the body, checking the signature, running the middleware) comes before these, and the ack after.',
    );
    json.steps = rows;
  } finally {
    await store.close();
  }
}

async function benchRender(): Promise<void> {
  console.log('\nrender');
  const rows: Array<Array<string | number>> = [];
  for (const talks of [3, 10, 20]) {
    const roundup = meetupWith(talks, 0, path.join(os.tmpdir(), 'unused'));
    const s = percentiles(
      await samplesOf(100, () => {
        const post = renderPost(roundup);
        buildPostPreview(post.content, { maxBlocks: 44 });
      }),
    );
    rows.push([talks, ms(s.p50), ms(s.p99), ms(s.max)]);
  }
  table(
    'Render: the post and its Slack preview, by number of talks',
    ['talks', 'p50', 'p99', 'max'],
    rows,
    'One synchronous step: its time is also how long it holds the event loop.',
  );
  json.render = rows;
}

async function benchDraft(work: string): Promise<void> {
  console.log('\ndraft');
  const rows: Array<Array<string | number>> = [];
  const cases: Array<[number, [number, number]]> = [
    [0, SMALL_PHOTO],
    [20, SMALL_PHOTO],
    [40, SMALL_PHOTO],
    [20, LARGE_PHOTO],
  ];
  for (const [photos, size] of cases) {
    const base = await basePhoto(...size);
    const folder = path.join(work, `photos-${size.join('x')}`);
    const roundup = meetupWith(10, photos, folder, base);
    const once = async () => {
      const post = renderPost(roundup);
      buildPostPreview(post.content, { maxBlocks: 44 });
      const pkg = await buildDraftPackage(post, folder);
      // What the upload reads: every byte of the archive.
      for await (const _chunk of pkg.zip.stream());
    };
    const watch = () => {
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      const sampler = setInterval(() => {
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      }, 5);
      const loop = monitorEventLoopDelay({ resolution: 1 });
      loop.enable();
      return () => {
        loop.disable();
        clearInterval(sampler);
        return { blocked: loop.max / 1e6, memory: (rssPeak - rssBefore) / 2 ** 20 };
      };
    };
    // The first draft of a meetup also makes the web-ready copies of its photos; later drafts reuse them.
    const firstWatch = watch();
    const t = performance.now();
    await once();
    const firstMs = performance.now() - t;
    const first = firstWatch();
    // Three rounds of later drafts: the median round, with the lowest and highest beside it.
    const rounds: Array<{ p50: number; p99: number; blocked: number; memory: number }> = [];
    for (let r = 0; r < ROUNDS; r++) {
      const steadyWatch = watch();
      const s = percentiles(await samplesOf(size === LARGE_PHOTO ? 5 : 30, once));
      rounds.push({ ...s, ...steadyWatch() });
    }
    const over = (f: (r: (typeof rounds)[number]) => number) => spread(rounds.map(f));
    const withSpread = (x: Spread) => `${ms(x.median)} (${ms(x.min)}–${ms(x.max)})`;
    rows.push([
      photos,
      photos ? `${size.join(' × ')} (${round(base.length / 1e6)} MB each)` : '',
      ms(firstMs),
      ms(first.blocked),
      `${round(first.memory)} MB`,
      ms(over((r) => r.p50).median),
      withSpread(over((r) => r.p99)),
      withSpread(over((r) => r.blocked)),
      `${round(over((r) => r.memory).max)} MB`,
    ]);
    if (photos === 20 && size === SMALL_PHOTO) {
      const p99 = over((r) => r.p99);
      const blocked = over((r) => r.blocked);
      check(
        'draft of 10 talks + 20 photos (web copies made), p99',
        withSpread(p99),
        '≤ 40 ms',
        p99.median <= 40,
      );
      check(
        'longest event-loop block while drafting it (later drafts; the first in the table)',
        withSpread(blocked),
        '≤ 20 ms',
        blocked.median <= 20,
      );
    }
  }
  table(
    'Draft: 10 talks, render + preview + photos made web-ready + the .zip read to its end',
    [
      'photos',
      'photo size',
      'first draft',
      'its longest event-loop block',
      'its peak memory',
      'later drafts p50',
      'p99 (spread of 3 rounds)',
      'longest event-loop block (spread)',
      'peak memory',
    ],
    rows,
    'Photos are JPEGs of noise (which does not compress), each a distinct file. The first draft of a meetup makes the web-ready copy of each photo (at most 1,600 pixels wide); later drafts reuse them. The longest block is `perf_hooks.monitorEventLoopDelay` (1 ms resolution) over the runs; peak memory is the resident set above where it started. The .zip is streamed as the upload would read it.',
  );
  json.draft = rows;
}

// ---------------------------------------------------------------------------------------------------------
// The reminder tick, against the fake Slack in a process of its own.

async function fakeSlackProcess(): Promise<{ apiUrl: string; botToken: string; stop: () => void }> {
  const child = spawn(process.execPath, [path.join(__dirname, 'fake-slack-server.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_SLACK_DELAY_MS: String(SLACK_DELAY_MS) },
  });
  const line = await new Promise<string>((resolve) =>
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString())),
  );
  return { ...(JSON.parse(line) as { apiUrl: string; botToken: string }), stop: () => child.kill('SIGTERM') };
}

/** One database the tick runs on: seeded with 1,000 groups of 100 reminders each, and 100 due. */
interface TickBed {
  name: BackendName;
  raw: RawSql;
  deps: Deps;
  /** `pending` of the not-due rows left pending (the rest marked sent), and whether the 100 due are pending. */
  arrange(pending: number, withDue: boolean): Promise<void>;
  resetDue(): Promise<void>;
  close(): Promise<void>;
}

const SQLITE_NAME = 'SQLite';
const POSTGRES_NAME = 'PostgreSQL';
type BackendName = typeof SQLITE_NAME | typeof POSTGRES_NAME;

async function tickBed(
  name: BackendName,
  database: string,
  base: Omit<Deps, 'store'>,
  drop: () => Promise<void> = async () => undefined,
): Promise<TickBed> {
  // The store creates the tables; the rows go in as plain SQL, 500 to a statement, in one transaction (the
  // store's API would take minutes for 100,000 reminders on PostgreSQL).
  await (await openStore(database)).close();
  const raw = name === SQLITE_NAME ? sqliteRaw(database) : await postgresRaw(database);
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
  const groups: unknown[][] = [];
  const meetups: unknown[][] = [];
  const reminders: unknown[][] = [];
  const due: string[] = [];
  for (let g = 0; g < 1000; g++) {
    const team = `T${String(g).padStart(9, '0')}`;
    groups.push([`g${g}`, team, `Group ${g}`, stamp, stamp]);
    meetups.push([`m${g}`, team, `g${g}`, next, stamp, stamp]);
    for (let r = 0; r < 100; r++) {
      const fireAt = new Date(Date.parse('2026-12-03T00:00:00Z') + (g * 100 + r) * 60_000).toISOString();
      reminders.push([`r${g}-${r}`, team, `m${g}`, `C${String(r).padStart(9, '0')}`, fireAt, stamp, stamp]);
    }
    if (g < 100) {
      due.push(`due${g}`);
      reminders.push([`due${g}`, team, `m${g}`, 'C1DUE00001', '2026-12-02T10:00:00.000Z', stamp, stamp]);
    }
  }
  const seeded = performance.now();
  await raw.run('begin');
  await insertRows(
    raw,
    'insert into groups (id, team_id, name, time_zone, signature, location, organisers, organisers_channel, community_channels, template, reminder_plan, created_at, updated_at)',
    `(?, ?, ?, 'Europe/London', 'The organisers', null, '[]', 'C0ORGS0001', '["C0COMM0001"]', 'classic', '[]', ?, ?)`,
    groups,
  );
  await insertRows(
    raw,
    'insert into meetups (id, team_id, group_id, date, start_time, status, venue, host, intro, sponsors, video, extras, next_meetup, sentences, created_at, updated_at)',
    `(?, ?, ?, '2026-11-04', '18:30', 'held', null, null, null, '[]', null, '[]', ?, '{}', ?, ?)`,
    meetups,
  );
  await insertRows(
    raw,
    'insert into reminders (id, team_id, meetup_id, kind, channel, event_date, fire_at, status, attempts, created_at, updated_at)',
    `(?, ?, ?, 'before:7@10:00', ?, '2026-12-09', ?, 'pending', 0, ?, ?)`,
    reminders,
  );
  await raw.run('commit');
  console.log(`  ${name}: ${reminders.length} reminders seeded in ${ms(performance.now() - seeded)}`);
  // After a bulk change: SQLite's log folded back into the file; PostgreSQL's dead rows cleared and its
  // statistics brought up to date, as autovacuum would between such changes, so the planner sees the rows.
  const settle = () =>
    raw.run(name === SQLITE_NAME ? 'pragma wal_checkpoint(TRUNCATE)' : 'vacuum analyze reminders');
  await settle();
  const dueList = due.map(() => '?').join(',');
  const resetDue = () =>
    raw.run(
      `update reminders set status = 'pending', claimed_at = null, claim_token = null, message_ts = null, posted_channel = null, attempts = 0 where id in (${dueList})`,
      due,
    );
  const store = await openStore(database);
  return {
    name,
    raw,
    deps: { ...base, store },
    resetDue,
    arrange: async (pending, withDue) => {
      await raw.run(`update reminders set status = 'sent' where id not like 'due%'`);
      if (pending > 0)
        await raw.run(
          `update reminders set status = 'pending' where id in (select id from reminders where id not like 'due%' limit ?)`,
          [pending],
        );
      if (withDue) await resetDue();
      else await raw.run(`update reminders set status = 'sent' where id in (${dueList})`, due);
      // Only PostgreSQL: SQLite's figures stay as they were measured before PostgreSQL was added.
      if (name === POSTGRES_NAME) await settle();
    },
    close: async () => {
      await store.close();
      await raw.close();
      await drop();
    },
  };
}

async function benchTick(work: string): Promise<void> {
  console.log('\nreminder tick');
  const slack = await fakeSlackProcess();
  const now = new Date('2026-12-02T10:00:30Z');
  const client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl });
  // As create-app.ts makes the scheduler's client: a timeout per call, no retries by the client.
  const reminderClient = new WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    timeout: 10_000,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  const quiet = () => undefined;
  const logger = {
    debug: quiet,
    info: quiet,
    warn: quiet,
    error: quiet,
    setLevel: quiet,
    getLevel: () => 'error',
    setName: quiet,
  };
  const base: Omit<Deps, 'store'> = {
    workspaces: new SingleWorkspace(slack.botToken, () => ({ client, reminderClient })),
    fileHosts: [],
    photosDir: work,
    logger: logger as never,
    now: () => now,
    reminderGraceMs: 2 * 3600_000,
    slackTimeoutMs: 10_000,
    speakerLinks: {},
    inFlight: new InFlight(),
  };
  const beds: TickBed[] = [];
  try {
    beds.push(await tickBed(SQLITE_NAME, path.join(work, 'tick.db'), base));
    if (POSTGRES_URL) {
      const schema = await freshSchema('tick');
      beds.push(await tickBed(POSTGRES_NAME, schema.url, base, schema.drop));
    }
    await tickOn(beds, reminderClient, now);
  } finally {
    for (const bed of beds) await bed.close();
    slack.stop();
  }
}

async function tickOn(beds: TickBed[], reminderClient: WebClient, now: Date): Promise<void> {
  const bed = new Map(beds.map((b) => [b.name, b]));
  const tick = async (b: TickBed, expectSent: number) => {
    const t = performance.now();
    const result = await runTick(b.deps, now);
    const elapsed = performance.now() - t;
    if (result.sent !== expectSent) throw new Error(`the tick sent ${result.sent}, not ${expectSent}`);
    return elapsed;
  };
  const message = {
    text: 'Cloud Native London is next week',
    blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'x' } }],
  };
  /** The same 100 posts with nothing else, 16 at a time as the tick sends them: Slack's side of the tick. */
  const postsAlone = async () => {
    const t = performance.now();
    let sent = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (sent < 100) {
          sent++;
          await reminderClient.chat.postMessage({ channel: 'C1DUE00001', ...message });
        }
      }),
    );
    return performance.now() - t;
  };

  const names = beds.map((b) => b.name);
  const rows: Array<Array<string | number>> = [];
  const cases: Array<[number, boolean, string]> = [
    [0, false, '0'],
    [100, false, '100'],
    [0, true, '100 (all due)'],
    [100_000, false, '100,000'],
    [100_000, true, '100,100 (100 due)'],
  ];
  for (const [pending, withDue, label] of cases) {
    for (const b of beds) await b.arrange(pending, withDue);
    // Ticks on the backends in turn; the first few of each are warm-up.
    const samples = await interleaved(
      names,
      withDue ? 13 : 35,
      async (name) => {
        const b = bed.get(name as BackendName)!;
        if (withDue) await b.resetDue();
        return tick(b, withDue ? 100 : 0);
      },
      withDue ? 2 : 5,
    );
    const row: Array<string | number> = [label, withDue ? 100 : 0];
    for (const name of names) {
      const s = percentiles(samples.get(name)!);
      row.push(ms(s.p50), ms(s.p99));
    }
    rows.push(row);
  }
  table(
    'The reminder tick, by reminders pending and due',
    ['pending', 'due', ...names.flatMap((n) => [`${n} p50`, `${n} p99`])],
    rows,
    `Each post answered by the fake Slack after ${SLACK_DELAY_MS} ms, in a process of its own. A tick that is due claims, posts (16 at a time), and records each reminder. The backends' ticks alternate, each on its own copy of the same rows${beds.length > 1 ? '; after each change of the 100,000 rows, PostgreSQL is vacuumed and analysed, as autovacuum would do' : ''}.`,
  );

  // The target: the tick posting 100 against the same 100 posts alone, interleaved, three rounds.
  for (const b of beds) await b.arrange(100_000, true);
  const ALONE = 'the same 100 posts alone, 16 at a time';
  const targets = [...names, ALONE];
  const roundsOut: Array<Record<string, Percentiles>> = [];
  for (let r = 0; r < ROUNDS; r++) {
    const samples = await interleaved(
      targets,
      10,
      async (name) => {
        if (name === ALONE) return postsAlone();
        const b = bed.get(name as BackendName)!;
        await b.resetDue();
        return tick(b, 100);
      },
      0,
    );
    roundsOut.push(Object.fromEntries(targets.map((t) => [t, percentiles(samples.get(t)!)])));
  }
  const over = (f: (r: Record<string, Percentiles>) => number) => spread(roundsOut.map(f));
  const ratios = new Map<string, Spread>(names.map((n) => [n, over((r) => r[n]!.p50 / r[ALONE]!.p50)]));
  const pgOverSqlite = bed.has(POSTGRES_NAME)
    ? {
        p50: over((r) => r[POSTGRES_NAME]!.p50 / r[SQLITE_NAME]!.p50),
        p99: over((r) => r[POSTGRES_NAME]!.p99 / r[SQLITE_NAME]!.p99),
      }
    : undefined;
  table(
    'The tick posting 100 due reminders of 100,100 pending, against the same 100 posts alone',
    [
      '',
      'p50',
      'p99',
      'p50 / posts alone (spread)',
      ...(pgOverSqlite ? ['PostgreSQL / SQLite (spread)'] : []),
    ],
    targets.map((t) => [
      t === ALONE ? t : `the tick on ${t}`,
      ms(over((r) => r[t]!.p50).median),
      ms(over((r) => r[t]!.p99).median),
      ratios.has(t) ? ratioText(ratios.get(t)!) : '',
      ...(pgOverSqlite
        ? [
            t === POSTGRES_NAME
              ? `p50 ${ratioText(pgOverSqlite.p50)}, p99 ${ratioText(pgOverSqlite.p99)}`
              : '',
          ]
        : []),
    ]),
    `Three rounds of 10 each, the ${targets.length} in turn (ABC, BCA, ...); a figure is the median of the rounds' percentiles, a ratio the median of the rounds' ratios (lowest–highest round in brackets).`,
  );
  for (const [name, ratio] of ratios) {
    check(
      `tick posting 100 due (of 100,100 pending) / the same 100 posts alone, p50${name === SQLITE_NAME ? '' : `, on ${name}`}`,
      ratioText(ratio),
      '≤ 1.5x',
      ratio.median <= 1.5,
    );
  }
  json.tick = {
    rows,
    rounds: roundsOut,
    ratio: ratios.get(SQLITE_NAME),
    ...(pgOverSqlite ? { ratioPostgres: ratios.get(POSTGRES_NAME), postgresOverSqlite: pgOverSqlite } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Where a submission's CPU time goes (BENCH_ONLY=profile).

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

async function profileSubmissions(work: string): Promise<void> {
  const count = Number(process.env.BENCH_PROFILE_REQUESTS ?? 3000);
  // BENCH_PROFILE_KIND=help or talk profiles that command instead of the talk form submission.
  const kind = process.env.BENCH_PROFILE_KIND ?? 'submission';
  const what =
    kind === 'submission'
      ? 'talk form submissions'
      : `\`/roundup ${kind === 'talk' ? 'talk 1' : 'help'}\` commands`;
  const slack = await FakeSlack.start({ delayMs: SLACK_DELAY_MS });
  // BENCH_PROFILE_DIR keeps the .cpuprofile files (Chrome's DevTools open them).
  const profiles = process.env.BENCH_PROFILE_DIR ?? work;
  const profiled = (name: string) => ['--cpu-prof', `--cpu-prof-dir=${path.join(profiles, name)}`];
  const parts: string[] = [];
  let editMetadata = '';
  try {
    for (const name of [ROUNDUP, BARE_BOLT]) {
      const server =
        name === ROUNDUP
          ? await startRoundup(slack, path.join(work, 'profile.db'), profiled(name))
          : await startServer(
              BARE_BOLT,
              [...profiled(name), path.join(__dirname, 'bare-bolt.js')],
              botEnv(slack),
              {
                cwd: ROOT,
              },
            );
      let wall: number;
      try {
        // Bare Bolt only acknowledges: it is sent the same submissions, with roundup's metadata.
        if (name === ROUNDUP) editMetadata = await seedTeam(slack, server);
        const t = performance.now();
        for (let i = 0; i < count; i++) {
          const values = talkValues({ ...november.meetup.talks[0]!, title: `Take ${i}` });
          const text = kind === 'talk' ? 'talk 1' : 'help';
          await post(
            server.url,
            kind === 'submission'
              ? submitBody(CALLBACK.talk, values, editMetadata)
              : slashCommandBody({ text, triggerId: slack.issueTriggerId() }),
          );
        }
        wall = performance.now() - t;
      } finally {
        await server.stop();
      }
      parts.push(summariseProfile(name, path.join(profiles, name), count, wall));
    }
  } finally {
    await slack.stop();
  }
  const md = [
    `CPU profiles (\`node --cpu-prof\`) of roundup and of bare Bolt, each answering ${count} ${what} sent one at a time, made with \`BENCH_ONLY=profile npm run bench\` on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}. Start-up is included in each profile. Self time is charged to the function running when the profiler sampled; a blocking system call (a socket write that wakes the reader) is charged to the JavaScript function that made it.`,
    '',
    ...parts,
  ].join('\n');
  fs.writeFileSync(path.join(ROOT, 'bench', `profile-${kind}.md`), md);
  console.log(md);
}

function summariseProfile(name: string, dir: string, count: number, wallMs: number): string {
  const [profileFile] = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (!profileFile) throw new Error(`no profile was written for ${name}`);
  const profile = JSON.parse(fs.readFileSync(path.join(dir, profileFile), 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const idle = (n: ProfileNode) => ['(idle)', '(program)', '(root)'].includes(n.callFrame.functionName);
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  const byOurs = new Map<string, number>();
  const parent = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const relative = (url: string) => url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '');
  const ours = (url: string) => url.includes(`${ROOT}/dist/`);
  const source = (url: string) =>
    relative(url)
      .replace(/^dist\//, 'src/')
      .replace(/\.js$/, '.ts');
  let busy = 0;
  for (const node of profile.nodes) {
    const self = selfMs.get(node.id) ?? 0;
    if (idle(node) || self === 0) continue;
    busy += self;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = relative(url);
    const fn = `${functionName || '(anonymous)'}${where ? ` ${ours(url) ? source(url) : where}:${lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + self);
    const area =
      functionName === '(garbage collector)'
        ? 'garbage collection'
        : where.includes('node_modules/')
          ? `node_modules/${/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where)?.[1]}`
          : ours(url)
            ? `roundup: ${source(url)}`
            : where
              ? 'Node.js internals'
              : 'native (V8, libuv, SQLite, crypto, system calls)';
    byArea.set(area, (byArea.get(area) ?? 0) + self);
    // Charged to the innermost roundup function on the stack: what our code's choices cost, with the
    // library and native work they call.
    let frame: ProfileNode | undefined = node;
    while (frame && !ours(frame.callFrame.url)) frame = parent.get(frame.id);
    const mine = frame
      ? `${frame.callFrame.functionName || '(anonymous)'} ${source(frame.callFrame.url)}:${frame.callFrame.lineNumber + 1}`
      : 'no roundup code on the stack (Bolt, Node, start-up)';
    byOurs.set(mine, (byOurs.get(mine) ?? 0) + self);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([k, v]) =>
          `| ${k.replace(/\|/g, '\\|')} | ${round(v)} ms | ${round((1000 * v) / count)} µs | ${((100 * v) / busy).toFixed(1)}% |`,
      );
  const head = (what: string) => [`| ${what} | CPU | per request | share |`, '| --- | --- | --- | --- |'];
  return [
    `### ${name}`,
    '',
    `${count} requests in ${round(wallMs)} ms; ${round(busy)} ms of CPU in the process, ${round((1000 * busy) / count)} µs a request.`,
    '',
    ...head('where (self time)'),
    ...top(byArea, 12),
    '',
    ...head('function (self time)'),
    ...top(byFunction, 15),
    '',
    ...(name === ROUNDUP
      ? [...head('innermost roundup function on the stack (with what it calls)'), ...top(byOurs, 15), '']
      : []),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------

function writeResults(machine: string, started: { at: number; load: number }): void {
  const when = new Date().toISOString();
  const minutes = (Date.now() - started.at) / 60_000;
  const load = `load average ${started.load.toFixed(2)} at the start, ${os.loadavg()[0]!.toFixed(2)} at the end`;
  // The variable's name, never its value: a URL may hold a password.
  const variable = process.env.BENCH_DATABASE_URL ? 'BENCH_DATABASE_URL' : 'TEST_DATABASE_URL';
  const command = postgresServer ? `${variable}=postgres://… npm run bench` : 'npm run bench';
  const postgres = postgresServer || 'skipped: neither BENCH_DATABASE_URL nor TEST_DATABASE_URL was set';
  fs.writeFileSync(
    path.join(ROOT, 'bench', 'results.json'),
    `${JSON.stringify({ when, machine, postgres, command, samples: SAMPLES, slackDelayMs: SLACK_DELAY_MS, checks, ...json }, null, 2)}\n`,
  );
  const md = [
    `Measured ${when.slice(0, 10)} on ${machine}${postgresServer ? `, and ${postgresServer}` : ''}, with \`${command}\` (the fake Slack answering every call after ${SLACK_DELAY_MS} ms), in ${minutes.toFixed(1)} minutes; ${load}.`,
    '',
    ...(postgresServer ? [] : [POSTGRES_SKIPPED, '']),
    '### Targets',
    '',
    '| figure | measured | target | |',
    '| --- | --- | --- | --- |',
    ...checks.map((c) => `| ${c.figure} | ${c.value} | ${c.target} | ${c.met ? 'met' : '**missed**'} |`),
    '',
    ...sections.flatMap((s) => [s, '']),
  ].join('\n');
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.md'), md);
  console.log('\nwrote bench/results.json and bench/results.md');
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exitCode = 1;
});
