import { createHmac, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, verifySlackRequest } from '@slack/bolt';
import { LogLevel as ClientLogLevel, WebAPIPlatformError, WebClient } from '@slack/web-api';
import { FAKE_DEFAULTS, FakeSlack, UPLOAD_METHOD } from './fake-slack';
import {
  blockActionsPayload,
  eventBody,
  input,
  interactionBody,
  postToBolt,
  signRequest,
  slashCommandBody,
  viewSubmissionPayload,
} from './slack-requests';

const CHANNEL = FAKE_DEFAULTS.channelId;

// Silent: the error responses these tests provoke on purpose would otherwise be logged.
const silentLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => ClientLogLevel.ERROR,
  setName: () => {},
};

/** The real client as the bot builds it, pointed at the fake, with retries quick enough for tests. */
function clientFor(fake: FakeSlack, token = fake.botToken): WebClient {
  return new WebClient(token, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 20 },
    timeout: 5000,
    logger: silentLogger,
  });
}

/** The Slack error code a call failed with (fails the test if it did not fail that way). */
async function platformError(call: Promise<unknown>): Promise<WebAPIPlatformError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof WebAPIPlatformError) return err;
    throw err;
  }
  throw new Error('expected the call to fail with a platform error');
}

const modal = (extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  callback_id: 'roundup_meetup',
  title: { type: 'plain_text' as const, text: 'New roundup' },
  submit: { type: 'plain_text' as const, text: 'Save' },
  blocks: [
    {
      type: 'input' as const,
      block_id: 'title',
      label: { type: 'plain_text' as const, text: 'Title' },
      element: { type: 'plain_text_input' as const, action_id: 'value' },
    },
  ],
  ...extra,
});

let fake: FakeSlack;
let client: WebClient;

beforeAll(async () => {
  fake = await FakeSlack.start();
  client = clientFor(fake);
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(() => fake.reset());

describe('auth and transport', () => {
  it('answers auth.test for the bot token like Slack', async () => {
    const auth = await client.auth.test();
    expect(auth).toMatchObject({
      ok: true,
      team_id: fake.teamId,
      user_id: FAKE_DEFAULTS.botUserId,
      bot_id: FAKE_DEFAULTS.botId,
    });
    expect(fake.callsTo('auth.test')).toHaveLength(1);
  });

  it('rejects a wrong token with invalid_auth and a missing one with not_authed', async () => {
    const wrong = await platformError(clientFor(fake, 'xoxb-wrong').auth.test());
    expect(wrong.data.error).toBe('invalid_auth');
    const missing = await platformError(new WebClient(undefined, { slackApiUrl: fake.apiUrl }).auth.test());
    expect(missing.data.error).toBe('not_authed');
  });

  it('accepts the token as a form field, and JSON bodies with a bearer token but not with a body token', async () => {
    const form = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: fake.botToken, channel: CHANNEL, text: 'form' }).toString(),
    });
    expect(await form.json()).toMatchObject({ ok: true, channel: CHANNEL });

    const json = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        Authorization: `Bearer ${fake.botToken}`,
      },
      body: JSON.stringify({ channel: CHANNEL, blocks: [{ type: 'divider' }], text: 'json' }),
    });
    expect(await json.json()).toMatchObject({ ok: true });

    const bodyToken = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: fake.botToken, channel: CHANNEL, text: 'nope' }),
    });
    expect(await bodyToken.json()).toEqual({ ok: false, error: 'not_authed' });
    expect(fake.messages(CHANNEL).map((m) => m.text)).toEqual(['form', 'json']);
  });

  it('records the WebClient form arguments decoded, without the token', async () => {
    await client.chat.postMessage({
      channel: CHANNEL,
      text: 'hi',
      blocks: [{ type: 'divider' }],
      unfurl_links: false,
    });
    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.args).toEqual({
      channel: CHANNEL,
      text: 'hi',
      blocks: [{ type: 'divider' }],
      unfurl_links: 'false',
    });
  });

  it('answers unknown_method for a method Slack does not have', async () => {
    const err = await platformError(client.apiCall('roundup.publish', {}));
    expect(err.data.error).toBe('unknown_method');
  });
});

