import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config';
import { createSlackApp, type SlackApp } from '../../src/slack/create-app';
import type { SqlStore } from '../../src/store/sql-store';
import { openStore } from '../../src/store/sql-store';
import { FakeSlack } from '../support/fake-slack';
import { postToBolt, slashCommandBody } from '../support/slack-requests';
import { makeTempFolder } from '../support/temp-db';

const SIGNING_SECRET = '8f742231b10e8888abcd99aaaa85a5a1';

describe('the bot over HTTP', () => {
  let slack: FakeSlack;
  let store: SqlStore;
  let bot: SlackApp;
  let base: string;
  let cleanup: () => void;

  beforeAll(async () => {
    slack = await FakeSlack.start();
    const dir = makeTempFolder();
    cleanup = dir.remove;
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: dir.file(),
      LOG_LEVEL: 'error',
    });
    store = await openStore(config.databaseUrl);
    bot = createSlackApp(config, store, { identity: { botId: 'B0BOT00001', botUserId: 'U0BOT00001' } });
    const server = await bot.app.start(0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await bot.app.stop();
    await store.close().catch(() => undefined);
    await slack.stop();
    cleanup();
  });

  const roundup = (text: string, options: { secret?: string; timestamp?: number } = {}) =>
    postToBolt(`${base}/slack/events`, slashCommandBody({ text }), {
      signingSecret: options.secret ?? SIGNING_SECRET,
      timestamp: options.timestamp,
    });

  it('answers a bare /roundup and /roundup help with the list of commands, only to the caller', async () => {
    for (const text of ['', 'help', '  HELP  ']) {
      const reply = await roundup(text);
      expect(reply.status).toBe(200);
      expect(reply.json).toMatchObject({ response_type: 'ephemeral', text: 'roundup commands' });
      expect(JSON.stringify(reply.json)).toContain('`/roundup help`: this list');
    }
  });

  it('answers an unknown subcommand with the same help and a hint, never silence', async () => {
    const reply = await roundup('publsh <now>');
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      response_type: 'ephemeral',
      text: '"publsh" is not a roundup command. Try /roundup help.',
    });
    const blocks = JSON.stringify((reply.json as { blocks: unknown }).blocks);
    expect(blocks).toContain('`publsh` is not a roundup command');
    expect(blocks).toContain('`/roundup help`: this list');
  });

  it('refuses a forged signature and a timestamp older than five minutes', async () => {
    const callsBefore = slack.calls.length;
    expect((await roundup('help', { secret: 'f'.repeat(32) })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await roundup('help', { timestamp: stale })).status).toBe(401);
    expect(slack.calls.length).toBe(callsBefore);
  });

  it('reports whether the database answers at /healthz', async () => {
    const healthy = await fetch(`${base}/healthz`);
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toEqual({
      ok: true,
      database: 'ok',
      reminders: { failed: 0, skipped: 0 },
    });
    await store.close();
    const down = await fetch(`${base}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ ok: false, database: 'unreachable' });
  });
});
