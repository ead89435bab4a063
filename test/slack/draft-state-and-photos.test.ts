import { unzipSync } from 'fflate';
import { sniffImageType } from '../../src/services/photos';
import { ACTION, PHOTO } from '../../src/slack/views/ids';
import { FAKE_DEFAULTS, TestBot } from '../support/bot';
import type { CallRecord, Json } from '../support/fake-slack';
import { loadRoundup } from '../support/fixtures';
import { type EveningResult, playEvening, talkValues } from '../support/organiser-evening';
import { input } from '../support/slack-requests';

const TEAM = FAKE_DEFAULTS.teamId;
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
/** A real 1 × 1 lossless WebP. */
const WEBP = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');

// Each test plays the organiser's evening and drafts more than once: slower than most on a busy machine.
jest.setTimeout(20_000);

describe('the draft’s state and its photos, over HTTP', () => {
  let bot: TestBot;
  const november = loadRoundup('2018-11-cloud-native-london');

  beforeEach(async () => {
    bot = await TestBot.start();
  });
  afterEach(async () => {
    await bot.stop();
  });

  /** The organiser's evening, its first draft saved (not only posted). */
  async function evening(): Promise<EveningResult & { meetupId: string }> {
    const result = await playEvening(bot, november);
    await bot.settled();
    const meetupId = (await bot.store.currentMeetup(TEAM))!.id;
    expect((await bot.store.getDraft(TEAM, meetupId))?.version).toBe(1);
    return { ...result, meetupId };
  }

  /** How a draft ended, as the organiser who asked was told. */
  function draftAnswer(responseUrl: string): Promise<string> {
    return bot.responseTo(responseUrl, (t) => /Draft \d+ (updated|posted)|:warning:/.test(t), 10_000);
  }

  function draftMessage(e: EveningResult) {
    return bot.slack.messages(e.organisersChannel).find((m) => m.ts === e.draft.ts)!;
  }

  function imageBlocks(blocks: unknown): Json[] {
    return ((blocks ?? []) as Json[]).filter((b) => b.type === 'image');
  }

  it('keeps "Mark published" when a re-draft that read the meetup before the click finishes after it', async () => {
    const e = await evening();
    // The re-draft's update of the draft message is slow to reach Slack...
    const release = bot.slack.holdNext('chat.update');
    const redraft = await bot.command('draft');
    const stale = await bot.slack.waitForCall('chat.update', (c) => c.status === 0, 10_000);

    // ...and meanwhile an organiser marks the post published.
    await bot.act({
      actionId: ACTION.draftPublished,
      action: { type: 'button', value: e.meetupId },
      message: { channelId: e.organisersChannel, ts: e.draft.ts },
    });
    await bot.slack.waitForCall('chat.update', (c) => c !== stale && c.status === 200, 10_000);
    expect((await bot.store.getMeetup(TEAM, e.meetupId))?.status).toBe('published');

    // Now the re-draft's update lands, showing the meetup as it read it, and the re-draft finishes.
    release();
    expect(await draftAnswer(redraft.responseUrl)).toContain('Draft 2 updated');
    await bot.settled();

    expect((await bot.store.getMeetup(TEAM, e.meetupId))?.status).toBe('published');
    expect((await bot.store.getDraft(TEAM, e.meetupId))?.version).toBe(2);
    const shown = JSON.stringify(draftMessage(e).blocks);
    expect(shown).toContain(':tada: Published');
    expect(shown).not.toContain('Mark published');
    // The current meetup is no longer the published one's to draft: the App Home and `status` agree.
    expect((await bot.store.listMeetups(TEAM)).map((m) => m.status)).toEqual(['published']);
  });

  it('makes two re-drafts at once two versions, the later on top of the earlier', async () => {
    const e = await evening();
    const release = bot.slack.holdNext('chat.update');
    const first = await bot.command('draft');
    await bot.slack.waitForCall('chat.update', (c) => c.status === 0, 10_000);

    const second = await bot.command('draft');
    expect(await draftAnswer(second.responseUrl)).toContain('Draft 2 updated');
    release();
    expect(await draftAnswer(first.responseUrl)).toContain('Draft 3 updated');
    await bot.settled();

    expect((await bot.store.getDraft(TEAM, e.meetupId))?.version).toBe(3);
    expect(draftMessage(e).text).toMatch(/^Roundup draft 3: /);
    expect(JSON.stringify(draftMessage(e).blocks)).toContain('Draft 3 · updated by');
    const topLevel = bot.slack
      .messages(e.organisersChannel)
      .filter((m) => String(m.text).startsWith('Roundup draft') && (!m.thread_ts || m.thread_ts === m.ts));
    expect(topLevel).toHaveLength(1);
    const comments = bot.slack.uploads.map((u) => u.initial_comment?.slice(0, 8));
    expect(comments).toEqual(expect.arrayContaining(['Draft 1:', 'Draft 2:', 'Draft 3:']));
  });

  it('drafts a meetup with a WebP speaker photo uploaded in the talk form, naming it in the preview', async () => {
    const e = await evening();
    const file = bot.slack.addPrivateFile({ name: 'alessandro.webp', mimetype: 'image/webp', bytes: WEBP });
    const talk = november.meetup.talks[0]!;
    const reply = await bot.submit(
      await bot.open('talk 1'),
      talkValues({ ...talk, photo: undefined }, bot.slack.fileObject(file.id)),
    );
    expect(reply.text).toBe('');
    await bot.settled();
    expect((await bot.store.getMeetup(TEAM, e.meetupId))?.talks[0]?.photo?.stored?.mimeType).toBe(
      'image/webp',
    );

    const updatesBefore = bot.slack.callsTo('chat.update').length;
    const { responseUrl } = await bot.command('draft');
    expect(await draftAnswer(responseUrl)).toContain('Draft 2 updated');
    await bot.settled();

    // Slack never saw an image block it refuses: one update, accepted.
    const updates = bot.slack.callsTo('chat.update').slice(updatesBefore);
    expect(updates.map((c) => (c.response as Json).ok)).toEqual([true]);
    const message = draftMessage(e);
    expect(JSON.stringify(message.blocks)).not.toContain(file.id);
    expect(message.blocks).toContainEqual({
      type: 'context',
      block_id: expect.any(String),
      elements: [
        {
          type: 'mrkdwn',
          text: 'Photo: Alessandro De Maria (/images/2018-11-07-cloud-native-london-november-2018-1.webp)',
        },
      ],
    });
    // The WebP is in the .zip all the same, made ready for the web (re-encoded, still a WebP).
    const zip = bot.slack.uploads.filter((u) => u.filename.endsWith('.zip')).pop()!;
    const entries = unzipSync(new Uint8Array(zip.bytes));
    const webp = entries['images/2018-11-07-cloud-native-london-november-2018-1.webp'];
    expect(sniffImageType(Buffer.from(webp!))).toBe('image/webp');
  });

  it('posts the draft when a photo link is dead, the dead one as a link and the live one still shown', async () => {
    const e = await evening();
    const live = bot.slack.hostImage('audience.png', PNG);
    const dead = `${bot.slack.fileHost}/public/gone-since-2018.jpg`;
    const added = await bot.submit(await bot.open('photo'), {
      [PHOTO.role]: input.staticSelect('group'),
      [PHOTO.files]: input.files([]),
      [PHOTO.urls]: input.text(`${live}\n${dead}`),
      [PHOTO.alt]: input.text('The audience'),
    });
    expect(added.status).toBe(200);

    const updatesBefore = bot.slack.callsTo('chat.update').length;
    const { responseUrl } = await bot.command('draft');
    expect(await draftAnswer(responseUrl)).toContain('Draft 2 updated');
    await bot.settled();

    // Slack refused the message for the dead link; the bot sent it again with that photo as a link.
    const updates = bot.slack.callsTo('chat.update').slice(updatesBefore);
    expect(updates.map((c) => (c.response as Json).error ?? 'ok')).toEqual(['invalid_blocks', 'ok']);
    expect(bot.slack.imageFetches.filter((f) => f.url === dead).every((f) => f.status === 404)).toBe(true);
    const message = draftMessage(e);
    const images = imageBlocks(message.blocks).map((b) => b.image_url);
    expect(images).toContain(live);
    expect(images).not.toContain(dead);
    expect(JSON.stringify(message.blocks)).toContain(`Photo: The audience (<${dead}>)`);
    expect((await bot.store.getDraft(TEAM, e.meetupId))?.version).toBe(2);
  });

  it('posts the draft when an uploaded photo was deleted in Slack since, naming it instead', async () => {
    const e = await evening();
    const file = bot.slack.addPrivateFile({ name: 'alessandro.png', mimetype: 'image/png', bytes: PNG });
    const talk = november.meetup.talks[0]!;
    await bot.submit(
      await bot.open('talk 1'),
      talkValues({ ...talk, photo: undefined }, bot.slack.fileObject(file.id)),
    );
    await bot.settled();
    const { responseUrl: first } = await bot.command('draft');
    expect(await draftAnswer(first)).toContain('Draft 2 updated');
    await bot.settled();
    expect(JSON.stringify(imageBlocks(draftMessage(e).blocks))).toContain(file.id);

    // The speaker deletes the photo in Slack; the bot's stored copy still goes in the .zip.
    bot.slack.deleteFile(file.id);
    const { responseUrl } = await bot.command('draft');
    expect(await draftAnswer(responseUrl)).toContain('Draft 3 updated');
    await bot.settled();

    const refusals = bot.slack
      .callsTo('chat.update')
      .filter((c: CallRecord) => (c.response as Json).error === 'invalid_blocks');
    expect(refusals).toHaveLength(1);
    const message = draftMessage(e);
    expect(JSON.stringify(imageBlocks(message.blocks))).not.toContain(file.id);
    expect(JSON.stringify(message.blocks)).toContain(
      'Photo: Alessandro De Maria (/images/2018-11-07-cloud-native-london-november-2018-1.png)',
    );
    // The other photos (links elsewhere) are still shown as photos.
    expect(imageBlocks(message.blocks).length).toBeGreaterThan(0);
    expect((await bot.store.getDraft(TEAM, e.meetupId))?.version).toBe(3);
  });
});
