import { spawn } from 'node:child_process';
import BetterSqlite3 from 'better-sqlite3';
import { FAKE_DEFAULTS, TestBot } from '../support/bot';
import { loadRoundup } from '../support/fixtures';
import { meetupValues, setupValues, talkValues } from '../support/organiser-evening';

/**
 * Another process holding the database's write lock for a while (a backup, a second copy started by
 * mistake): a form submission waits within Slack's 3 seconds, or fails cleanly with its values kept, and
 * the file stays intact.
 */
const TEAM = FAKE_DEFAULTS.teamId;

/** A separate process that takes the write lock, says so, holds it for `ms`, then lets go. */
function holdWriteLock(file: string, ms: number): Promise<{ released: Promise<void> }> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec('BEGIN EXCLUSIVE');
    db.prepare("insert into deliveries (key, team_id, received_at) values ('lock-holder', 'T0', '2000-01-01')").run();
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('ROLLBACK'); db.close(); process.exit(0); }, Number(process.argv[2]));
  `;
  const child = spawn(process.execPath, ['-e', script, file, String(ms)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const released = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve({ released }));
    child.once('error', reject);
  });
}

describe('the database locked by another process', () => {
  let bot: TestBot;
  const november = loadRoundup('2018-11-cloud-native-london');

  beforeEach(async () => {
    bot = await TestBot.start();
    const organisers = bot.slack.addChannel({ name: 'organisers' });
    await bot.submit(await bot.open('setup'), setupValues(november, organisers, FAKE_DEFAULTS.userId));
    await bot.submit(await bot.open('new'), meetupValues(november.meetup));
  });
  afterEach(async () => {
    await bot.stop();
  });

  it('waits for a short lock and saves the talk within Slack’s 3 seconds', async () => {
    const view = await bot.open('talk new');
    const lock = await holdWriteLock(bot.config.databaseUrl, 700);
    const started = Date.now();
    const reply = await bot.submit(view, talkValues(november.meetup.talks[0]!));
    const took = Date.now() - started;
    await lock.released;
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('');
    expect(took).toBeLessThan(3000);
    expect((await bot.store.currentMeetup(TEAM))?.talks.map((t) => t.title)).toEqual([
      november.meetup.talks[0]!.title,
    ]);
  });

  it('fails cleanly inside Slack’s 3 seconds when the lock lasts, keeps the form, then saves on Save again', async () => {
    const view = await bot.open('talk new');
    const lock = await holdWriteLock(bot.config.databaseUrl, 4000);
    const started = Date.now();
    const reply = await bot.submit(view, talkValues(november.meetup.talks[0]!));
    const took = Date.now() - started;
    expect(took).toBeLessThan(3000);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      response_action: 'errors',
      errors: {
        talk_speaker:
          'Something went wrong saving this. Nothing you typed is lost: please press the button again.',
      },
    });
    await lock.released;

    const check = new BetterSqlite3(bot.config.databaseUrl, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(check.prepare('select count(*) as n from talks').get()).toEqual({ n: 0 });
    check.close();

    // The modal still holds what was typed: pressing Save again sends the same values, and now they land.
    const again = await bot.submit(view, talkValues(november.meetup.talks[0]!));
    expect(again.text).toBe('');
    expect((await bot.store.currentMeetup(TEAM))?.talks).toHaveLength(1);
  }, 15_000);
});