describe('messages', () => {
  it('posts, updates and reads history newest first, with metadata only when asked for', async () => {
    const metadata = { event_type: 'roundup_draft', event_payload: { meetupId: 'm1', version: 2 } };
    const first = await client.chat.postMessage({ channel: CHANNEL, text: 'draft', metadata });
    expect(first.channel).toBe(CHANNEL);
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(first.message).toMatchObject({ text: 'draft', bot_id: FAKE_DEFAULTS.botId, metadata });
    const second = await client.chat.postMessage({ channel: CHANNEL, text: 'second' });
    const third = await client.chat.postMessage({ channel: CHANNEL, text: 'third' });
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));

    const updated = await client.chat.update({ channel: CHANNEL, ts: first.ts!, text: 'draft v2' });
    expect(updated).toMatchObject({ channel: CHANNEL, ts: first.ts, text: 'draft v2' });

    const plain = await client.conversations.history({ channel: CHANNEL });
    expect(plain.messages?.map((m) => m.text)).toEqual(['third', 'second', 'draft v2']);
    expect(plain.messages?.[2]).not.toHaveProperty('metadata');

    const withMeta = await client.conversations.history({ channel: CHANNEL, include_all_metadata: true });
    expect(withMeta.messages?.[2]?.metadata).toEqual(metadata);

    const page = await client.conversations.history({ channel: CHANNEL, limit: 2 });
    expect(page.messages?.map((m) => m.ts)).toEqual([third.ts, second.ts]);
    expect(page.has_more).toBe(true);
    const rest = await client.conversations.history({
      channel: CHANNEL,
      cursor: page.response_metadata?.next_cursor,
    });
    expect(rest.messages?.map((m) => m.ts)).toEqual([first.ts]);
    expect(rest.has_more).toBe(false);

    // oldest and latest are exclusive unless inclusive is set.
    const between = await client.conversations.history({
      channel: CHANNEL,
      oldest: first.ts,
      latest: third.ts,
    });
    expect(between.messages?.map((m) => m.ts)).toEqual([second.ts]);
    const inclusive = await client.conversations.history({
      channel: CHANNEL,
      oldest: first.ts,
      latest: third.ts,
      inclusive: true,
    });
    expect(inclusive.messages).toHaveLength(3);
  });

  it('answers message_not_found for an update or delete of a ts that is not there', async () => {
    const update = await platformError(
      client.chat.update({ channel: CHANNEL, ts: '1700000000.000100', text: 'x' }),
    );
    expect(update.data.error).toBe('message_not_found');
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'bye' });
    await client.chat.delete({ channel: CHANNEL, ts: posted.ts! });
    expect(fake.messages(CHANNEL)).toEqual([]);
    const again = await platformError(client.chat.delete({ channel: CHANNEL, ts: posted.ts! }));
    expect(again.data.error).toBe('message_not_found');
  });

  it("refuses to edit someone else's message", async () => {
    const ts = fake.addMessage(CHANNEL, { text: 'a person wrote this' });
    const err = await platformError(client.chat.update({ channel: CHANNEL, ts, text: 'hijack' }));
    expect(err.data.error).toBe('cant_update_message');
  });

  it('keeps thread replies out of history and counts them on the parent', async () => {
    const parent = await client.chat.postMessage({ channel: CHANNEL, text: 'parent' });
    await client.chat.postMessage({ channel: CHANNEL, text: 'reply', thread_ts: parent.ts! });
    const history = await client.conversations.history({ channel: CHANNEL });
    expect(history.messages?.map((m) => m.text)).toEqual(['parent']);
    expect(history.messages?.[0]).toMatchObject({ reply_count: 1, thread_ts: parent.ts });
    const replies = await client.conversations.replies({ channel: CHANNEL, ts: parent.ts! });
    expect(replies.messages?.map((m) => m.text)).toEqual(['parent', 'reply']);
  });

  it('enforces the Block Kit limits our preview splitting relies on', async () => {
    const section = { type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'x' } };
    await expect(
      client.chat.postMessage({ channel: CHANNEL, text: 'ok', blocks: Array(50).fill(section) }),
    ).resolves.toMatchObject({ ok: true });
    const tooMany = await platformError(
      client.chat.postMessage({ channel: CHANNEL, text: 'no', blocks: Array(51).fill(section) }),
    );
    expect(tooMany.data.error).toBe('invalid_blocks');
    expect(tooMany.data.response_metadata?.messages).toEqual([
      '[ERROR] no more than 50 items allowed [json-pointer:/blocks]',
    ]);
    const longHeader = await platformError(
      client.chat.postMessage({
        channel: CHANNEL,
        text: 'no',
        blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
      }),
    );
    expect(longHeader.data.error).toBe('invalid_blocks');
    const longSection = await platformError(
      client.chat.postMessage({
        channel: CHANNEL,
        text: 'no',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 's'.repeat(3001) } }],
      }),
    );
    expect(longSection.data.response_metadata?.messages?.[0]).toContain('/blocks/0/text/text');
    const empty = await platformError(client.chat.postMessage({ channel: CHANNEL, text: '' }));
    expect(empty.data.error).toBe('no_text');
  });

  it('accepts an image block only for a slack_file that exists', async () => {
    const image = (id: string) => ({ type: 'image' as const, slack_file: { id }, alt_text: 'photo' });
    const missing = await platformError(
      client.chat.postMessage({ channel: CHANNEL, text: 'p', blocks: [image('F0NOPE00001')] }),
    );
    expect(missing.data.error).toBe('invalid_blocks');
    const photo = fake.addPrivateFile({ name: 'a.jpg', mimetype: 'image/jpeg', bytes: Buffer.from('jpg') });
    await expect(
      client.chat.postMessage({ channel: CHANNEL, text: 'p', blocks: [image(photo.id)] }),
    ).resolves.toMatchObject({ ok: true });
  });

  it('refuses an image block for a WebP file or a file deleted since, as Slack does', async () => {
    const image = (id: string) => ({ type: 'image' as const, slack_file: { id }, alt_text: 'photo' });
    const webp = fake.addPrivateFile({ name: 'a.webp', mimetype: 'image/webp', bytes: Buffer.from('RIFF') });
    const refused = await platformError(
      client.chat.postMessage({ channel: CHANNEL, text: 'p', blocks: [image(webp.id)] }),
    );
    expect(refused.data).toMatchObject({
      error: 'invalid_blocks',
      errors: ['invalid slack file [json-pointer:/blocks/0/slack_file]'],
    });
    const gif = fake.addPrivateFile({ name: 'a.gif', mimetype: 'image/gif', bytes: Buffer.from('GIF89a') });
    fake.deleteFile(gif.id);
    const deleted = await platformError(
      client.chat.postMessage({ channel: CHANNEL, text: 'p', blocks: [image(gif.id)] }),
    );
    expect(deleted.data.error).toBe('invalid_blocks');
  });

  it('downloads every image_url on this machine and refuses the message when one fails, naming it', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const good = fake.hostImage('group.png', png);
    const html = fake.hostImage('page.png', Buffer.from('<!doctype html>'), 'text/html');
    const gone = `${fake.fileHost}/public/gone.jpg`;
    const image = (url: string) => ({ type: 'image' as const, image_url: url, alt_text: 'photo' });
    const section = { type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'x' } };
    const blocks = [image(good), section, image(gone), image(html), image('https://elsewhere.example/a.jpg')];

    const refused = await platformError(client.chat.postMessage({ channel: CHANNEL, text: 'p', blocks }));

    expect(refused.data).toMatchObject({
      error: 'invalid_blocks',
      errors: [
        'downloading image failed [json-pointer:/blocks/2/image_url]',
        'downloading image failed [json-pointer:/blocks/3/image_url]',
      ],
    });
    expect(fake.messages(CHANNEL)).toEqual([]);
    // Hosts elsewhere are not fetched: the tests never depend on the internet.
    expect(fake.imageFetches.map((f) => [f.url, f.status, f.ok])).toEqual([
      [good, 200, true],
      [gone, 404, false],
      [html, 200, false],
    ]);
    await expect(
      client.chat.postMessage({ channel: CHANNEL, text: 'p', blocks: [image(good), section] }),
    ).resolves.toMatchObject({ ok: true });
  });

  it('holds a call until released, then answers it as usual', async () => {
    const release = fake.holdNext('chat.postMessage');
    const posting = client.chat.postMessage({ channel: CHANNEL, text: 'held' });
    const arrived = await fake.waitForCall('chat.postMessage');
    expect(arrived.status).toBe(0);
    await client.chat.postMessage({ channel: CHANNEL, text: 'not held' });
    expect(fake.messages(CHANNEL).map((m) => m.text)).toEqual(['not held']);
    release();
    await expect(posting).resolves.toMatchObject({ ok: true });
    expect(arrived.status).toBe(200);
    expect(fake.messages(CHANNEL).map((m) => m.text)).toEqual(['not held', 'held']);
  });

  it('requires membership of a public channel and lets the bot join it', async () => {
    const announcements = fake.addChannel({ name: 'announcements', isMember: false });
    const err = await platformError(client.chat.postMessage({ channel: announcements, text: 'hello' }));
    expect(err.data.error).toBe('not_in_channel');
    const joined = await client.conversations.join({ channel: announcements });
    expect(joined.channel).toMatchObject({ id: announcements, is_member: true });
    await client.chat.postMessage({ channel: '#announcements', text: 'hello' });
    expect(fake.messages(announcements).map((m) => m.text)).toEqual(['hello']);
    const again = await client.conversations.join({ channel: announcements });
    expect(again.warning).toBe('already_in_channel');
  });

  it('opens one DM per user, and posting to a user id lands in it', async () => {
    const opened = await client.conversations.open({ users: FAKE_DEFAULTS.userId });
    expect(opened.channel?.id).toMatch(/^D/);
    const reopened = await client.conversations.open({ users: FAKE_DEFAULTS.userId });
    expect(reopened).toMatchObject({ channel: { id: opened.channel?.id }, already_open: true });
    const posted = await client.chat.postMessage({ channel: FAKE_DEFAULTS.userId, text: 'reminder' });
    expect(posted.channel).toBe(opened.channel?.id);
    const eph = await client.chat.postEphemeral({
      channel: CHANNEL,
      user: FAKE_DEFAULTS.userId,
      text: 'only you',
    });
    expect(eph.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(fake.ephemerals(CHANNEL)).toMatchObject([{ user: FAKE_DEFAULTS.userId, text: 'only you' }]);
    expect(fake.messages(CHANNEL)).toEqual([]);
  });
});

