import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { ACTION, CALLBACK } from '../../src/slack/views/ids';
import { eventually, FAKE_DEFAULTS, TestBot } from '../support/bot';
import { loadRoundup } from '../support/fixtures';
import { pngDeclaring } from '../support/images';
import { playEvening, talkValues } from '../support/organiser-evening';
import { input } from '../support/slack-requests';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const TEAM = FAKE_DEFAULTS.teamId;

describe('photos and drafts, over HTTP', () => {
  let bot: TestBot;
  const november = loadRoundup('2018-11-cloud-native-london');

  beforeEach(async () => {
    bot = await TestBot.start();
  });
  afterEach(async () => {
    await bot.stop();
  });

  it('downloads a speaker photo uploaded in the talk modal with the bot token and ships it in the .zip', async () => {
    const evening = await playEvening(bot, november);
    const file = bot.slack.addPrivateFile({ name: 'alessandro.png', mimetype: 'image/png', bytes: PNG });
    const talk = november.meetup.talks[0]!;
    const view = await bot.open('talk 1');
    const reply = await bot.submit(
      view,
      talkValues({ ...talk, photo: undefined }, bot.slack.fileObject(file.id)),
    );
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('');

    const stored = await eventually(async () => {
      const meetup = await bot.store.currentMeetup(TEAM);
      const photo = meetup?.talks[0]?.photo;
      expect(photo?.stored).toBeDefined();
      return { meetup: meetup!, photo: photo! };
    });
    expect(stored.photo.stored?.mimeType).toBe('image/png');
    const digest = createHash('sha256').update(PNG).digest('hex').slice(0, 12);
    expect(stored.photo.stored?.file).toBe(`talk-${stored.meetup.talks[0]!.id}-${digest}.png`);
    const onDisk = path.join(bot.config.photosDir, TEAM, stored.meetup.id, stored.photo.stored!.file);
    expect(fs.readFileSync(onDisk)).toEqual(PNG);
    expect(bot.slack.downloads).toEqual([
      expect.objectContaining({ fileId: file.id, authorized: true, status: 200 }),
    ]);

    const uploadsBefore = bot.slack.uploads.length;
    await bot.command('draft');
    await eventually(() => expect(bot.slack.uploads.length).toBe(uploadsBefore + 2));
    const zip = bot.slack.uploads.slice(uploadsBefore).find((u) => u.filename.endsWith('.zip'))!;
    const entries = unzipSync(new Uint8Array(zip.bytes));
    const image = 'images/2018-11-07-cloud-native-london-november-2018-1.png';
    expect(Object.keys(entries).sort()).toEqual([
      '_posts/2018-11-07-cloud-native-london-november-2018.md',
      image,
    ]);
    // The photo made ready for the web: the same 1 × 1 PNG, re-encoded without metadata.
    expect(await sharp(Buffer.from(entries[image]!)).metadata()).toMatchObject({
      format: 'png',
      width: 1,
      height: 1,
    });
    const post = Buffer.from(entries['_posts/2018-11-07-cloud-native-london-november-2018.md']!).toString(
      'utf8',
    );
    expect(post).toContain(`![Alessandro De Maria](/${image})`);
    // The preview shows the uploaded photo by its Slack file, not a link the server made up.
    const draft = bot.slack.messages(evening.organisersChannel).find((m) => m.ts === evening.draft.ts)!;
    expect(JSON.stringify(draft.blocks)).toContain(file.id);
  });

  it('refuses a file that claims to be an image but is not, keeping the rest of the talk and saying why', async () => {
    await playEvening(bot, november);
    const html = Buffer.from('<!doctype html><html><body>not a photo</body></html>');
    const file = bot.slack.addPrivateFile({ name: 'photo.png', mimetype: 'image/png', bytes: html });
    const talk = november.meetup.talks[1]!;
    const view = await bot.open('talk 2');
    const changed = { ...talk, photo: undefined, title: 'Cortex, revisited' };
    expect((await bot.submit(view, talkValues(changed, bot.slack.fileObject(file.id)))).status).toBe(200);

    const dm = await eventually(() => {
      const message = bot.dms(FAKE_DEFAULTS.userId).find((m) => String(m.text).includes('photo.png'));
      expect(message).toBeDefined();
      return message!;
    });
    expect(String(dm.text)).toContain('"photo.png" is not a JPEG, PNG, GIF or WebP image');
    const meetup = await bot.store.currentMeetup(TEAM);
    expect(meetup?.talks[1]?.title).toBe('Cortex, revisited');
    expect(meetup?.talks[1]?.photo).toBeUndefined();
    const folder = path.join(bot.config.photosDir, TEAM, meetup!.id);
    expect(fs.existsSync(folder) ? fs.readdirSync(folder) : []).toEqual([]);
  });

  it('refuses a 5 KB PNG declaring 100,000 × 100,000 pixels: not stored, not in the .zip, and the organiser told', async () => {
    await playEvening(bot, november);
    const bomb = pngDeclaring(100_000, 100_000, 5 * 1024);
    const file = bot.slack.addPrivateFile({ name: 'speaker.png', mimetype: 'image/png', bytes: bomb });
    const talk = november.meetup.talks[0]!;
    const reply = await bot.submit(
      await bot.open('talk 1'),
      talkValues({ ...talk, photo: undefined }, bot.slack.fileObject(file.id)),
    );
    expect(reply.text).toBe('');
    await bot.settled();

    const dm = bot.dms(FAKE_DEFAULTS.userId).find((m) => String(m.text).includes('speaker.png'));
    expect(String(dm?.text)).toContain(
      '"speaker.png" is 100,000 × 100,000 pixels; a photo may have at most 100 megapixels and 20,000 pixels a side',
    );
    const meetup = (await bot.store.currentMeetup(TEAM))!;
    expect(meetup.talks[0]?.photo).toBeUndefined();
    const folder = path.join(bot.config.photosDir, TEAM, meetup.id);
    expect(fs.existsSync(folder) ? fs.readdirSync(folder) : []).toEqual([]);

    const uploadsBefore = bot.slack.uploads.length;
    await bot.command('draft');
    await bot.settled();
    const zip = bot.slack.uploads.slice(uploadsBefore).find((u) => u.filename.endsWith('.zip'))!;
    expect(Object.keys(unzipSync(new Uint8Array(zip.bytes)))).toEqual([
      '_posts/2018-11-07-cloud-native-london-november-2018.md',
    ]);
  });

  it('adds event photos from links without fetching them, and the header photo from an upload', async () => {
    await playEvening(bot, november);
    const view = await bot.open('photo');
    expect(view.callbackId).toBe(CALLBACK.photo);
    const links = await bot.submit(view, {
      photo_role: input.staticSelect('group'),
      photo_files: input.files([]),
      photo_urls: input.text('http://127.0.0.1:9/private.jpg\nhttps://example.org/group.jpg'),
      photo_alt: input.text('The audience'),
    });
    expect(links.status).toBe(200);
    const meetup = await bot.store.currentMeetup(TEAM);
    expect(meetup?.photos.map((p) => [p.role, p.url, p.alt])).toEqual([
      ['group', 'http://127.0.0.1:9/private.jpg', 'The audience'],
      ['group', 'https://example.org/group.jpg', 'The audience'],
    ]);
    expect(bot.slack.downloads).toEqual([]);

    const file = bot.slack.addPrivateFile({ name: 'header.png', mimetype: 'image/png', bytes: PNG });
    const header = await bot.open('photo');
    await bot.submit(header, {
      photo_role: input.staticSelect('header'),
      photo_files: input.files([bot.slack.fileObject(file.id)!]),
      photo_urls: input.text(null),
      photo_alt: input.text(null),
    });
    await eventually(async () => {
      const m = await bot.store.currentMeetup(TEAM);
      // Named by its content: `header-` and the first 12 hex digits of its SHA-256.
      const digest = createHash('sha256').update(PNG).digest('hex').slice(0, 12);
      expect(m?.headerPhoto?.stored?.file).toBe(`header-${digest}.png`);
    });
  });

  it('re-drafting updates the same message, and marking published shows on it', async () => {
    const evening = await playEvening(bot, november);
    const postsBefore = bot.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === evening.organisersChannel).length;

    const { responseUrl } = await bot.command('draft');
    expect(await bot.responseTo(responseUrl, (t) => t.includes('Draft 2 updated'))).toContain(
      evening.organisersChannel,
    );
    const updates = bot.slack.callsTo('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.args.ts).toBe(evening.draft.ts);
    const topLevel = bot.slack
      .messages(evening.organisersChannel)
      .filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    expect(topLevel.filter((m) => String(m.text).startsWith('Roundup draft'))).toHaveLength(1);
    expect(
      bot.slack
        .callsTo('chat.postMessage')
        .filter((c) => c.args.channel === evening.organisersChannel && !c.args.thread_ts),
    ).toHaveLength(postsBefore);

    // The Regenerate button does the same. Its files take a while (as on a busy machine): the version is
    // saved after the message is updated and the files uploaded, so the test waits for the whole re-draft.
    bot.slack.setDelay(300, 'files.completeUploadExternal');
    await bot.act({
      actionId: ACTION.draftRegenerate,
      action: { type: 'button', value: (await bot.store.currentMeetup(TEAM))!.id },
      message: { channelId: evening.organisersChannel, ts: evening.draft.ts },
    });
    await bot.settled();
    expect(bot.slack.callsTo('chat.update')).toHaveLength(2);
    expect((await bot.store.getDraft(TEAM, (await bot.store.currentMeetup(TEAM))!.id))?.version).toBe(3);

    const meetupId = (await bot.store.currentMeetup(TEAM))!.id;
    await bot.act({
      actionId: ACTION.draftPublished,
      action: { type: 'button', value: meetupId },
      message: { channelId: evening.organisersChannel, ts: evening.draft.ts },
    });
    await bot.settled();
    expect((await bot.store.getMeetup(TEAM, meetupId))?.status).toBe('published');
    expect(bot.slack.callsTo('chat.update')).toHaveLength(3);
    const message = bot.slack.messages(evening.organisersChannel).find((m) => m.ts === evening.draft.ts)!;
    expect(JSON.stringify(message.blocks)).toContain('Published (marked by');
    expect(JSON.stringify(message.blocks)).not.toContain('Mark published');
  });

  it('opens the talk list from the draft’s Edit a talk button, for organisers only', async () => {
    const evening = await playEvening(bot, november);
    const meetupId = (await bot.store.currentMeetup(TEAM))!.id;
    const click = await bot.act({
      actionId: ACTION.draftEditTalk,
      action: { type: 'button', value: meetupId },
      message: { channelId: evening.organisersChannel, ts: evening.draft.ts },
    });
    const list = await bot.viewOpenedWith(click.triggerId);
    expect(list.callbackId).toBe(CALLBACK.talks);
    expect(JSON.stringify(list.view)).toContain('1. Deployments with Kapitan');

    bot.slack.addUser({ id: 'U0OTHER001', name: 'someone' });
    const other = await bot.act({
      actionId: ACTION.draftEditTalk,
      action: { type: 'button', value: meetupId },
      userId: 'U0OTHER001',
      message: { channelId: evening.organisersChannel, ts: evening.draft.ts },
    });
    expect(await bot.responseTo(other.responseUrl)).toContain(
      'Sorry, only the organisers of Cloud Native London',
    );
    expect(bot.slack.callsTo('views.open').some((c) => c.args.trigger_id === other.triggerId)).toBe(false);
  });

  it('shows someone who does not organise a read-only App Home', async () => {
    await playEvening(bot, november);
    bot.slack.addUser({ id: 'U0OTHER001', name: 'someone' });
    await bot.event({ type: 'app_home_opened', user: 'U0OTHER001', channel: 'D0HOME0002', tab: 'home' });
    const home = await eventually(() => {
      const view = bot.slack.homeView('U0OTHER001');
      expect(view).toBeDefined();
      return JSON.stringify(view);
    });
    expect(home).toContain('Only the organisers can change the meetup and its post.');
    expect(home).not.toContain('/roundup draft');
  });

  it('tells the organiser clearly when the draft cannot be posted, and keeps everything entered', async () => {
    await playEvening(bot, november);
    const meetup = await bot.store.currentMeetup(TEAM);
    bot.slack.failNext('chat.update', { error: 'channel_not_found' });
    const { responseUrl } = await bot.command('draft');
    const said = await bot.responseTo(responseUrl, (t) => t.includes(':warning:'));
    expect(said).toContain('the channel is gone or the bot cannot see it');
    expect(said).toContain('Nothing you entered is lost');
    expect(said).not.toMatch(/at .*\.js|Error:/);
    expect((await bot.store.currentMeetup(TEAM))?.talks).toEqual(meetup?.talks);
  });

  it('waits out a 429 with Retry-After and posts the draft', async () => {
    await playEvening(bot, november);
    bot.slack.failNext('chat.update', { status: 429, retryAfter: 1 });
    const { responseUrl } = await bot.command('draft');
    expect(await bot.responseTo(responseUrl, (t) => t.includes('Draft 2 updated'), 10_000)).toBeTruthy();
    const updates = bot.slack.callsTo('chat.update');
    expect(updates.map((c) => c.status)).toEqual([429, 200]);
    expect(updates[1]!.at - updates[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('rides out a burst of 429s, waiting each Retry-After, and posts the draft', async () => {
    await playEvening(bot, november);
    bot.slack.failNext('chat.update', { status: 429, retryAfter: 1, times: 3 });
    const { responseUrl } = await bot.command('draft');
    expect(await bot.responseTo(responseUrl, (t) => t.includes('Draft 2 updated'), 15_000)).toBeTruthy();
    const updates = bot.slack.callsTo('chat.update');
    expect(updates.map((c) => c.status)).toEqual([429, 429, 429, 200]);
    for (let i = 1; i < updates.length; i++)
      expect(updates[i]!.at - updates[i - 1]!.at).toBeGreaterThanOrEqual(900);
  }, 20_000);

  it('refuses a 50 MB photo in the photo form under the field, before downloading anything', async () => {
    await playEvening(bot, november);
    const huge = bot.slack.addPrivateFile({
      name: 'panorama.jpg',
      mimetype: 'image/jpeg',
      bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(50 * 1024 * 1024)]),
    });
    const reply = await bot.submit(await bot.open('photo'), {
      photo_role: input.staticSelect('other'),
      photo_files: input.files([bot.slack.fileObject(huge.id)!]),
      photo_urls: input.text(null),
      photo_alt: input.text('The whole room'),
    });
    expect(reply.json).toEqual({
      response_action: 'errors',
      errors: { photo_files: '"panorama.jpg" is larger than 10 MB. Nothing else you typed is lost.' },
    });
    expect(bot.slack.downloads).toEqual([]);
    expect((await bot.store.currentMeetup(TEAM))?.photos).toEqual([]);
  });

  it('sends the meetup as JSON that `roundup render` reads to the organiser’s DM', async () => {
    await playEvening(bot, november);
    const { responseUrl } = await bot.command('export');
    await bot.responseTo(responseUrl, (t) => t.includes('2018-11-07-roundup.json'));
    const upload = bot.slack.uploads.find((u) => u.filename === '2018-11-07-roundup.json')!;
    const exported = JSON.parse(upload.bytes.toString('utf8'));
    expect(exported.group.name).toBe('Cloud Native London');
    expect(exported.meetup.talks.map((t: { title: string }) => t.title)).toEqual(
      november.meetup.talks.map((t) => t.title),
    );
  });

  it('shows the current meetup, its checklist and the next meetup in the App Home', async () => {
    await playEvening(bot, november);
    await bot.event({
      type: 'app_home_opened',
      user: FAKE_DEFAULTS.userId,
      channel: 'D0HOME0001',
      tab: 'home',
      event_ts: '1700000000.000100',
    });
    const home = await eventually(() => {
      const view = bot.slack.homeView(FAKE_DEFAULTS.userId);
      expect(JSON.stringify(view)).toContain('Wednesday 12 December 2018 at 18:30, at Monzo');
      return view!;
    });
    const text = JSON.stringify(home);
    expect(text).toContain('Cloud Native London roundup');
    expect(text).toContain('*Talks:* 3 (3 with takeaways)');
    expect(text).toContain('Upcoming reminders');
  });
});