describe('views and trigger ids', () => {
  it('opens a modal with a fresh trigger id, once', async () => {
    const trigger = fake.issueTriggerId();
    const opened = await client.views.open({
      trigger_id: trigger,
      view: modal({ private_metadata: '{"m":1}' }),
    });
    expect(opened.view).toMatchObject({
      type: 'modal',
      callback_id: 'roundup_meetup',
      private_metadata: '{"m":1}',
      state: { values: {} },
      app_id: FAKE_DEFAULTS.appId,
    });
    expect(opened.view?.id).toMatch(/^V/);
    expect(opened.view?.hash).toEqual(expect.any(String));
    expect(opened.view?.root_view_id).toBe(opened.view?.id);

    const reused = await platformError(client.views.open({ trigger_id: trigger, view: modal() }));
    expect(reused.data.error).toBe('exchanged_trigger_id');
    const unknown = await platformError(client.views.open({ trigger_id: '1.2.3', view: modal() }));
    expect(unknown.data.error).toBe('invalid_trigger_id');
  });

  it('expires trigger ids after the TTL on the injected clock', async () => {
    let clock = Date.UTC(2024, 0, 10, 19, 0, 0);
    const timed = await FakeSlack.start({ now: () => clock });
    try {
      const c = clientFor(timed);
      const fresh = timed.issueTriggerId();
      clock += 3000; // exactly the TTL: still fine
      await expect(c.views.open({ trigger_id: fresh, view: modal() })).resolves.toMatchObject({ ok: true });
      const late = timed.issueTriggerId();
      clock += 3001;
      const err = await platformError(c.views.open({ trigger_id: late, view: modal() }));
      expect(err.data.error).toBe('expired_trigger_id');
    } finally {
      await timed.stop();
    }
  });

  it('updates by view_id or external_id and refuses a stale hash', async () => {
    const opened = await client.views.open({
      trigger_id: fake.issueTriggerId(),
      view: modal({ external_id: 'meetup-42' }),
    });
    const id = opened.view!.id!;
    const firstHash = opened.view!.hash!;
    const updated = await client.views.update({
      view_id: id,
      hash: firstHash,
      view: modal({ callback_id: 'step2' }),
    });
    expect(updated.view).toMatchObject({ id, callback_id: 'step2' });
    expect(updated.view?.hash).not.toBe(firstHash);

    const stale = await platformError(client.views.update({ view_id: id, hash: firstHash, view: modal() }));
    expect(stale.data.error).toBe('hash_conflict');
    const byExternal = await client.views.update({
      external_id: 'meetup-42',
      view: modal({ callback_id: 'step3' }),
    });
    expect(byExternal.view?.id).toBe(id);
    expect(fake.view(id)).toMatchObject({ callback_id: 'step3' });
    const missing = await platformError(client.views.update({ view_id: 'V0NOTHERE', view: modal() }));
    expect(missing.data.error).toBe('not_found');
  });

  it('rejects views Slack would reject', async () => {
    const longTitle = await platformError(
      client.views.open({
        trigger_id: fake.issueTriggerId(),
        view: modal({ title: { type: 'plain_text', text: 't'.repeat(25) } }),
      }),
    );
    expect(longTitle.data.error).toBe('invalid_arguments');
    const bigMetadata = await platformError(
      client.views.open({
        trigger_id: fake.issueTriggerId(),
        view: modal({ private_metadata: 'x'.repeat(3001) }),
      }),
    );
    expect(bigMetadata.data.response_metadata?.messages?.[0]).toContain('/view/private_metadata');
    const noSubmit = await platformError(
      client.views.open({ trigger_id: fake.issueTriggerId(), view: modal({ submit: undefined }) }),
    );
    expect(noSubmit.data.error).toBe('invalid_arguments');
  });

  it('rejects inputs Slack would reject: a text over 3,000 characters, more than 100 options', async () => {
    const input = (element: Record<string, unknown>) =>
      modal({
        blocks: [
          {
            type: 'input',
            block_id: 'b',
            label: { type: 'plain_text', text: 'B' },
            element: { action_id: 'b_input', ...element },
          },
        ],
      });
    const open = (element: Record<string, unknown>) =>
      client.views.open({ trigger_id: fake.issueTriggerId(), view: input(element) as never });
    const option = (i: number) => ({ text: { type: 'plain_text', text: `Option ${i}` }, value: `o${i}` });

    const longValue = await platformError(
      open({ type: 'plain_text_input', multiline: true, initial_value: 'x'.repeat(3001) }),
    );
    expect(longValue.data.error).toBe('invalid_arguments');
    expect(longValue.data.response_metadata?.messages).toEqual([
      '[ERROR] must be less than 3001 characters [json-pointer:/view/blocks/0/element/initial_value]',
    ]);
    const maxLength = await platformError(open({ type: 'plain_text_input', max_length: 3001 }));
    expect(maxLength.data.response_metadata?.messages?.[0]).toContain('/view/blocks/0/element/max_length');
    const options = await platformError(
      open({ type: 'static_select', options: Array.from({ length: 101 }, (_, i) => option(i)) }),
    );
    expect(options.data.response_metadata?.messages?.[0]).toContain('/view/blocks/0/element/options');

    await expect(
      open({ type: 'plain_text_input', multiline: true, initial_value: 'x'.repeat(3000), max_length: 3000 }),
    ).resolves.toMatchObject({ ok: true });
    await expect(
      open({ type: 'multi_static_select', options: Array.from({ length: 100 }, (_, i) => option(i)) }),
    ).resolves.toMatchObject({ ok: true });
  });

  it('pushes onto the modal a trigger came from, up to three views', async () => {
    const root = await client.views.open({ trigger_id: fake.issueTriggerId(), view: modal() });
    const rootId = root.view!.id!;
    const pushed = await client.views.push({
      trigger_id: fake.issueTriggerId({ viewId: rootId }),
      view: modal(),
    });
    expect(pushed.view).toMatchObject({ root_view_id: rootId, previous_view_id: rootId });
    await client.views.push({ trigger_id: fake.issueTriggerId({ viewId: rootId }), view: modal() });
    const fourth = await platformError(
      client.views.push({ trigger_id: fake.issueTriggerId({ viewId: rootId }), view: modal() }),
    );
    expect(fourth.data.error).toBe('push_limit_reached');
  });

  it('publishes one App Home per user, keeping its id', async () => {
    const home = {
      type: 'home' as const,
      blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'Hi' } }],
    };
    const first = await client.views.publish({ user_id: FAKE_DEFAULTS.userId, view: home });
    const second = await client.views.publish({
      user_id: FAKE_DEFAULTS.userId,
      view: home,
      hash: first.view!.hash!,
    });
    expect(second.view?.id).toBe(first.view?.id);
    expect(fake.homeView(FAKE_DEFAULTS.userId)).toMatchObject({ type: 'home', hash: second.view?.hash });
    const stale = await platformError(
      client.views.publish({ user_id: FAKE_DEFAULTS.userId, view: home, hash: first.view!.hash! }),
    );
    expect(stale.data.error).toBe('hash_conflict');
  });

  it('waitForCall resolves on arrival and times out naming what did arrive', async () => {
    const waiting = fake.waitForCall(
      'views.open',
      (c) => (c.args.view as { callback_id?: string }).callback_id === 'x',
    );
    await client.views.open({ trigger_id: fake.issueTriggerId(), view: modal({ callback_id: 'x' }) });
    const call = await waiting;
    expect(call.status).toBe(200);
    expect(call.response).toMatchObject({ ok: true });
    await expect(fake.waitForCall('chat.postMessage', undefined, 50)).rejects.toThrow(/calls: views.open/);
  });
});

describe('users', () => {
  it('reports a configured time zone with its offset and label at the clock time', async () => {
    const winter = Date.UTC(2024, 0, 10, 12);
    const zoned = await FakeSlack.start({
      now: () => winter,
      users: [{ id: 'U0NYC00001', name: 'nyc', tz: 'America/New_York' }],
    });
    try {
      const info = await clientFor(zoned).users.info({ user: 'U0NYC00001' });
      expect(info.user).toMatchObject({
        tz: 'America/New_York',
        tz_offset: -18000,
        tz_label: 'Eastern Standard Time',
      });
      const err = await platformError(clientFor(zoned).users.info({ user: 'U0NOBODY01' }));
      expect(err.data.error).toBe('user_not_found');
    } finally {
      await zoned.stop();
    }
  });
});

describe('files', () => {
  it('completes a real filesUploadV2 with the exact bytes, names and message', async () => {
    const bytes = Buffer.concat([Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x1a]), randomBytes(2048)]);
    const result = await client.filesUploadV2({
      channel_id: CHANNEL,
      file: bytes,
      filename: '2018-11-07-cloud-native-london.md',
      title: 'November roundup',
      initial_comment: 'Here is the post',
    });
    expect(result.ok).toBe(true);
    expect(fake.calls.map((c) => c.method)).toEqual([
      'files.getUploadURLExternal',
      UPLOAD_METHOD,
      'files.completeUploadExternal',
    ]);
    expect(fake.callsTo('files.getUploadURLExternal')[0]?.args).toMatchObject({
      filename: '2018-11-07-cloud-native-london.md',
      length: String(bytes.length),
    });

    expect(fake.uploads).toHaveLength(1);
    const upload = fake.uploads[0]!;
    expect(upload.bytes.equals(bytes)).toBe(true);
    expect(upload).toMatchObject({
      filename: '2018-11-07-cloud-native-london.md',
      title: 'November roundup',
      channel_id: CHANNEL,
      initial_comment: 'Here is the post',
    });
    const [share] = fake.messages(CHANNEL);
    expect(share).toMatchObject({
      text: 'Here is the post',
      files: [{ id: upload.fileId, title: 'November roundup' }],
    });

    const info = await client.files.info({ file: upload.fileId });
    expect(info.file).toMatchObject({ name: '2018-11-07-cloud-native-london.md', size: bytes.length });
    const download = await fetch(info.file!.url_private!, {
      headers: { Authorization: `Bearer ${fake.botToken}` },
    });
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('completes a two-file upload in one call, into a thread', async () => {
    const parent = await client.chat.postMessage({ channel: CHANNEL, text: 'photos thread' });
    const a = randomBytes(300);
    const b = randomBytes(500);
    await client.filesUploadV2({
      channel_id: CHANNEL,
      thread_ts: parent.ts!,
      initial_comment: 'Photos',
      file_uploads: [
        { file: a, filename: 'talk-1.jpg', title: 'Talk 1' },
        { file: b, filename: 'talk-2.png' },
      ],
    });
    const completes = fake.callsTo('files.completeUploadExternal');
    expect(completes).toHaveLength(1);
    expect(completes[0]?.args.files).toHaveLength(2);
    expect(fake.uploads.map((u) => [u.filename, u.title, u.thread_ts, u.bytes.length])).toEqual([
      ['talk-1.jpg', 'Talk 1', parent.ts, 300],
      ['talk-2.png', 'talk-2.png', parent.ts, 500],
    ]);
    expect(fake.uploads[0]?.bytes.equals(a)).toBe(true);
    expect(fake.uploads[1]?.bytes.equals(b)).toBe(true);
    const history = await client.conversations.history({ channel: CHANNEL });
    expect(history.messages).toHaveLength(1);
    expect(history.messages?.[0]?.reply_count).toBe(1);
  });

  it('refuses to complete a file whose bytes were never uploaded', async () => {
    const url = await client.files.getUploadURLExternal({ filename: 'x.txt', length: 3 });
    const err = await platformError(client.files.completeUploadExternal({ files: [{ id: url.file_id! }] }));
    expect(err.data.error).toBe('file_not_found');
  });

  it('serves a private file only with the bot token, redirecting to sign-in otherwise', async () => {
    const bytes = randomBytes(1000);
    const file = fake.addPrivateFile({ name: 'speaker.jpg', mimetype: 'image/jpeg', bytes });
    expect(file.id).toMatch(/^F/);

    const ok = await fetch(file.url_private_download, {
      headers: { Authorization: `Bearer ${fake.botToken}` },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await ok.arrayBuffer()).equals(bytes)).toBe(true);

    const anonymous = await fetch(file.url_private, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toContain('/?redir=');
    const wrongToken = await fetch(file.url_private, {
      redirect: 'manual',
      headers: { Authorization: 'Bearer xoxb-no' },
    });
    expect(wrongToken.status).toBe(302);
    // What a bot that forgot the token actually gets after following the redirect: an HTML page, not the image.
    const followed = await fetch(file.url_private);
    expect(followed.status).toBe(200);
    expect(followed.headers.get('content-type')).toContain('text/html');

    expect(fake.downloads.map((d) => [d.authorized, d.status])).toEqual([
      [true, 200],
      [false, 302],
      [false, 302],
      [false, 302],
    ]);
  });
});

describe('fault injection', () => {
  it('429 with Retry-After makes the WebClient wait and retry', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const started = Date.now();
    const res = await client.chat.postMessage({ channel: CHANNEL, text: 'after the limit' });
    expect(res.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    expect(fake.messages(CHANNEL)).toHaveLength(1);
  });

  it('500 is retried by the WebClient', async () => {
    fake.failNext('conversations.history', { status: 500 });
    await expect(client.conversations.history({ channel: CHANNEL })).resolves.toMatchObject({ ok: true });
    expect(fake.callsTo('conversations.history').map((c) => c.status)).toEqual([500, 200]);
  });

  it('an upload POST failure is retried too', async () => {
    fake.failNext(UPLOAD_METHOD, { status: 500 });
    await client.filesUploadV2({ channel_id: CHANNEL, file: Buffer.from('abc'), filename: 'a.txt' });
    expect(fake.callsTo(UPLOAD_METHOD).map((c) => c.status)).toEqual([500, 200]);
    expect(fake.uploads[0]?.bytes.toString()).toBe('abc');
  });

  it('ok:false errors are thrown as WebAPIPlatformError, for the given number of calls', async () => {
    fake.failNext('views.open', { error: 'internal_error', times: 2 });
    for (let i = 0; i < 2; i++) {
      const err = await platformError(
        client.views.open({ trigger_id: fake.issueTriggerId(), view: modal() }),
      );
      expect(err).toBeInstanceOf(WebAPIPlatformError);
      expect(err.data.error).toBe('internal_error');
    }
    await expect(
      client.views.open({ trigger_id: fake.issueTriggerId(), view: modal() }),
    ).resolves.toMatchObject({
      ok: true,
    });
  });
});

describe('reset', () => {
  it('forgets calls and state but keeps the configured channels and users', async () => {
    await client.chat.postMessage({ channel: CHANNEL, text: 'x' });
    fake.failNext('auth.test', { error: 'fatal_error' });
    fake.reset();
    expect(fake.calls).toEqual([]);
    expect(fake.messages(CHANNEL)).toEqual([]);
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    await expect(client.users.info({ user: FAKE_DEFAULTS.userId })).resolves.toMatchObject({ ok: true });
  });
});

describe('inbound requests', () => {
  it('signs like Slack: the documented example vector', () => {
    // From Slack's "Verifying requests from Slack": fixed secret, timestamp and slash-command body.
    const secret = '8f742231b10e8888abcd99yyyzzz85a5';
    const timestamp = 1531420618;
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V' +
      '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
      '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
      '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const documented = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
    // The vector itself, checked by hand, so that a typo in it cannot make the next assertion pass vacuously.
    expect(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`).toBe(
      documented,
    );
    expect(signRequest(body, secret, timestamp)).toEqual({
      'X-Slack-Signature': documented,
      'X-Slack-Request-Timestamp': '1531420618',
    });
  });

  it("passes Bolt's own verification, and fails it when the body is altered", () => {
    const body = slashCommandBody({ text: 'new' });
    const now = Math.floor(Date.now() / 1000);
    const headers = signRequest(body, 's3cret', now);
    const verify = (raw: string) =>
      verifySlackRequest({
        signingSecret: 's3cret',
        body: raw,
        headers: {
          'x-slack-signature': headers['X-Slack-Signature']!,
          'x-slack-request-timestamp': Number(headers['X-Slack-Request-Timestamp']),
        },
      });
    expect(() => verify(body)).not.toThrow();
    expect(() => verify(body.replace('text=new', 'text=old'))).toThrow();
  });

  it('builds state values in the shapes Slack reports', () => {
    expect(input.text('Hello')).toEqual({ type: 'plain_text_input', value: 'Hello' });
    expect(input.staticSelect('classic', 'Classic')).toEqual({
      type: 'static_select',
      selected_option: { text: { type: 'plain_text', text: 'Classic', emoji: true }, value: 'classic' },
    });
    expect(input.users(['U1'])).toEqual({ type: 'multi_users_select', selected_users: ['U1'] });
    expect(input.date('2024-01-10')).toEqual({ type: 'datepicker', selected_date: '2024-01-10' });
    expect(input.time('18:30')).toEqual({ type: 'timepicker', selected_time: '18:30' });
    expect(input.conversations(['C1'])).toEqual({
      type: 'multi_conversations_select',
      selected_conversations: ['C1'],
    });
    expect(input.checkboxes(['a'])).toMatchObject({ type: 'checkboxes', selected_options: [{ value: 'a' }] });
    expect(input.radio(null)).toEqual({ type: 'radio_buttons', selected_option: null });
    const body = new URLSearchParams(slashCommandBody({ text: 'new meetup', triggerId: '1.2.3' }));
    expect([...body.keys()]).toEqual([
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'is_enterprise_install',
      'response_url',
      'trigger_id',
    ]);
    expect(body.get('text')).toBe('new meetup');
  });
});

describe('driving the real Bolt app', () => {
  const signingSecret = 'test-signing-secret';
  let app: App;
  let endpoint: string;
  const seen: Record<string, unknown> = {};

  beforeAll(async () => {
    app = new App({
      token: fake.botToken,
      signingSecret,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/roundup', async ({ ack, body, client: boltClient, respond }) => {
      await ack();
      seen.command = body;
      await boltClient.views.open({ trigger_id: body.trigger_id, view: modal() });
      await respond({ text: 'Opening the form' });
    });
    app.view('roundup_meetup', async ({ ack, view }) => {
      seen.values = view.state.values;
      seen.privateMetadata = view.private_metadata;
      await ack({ response_action: 'errors', errors: { title: 'Too short' } });
    });
    app.action('pick_template', async ({ ack, action }) => {
      seen.action = action;
      await ack();
    });
    app.event('app_mention', async ({ event, context }) => {
      seen.mention = { text: event.text, retryNum: context.retryNum, retryReason: context.retryReason };
    });
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(async () => {
    await app.stop();
  });

  it('a slash command reaches the handler, which opens the modal with the issued trigger', async () => {
    const triggerId = fake.issueTriggerId();
    const responseUrl = fake.issueResponseUrl();
    const res = await postToBolt(endpoint, slashCommandBody({ text: 'new', triggerId, responseUrl }), {
      signingSecret,
    });
    expect(res.status).toBe(200);
    const open = await fake.waitForCall('views.open');
    expect(open.args.trigger_id).toBe(triggerId);
    expect(open.response).toMatchObject({ ok: true });
    expect(seen.command).toMatchObject({ command: '/roundup', text: 'new', user_id: FAKE_DEFAULTS.userId });
    await expect(waitFor(() => fake.responses.length > 0)).resolves.toBe(true);
    expect(fake.responses[0]).toMatchObject({ url: responseUrl, body: { text: 'Opening the form' } });
  });

  it('a view submission carries its state values to the handler and its ack back to Slack', async () => {
    const values = { title: { value: input.text('November') }, when: { date: input.date('2018-11-07') } };
    const payload = viewSubmissionPayload({
      callbackId: 'roundup_meetup',
      values,
      privateMetadata: '{"id":1}',
    });
    const res = await postToBolt(endpoint, interactionBody(payload), { signingSecret });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ response_action: 'errors', errors: { title: 'Too short' } });
    expect(seen.values).toEqual(values);
    expect(seen.privateMetadata).toBe('{"id":1}');
  });

  it('a block action reaches the action handler', async () => {
    const payload = blockActionsPayload({ actionId: 'pick_template', action: input.staticSelect('modern') });
    const res = await postToBolt(endpoint, interactionBody(payload), { signingSecret });
    expect(res.status).toBe(200);
    expect(seen.action).toMatchObject({ type: 'static_select', selected_option: { value: 'modern' } });
  });

  it('an event redelivery carries the retry number and reason', async () => {
    const body = eventBody({
      type: 'app_mention',
      user: FAKE_DEFAULTS.userId,
      text: 'hi',
      ts: '1.2',
      channel: CHANNEL,
    });
    const res = await postToBolt(endpoint, body, { signingSecret, retryNum: 1 });
    expect(res.status).toBe(200);
    await expect(waitFor(() => seen.mention !== undefined)).resolves.toBe(true);
    expect(seen.mention).toEqual({ text: 'hi', retryNum: 1, retryReason: 'http_timeout' });
  });

  it('Bolt refuses a stale or wrongly signed request', async () => {
    const stale = await postToBolt(endpoint, slashCommandBody(), {
      signingSecret,
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect(stale.status).toBe(401);
    const wrong = await postToBolt(endpoint, slashCommandBody(), { signingSecret: 'not-the-secret' });
    expect(wrong.status).toBe(401);
  });
});

/** Polls a condition that becomes true after the HTTP response (Bolt acks before the handler finishes). */
async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

describe('workspaces, tokens and OAuth (oauth.v2.access)', () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = await FakeSlack.start();
  });
  afterEach(() => slack.stop());
  const noToken = () =>
    new WebClient(undefined, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      logger: silentLogger,
    });
  const access = (args: Record<string, string>) =>
    noToken().oauth.v2.access({
      client_id: slack.clientId,
      client_secret: slack.clientSecret,
      ...args,
    } as never);

  it('exchanges an install’s code once for a bot token of that workspace, answering as Slack documents', async () => {
    const code = slack.authorizeInstall({
      teamId: 'T0OTHER01',
      userId: 'U0INSTALL',
      scopes: ['commands', 'chat:write'],
    });
    const answer = await access({ code });
    expect(answer).toMatchObject({
      ok: true,
      token_type: 'bot',
      scope: 'commands,chat:write',
      bot_user_id: slack.workspaces.team('T0OTHER01')?.botUserId,
      app_id: FAKE_DEFAULTS.appId,
      team: { id: 'T0OTHER01' },
      enterprise: null,
      authed_user: { id: 'U0INSTALL' },
      is_enterprise_install: false,
    });
    expect(answer.access_token).toMatch(/^xoxb-/);
    expect(await clientFor(slack, answer.access_token).auth.test()).toMatchObject({ team_id: 'T0OTHER01' });
    expect((await platformError(access({ code }))).data.error).toBe('invalid_code');
  });

  it('refuses a wrong client secret, an unknown client, and a redirect URI other than the authorize step’s', async () => {
    const code = slack.authorizeInstall({
      teamId: 'T0OTHER01',
      userId: 'U1',
      redirectUri: 'https://a.example/back',
    });
    expect((await platformError(access({ code, client_secret: 'nope' }))).data.error).toBe(
      'bad_client_secret',
    );
    expect((await platformError(access({ code, client_id: '1.2' }))).data.error).toBe('invalid_client_id');
    expect((await platformError(access({ code, redirect_uri: 'https://b.example/back' }))).data.error).toBe(
      'bad_redirect_uri',
    );
    // HTTP Basic auth carries the credentials as well as the form body does.
    const basic = await new WebClient(undefined, {
      slackApiUrl: slack.apiUrl,
      headers: {
        Authorization: `Basic ${Buffer.from(`${slack.clientId}:${slack.clientSecret}`).toString('base64')}`,
      },
      logger: silentLogger,
    }).oauth.v2.access({ code, redirect_uri: 'https://a.example/back' } as never);
    expect(basic.ok).toBe(true);
  });

  it('keeps each workspace’s conversations to its own tokens, and answers token_revoked after a revocation', async () => {
    const code = slack.authorizeInstall({ teamId: 'T0OTHER01', userId: 'U1' });
    const other = clientFor(slack, (await access({ code })).access_token as string);
    const mine = slack.addChannel({ name: 'mine' });
    expect((await platformError(other.chat.postMessage({ channel: mine, text: 'hi' }))).data.error).toBe(
      'channel_not_found',
    );
    const theirs = slack.addChannel({ name: 'theirs', teamId: 'T0OTHER01' });
    const posted = await other.chat.postMessage({ channel: theirs, text: 'hi' });
    expect(posted.message).toMatchObject({
      team: 'T0OTHER01',
      user: slack.workspaces.team('T0OTHER01')?.botUserId,
    });
    expect(slack.callsTo('chat.postMessage').at(-1)).toMatchObject({ teamId: 'T0OTHER01' });
    slack.revokeTeam('T0OTHER01');
    expect((await platformError(other.auth.test())).data.error).toBe('token_revoked');
    // The app-level token is for Socket Mode only.
    expect((await platformError(clientFor(slack, slack.appToken).auth.test())).data.error).toBe(
      'not_allowed_token_type',
    );
  });
});

describe('rich text, URL and external select inputs', () => {
  const withElement = (element: Record<string, unknown>) =>
    modal({
      blocks: [
        {
          type: 'input',
          block_id: 'b',
          label: { type: 'plain_text', text: 'B' },
          element: { action_id: 'b_input', ...element },
        },
      ],
    });
  const open = (element: Record<string, unknown>) =>
    client.views.open({ trigger_id: fake.issueTriggerId(), view: withElement(element) as never });
  const refusal = async (element: Record<string, unknown>) => {
    const err = await platformError(open(element));
    expect(err.data.error).toBe('invalid_arguments');
    return err.data.response_metadata?.messages ?? [];
  };
  const richText = (...elements: unknown[]) => ({ type: 'rich_text', elements });
  const section = (...elements: unknown[]) => ({ type: 'rich_text_section', elements });

  it('opens a rich text input with a rich text value of the documented kinds', async () => {
    const value = richText(
      section(
        { type: 'text', text: 'Hi ', style: { bold: true, italic: true, strike: true, code: true } },
        { type: 'link', url: 'https://x.example/', text: 'x' },
        { type: 'user', user_id: 'U1' },
        { type: 'channel', channel_id: 'C1' },
        { type: 'usergroup', usergroup_id: 'S1' },
        { type: 'broadcast', range: 'here' },
        { type: 'emoji', name: 'tada', unicode: '1f389' },
        { type: 'date', timestamp: 1700000000, format: '{date_short}' },
      ),
      {
        type: 'rich_text_list',
        style: 'bullet',
        indent: 1,
        elements: [section({ type: 'text', text: 'item' })],
      },
      { type: 'rich_text_quote', elements: [{ type: 'text', text: 'quoted' }] },
      { type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'code' }] },
    );
    await expect(
      open({
        type: 'rich_text_input',
        initial_value: value,
        dispatch_action_config: { trigger_actions_on: ['on_character_entered'] },
        min_lines: 3,
      }),
    ).resolves.toMatchObject({ ok: true });
    await expect(open({ type: 'rich_text_input' })).resolves.toMatchObject({ ok: true });
  });

  it('refuses a rich text value Slack would refuse, pointing at it', async () => {
    expect(await refusal({ type: 'rich_text_input', initial_value: 'plain words' })).toEqual([
      '[ERROR] must be a rich_text block [json-pointer:/view/blocks/0/element/initial_value]',
    ]);
    expect(
      await refusal({
        type: 'rich_text_input',
        initial_value: richText({ type: 'rich_text_heading', elements: [] }),
      }),
    ).toEqual([
      '[ERROR] unsupported rich text element type [json-pointer:/view/blocks/0/element/initial_value/elements/0/type]',
    ]);
    expect(
      await refusal({ type: 'rich_text_input', initial_value: richText(section({ type: 'text' })) }),
    ).toEqual([
      '[ERROR] missing required field: text [json-pointer:/view/blocks/0/element/initial_value/elements/0/elements/0]',
    ]);
    expect(
      (
        await refusal({
          type: 'rich_text_input',
          initial_value: richText({
            type: 'rich_text_list',
            style: 'dashes',
            indent: 9,
            elements: [{ type: 'text', text: 'x' }],
          }),
        })
      ).join('\n'),
    ).toMatch(/style\][\s\S]*indent\][\s\S]*elements\/0\]/);
    expect(
      await refusal({
        type: 'rich_text_input',
        initial_value: richText(section({ type: 'broadcast', range: 'world' })),
      }),
    ).toEqual([
      '[ERROR] must be here, channel or everyone [json-pointer:/view/blocks/0/element/initial_value/elements/0/elements/0/range]',
    ]);
    expect(
      await refusal({
        type: 'rich_text_input',
        initial_value: richText({
          type: 'rich_text_preformatted',
          elements: [{ type: 'user', user_id: 'U1' }],
        }),
      }),
    ).toHaveLength(1);
    expect(
      await refusal({ type: 'rich_text_input', dispatch_action_config: { trigger_actions_on: ['on_blur'] } }),
    ).toHaveLength(1);
    expect(await refusal({ type: 'rich_text_input', max_lines: 101 })).toEqual([
      '[ERROR] must be between 1 and 100 [json-pointer:/view/blocks/0/element/max_lines]',
    ]);
  });

  it('takes a URL input with a string initial value only', async () => {
    await expect(
      open({ type: 'url_text_input', initial_value: 'https://x.example/' }),
    ).resolves.toMatchObject({
      ok: true,
    });
    expect(await refusal({ type: 'url_text_input', initial_value: { url: 'https://x.example/' } })).toEqual([
      '[ERROR] must be a string [json-pointer:/view/blocks/0/element/initial_value]',
    ]);
  });

  it('takes external selects with a query length and initial options, but no options of their own', async () => {
    const option = { text: { type: 'plain_text', text: 'Ana' }, value: 'speaker:1' };
    await expect(
      open({ type: 'external_select', min_query_length: 0, initial_option: option }),
    ).resolves.toMatchObject({ ok: true });
    await expect(
      open({
        type: 'multi_external_select',
        min_query_length: 2,
        initial_options: [option],
        max_selected_items: 6,
      }),
    ).resolves.toMatchObject({ ok: true });
    expect(await refusal({ type: 'external_select', options: [option] })).toHaveLength(1);
    expect(await refusal({ type: 'external_select', min_query_length: -1 })).toEqual([
      '[ERROR] must be a whole number of at least 0 [json-pointer:/view/blocks/0/element/min_query_length]',
    ]);
    expect(await refusal({ type: 'external_select', initial_option: { value: 'x' } })).toEqual([
      '[ERROR] must be an option with text and value [json-pointer:/view/blocks/0/element/initial_option]',
    ]);
    expect(
      await refusal({
        type: 'multi_external_select',
        initial_options: [{ ...option, value: 'v'.repeat(151) }],
      }),
    ).toEqual([
      '[ERROR] must be less than 151 characters [json-pointer:/view/blocks/0/element/initial_options/0/value]',
    ]);
    expect(await refusal({ type: 'multi_external_select', max_selected_items: 0 })).toHaveLength(1);
  });
});
