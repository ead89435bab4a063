import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { altBlockId, roleBlockId } from '../../src/slack/views/add-to-roundup-modal';
import { actionIdOf } from '../../src/slack/views/form';
import { ADD_TO_ROUNDUP } from '../../src/slack/views/ids';
import { FAKE_DEFAULTS, type OpenedView, openedView, TestBot } from '../support/bot';
import { loadRoundup } from '../support/fixtures';
import { meetupValues, playEvening, setupValues } from '../support/organiser-evening';
import { input, interactionBody, messageShortcutPayload, type StateValue } from '../support/slack-requests';

const TEAM = FAKE_DEFAULTS.teamId;
const november = loadRoundup('2018-11-cloud-native-london');

/** A small real image of one colour, so that two photos have different bytes. */
const image = (background: string, format: 'png' | 'jpeg' = 'png') =>
  sharp({ create: { width: 4, height: 3, channels: 3, background } })
    [format]()
    .toBuffer();

/** Someone chooses "Add to roundup" on a message holding `files` (file objects as Slack puts them in it). */
async function useShortcut(bot: TestBot, files: object[], o: { userId?: string; teamId?: string } = {}) {
  const triggerId = bot.slack.issueTriggerId({ userId: o.userId });
  const responseUrl = bot.slack.issueResponseUrl();
  const payload = messageShortcutPayload({
    callbackId: ADD_TO_ROUNDUP.shortcut,
    files,
    text: 'What a night! Photos below',
    triggerId,
    responseUrl,
    userId: o.userId,
    teamId: o.teamId,
  });
  const reply = await bot.post(interactionBody(payload));
  return { reply, triggerId, responseUrl };
}

/** The image posted in the channel: a file the fake serves, as the message carries it. */
function posted(bot: TestBot, name: string, mimetype: string, bytes: Buffer, teamId?: string): object {
  const file = bot.slack.addPrivateFile({ name, mimetype, bytes, ...(teamId ? { teamId } : {}) });
  return bot.slack.fileObject(file.id) as object;
}

const idOf = (file: object) => (file as { id: string }).id;

/** The text of a view's blocks, to read what the form says. */
const textOf = (view: OpenedView) => JSON.stringify(view.view.blocks);

describe('the “Add to roundup” message shortcut', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await TestBot.start();
  });
  afterEach(() => bot.stop());

  it('adds a message’s two images with a role each: stored with their roles and bytes, and in the draft', async () => {
    await playEvening(bot, november);
    const meetup = (await bot.store.currentMeetup(TEAM))!;
    const kapitan = meetup.talks[0]!;
    const [red, blue] = [await image('#d00'), await image('#00d', 'jpeg')];
    const files = [
      posted(bot, 'stage.png', 'image/png', red),
      posted(bot, 'agenda.pdf', 'application/pdf', Buffer.from('%PDF-1.4 not a photo')),
      posted(bot, 'speaker.jpg', 'image/jpeg', blue),
    ];
    const { reply, triggerId } = await useShortcut(bot, files);
    expect(reply.status).toBe(200);
    const view = await bot.viewOpenedWith(triggerId);
    expect(view.callbackId).toBe(ADD_TO_ROUNDUP.modal);
    // The two images, not the PDF; the current meetup chosen; the meetup's talks offered as roles.
    expect(textOf(view)).toContain('This message has 2 photos: “stage.png”, “speaker.jpg”');
    expect(textOf(view)).not.toContain('agenda.pdf');
    expect(textOf(view)).toContain('Deployments with Kapitan');
    const blocks = view.view.blocks as Array<{ block_id?: string; element?: Record<string, unknown> }>;
    const meetupSelect = blocks.find((b) => b.block_id === ADD_TO_ROUNDUP.meetup)?.element;
    expect(meetupSelect?.initial_option).toMatchObject({ value: meetup.id });

    const saved = await bot.submit(view, {
      [ADD_TO_ROUNDUP.meetup]: input.staticSelect(meetup.id),
      [roleBlockId(meetup.id, 0)]: input.staticSelect('header'),
      [altBlockId(0)]: input.text('The audience at Skills Matter'),
      [roleBlockId(meetup.id, 1)]: input.staticSelect(`talk:${kapitan.id}`),
      [altBlockId(1)]: input.text('Alessandro presenting Kapitan'),
    });
    expect(saved.json).toMatchObject({
      response_action: 'update',
      view: { title: { text: 'Added to roundup' } },
    });
    expect(JSON.stringify(saved.json)).toContain('The 2 photos are being copied');
    await bot.settled();
    // Once copied, the form still open says so.
    const done = bot.slack.callsTo('views.update').filter((c) => c.args.view_id === view.id);
    expect(JSON.stringify(done.at(-1)?.args.view)).toContain('2 photos were added to');

    const after = (await bot.store.getMeetup(TEAM, meetup.id))!;
    expect(after.headerPhoto).toMatchObject({
      role: 'header',
      slackFile: { id: idOf(files[0]!), name: 'stage.png' },
      alt: 'The audience at Skills Matter',
      stored: { mimeType: 'image/png', bytes: red.length },
    });
    const talkPhoto = after.talks.find((t) => t.id === kapitan.id)?.photo;
    expect(talkPhoto).toMatchObject({
      role: 'talk',
      slackFile: { id: idOf(files[2]!) },
      alt: 'Alessandro presenting Kapitan',
      stored: { mimeType: 'image/jpeg', bytes: blue.length },
    });
    // The bytes are in the database, under their content's name, downloaded with the bot token.
    expect((await bot.store.getPhotoFile(TEAM, meetup.id, after.headerPhoto!.stored!.file))?.content).toEqual(
      red,
    );
    expect((await bot.store.getPhotoFile(TEAM, meetup.id, talkPhoto!.stored!.file))?.content).toEqual(blue);
    expect(bot.slack.downloads.filter((d) => d.fileId !== idOf(files[1]!))).toEqual([
      expect.objectContaining({ fileId: idOf(files[0]!), authorized: true, status: 200 }),
      expect.objectContaining({ fileId: idOf(files[2]!), authorized: true, status: 200 }),
    ]);

    // The next draft carries both, as it does uploaded photos.
    const uploadsBefore = bot.slack.uploads.length;
    await bot.command('draft');
    await bot.settled();
    const zip = bot.slack.uploads.slice(uploadsBefore).find((u) => u.filename.endsWith('.zip'))!;
    const entries = Object.keys(unzipSync(new Uint8Array(zip.bytes)));
    expect(entries.filter((e) => e.startsWith('images/')).sort()).toEqual([
      'images/2018-11-07-cloud-native-london-november-2018-1.jpeg',
      'images/2018-11-07-cloud-native-london-november-2018.png',
    ]);
    const md = bot.slack.uploads.slice(uploadsBefore).find((u) => u.filename.endsWith('.md'))!;
    const post = md.bytes.toString('utf8');
    expect(post).toContain(
      '![The audience at Skills Matter](/images/2018-11-07-cloud-native-london-november-2018.png)',
    );
    expect(post).toContain(
      '![Alessandro presenting Kapitan](/images/2018-11-07-cloud-native-london-november-2018-1.jpeg)',
    );
  });

  it('answers a message without images, or with other files only, with how to add photos, and opens no form', async () => {
    await playEvening(bot, november);
    const none = await useShortcut(bot, []);
    expect(none.reply.status).toBe(200);
    expect(await bot.responseTo(none.responseUrl)).toContain(
      'This message has no photos to add to the roundup',
    );
    const pdf = posted(bot, 'slides.pdf', 'application/pdf', Buffer.from('%PDF-1.4'));
    const other = await useShortcut(bot, [pdf]);
    const answer = await bot.responseTo(other.responseUrl);
    expect(answer).toContain('This message has no photos to add to the roundup');
    expect(answer).toContain('/roundup photo');
    expect(bot.slack.callsTo('views.open').filter((c) => c.args.trigger_id === other.triggerId)).toEqual([]);
    expect(bot.slack.downloads).toEqual([]);
  });

  it('refuses someone who is not an organiser politely, opening no form and copying nothing', async () => {
    await playEvening(bot, november);
    const photo = posted(bot, 'stage.png', 'image/png', await image('#0d0'));
    const { reply, triggerId, responseUrl } = await useShortcut(bot, [photo], { userId: 'U0NOTORG01' });
    expect(reply.status).toBe(200);
    expect(await bot.responseTo(responseUrl)).toContain(
      `Sorry, only the organisers of ${november.group.name} can do that.`,
    );
    expect(bot.slack.callsTo('views.open').filter((c) => c.args.trigger_id === triggerId)).toEqual([]);
    expect(bot.slack.downloads).toEqual([]);
  });

  it('tells why a file named like a photo is not one, after copying it, and keeps nothing of it', async () => {
    await playEvening(bot, november);
    const meetup = (await bot.store.currentMeetup(TEAM))!;
    const html = Buffer.from('<!doctype html><html><body>not a photo</body></html>');
    const fake = posted(bot, 'group.png', 'image/png', html);
    const { triggerId } = await useShortcut(bot, [fake]);
    const view = await bot.viewOpenedWith(triggerId);
    const saved = await bot.submit(view, {
      [ADD_TO_ROUNDUP.meetup]: input.staticSelect(meetup.id),
      [roleBlockId(meetup.id, 0)]: input.staticSelect('group'),
      [altBlockId(0)]: input.text(null),
    });
    expect(saved.json).toMatchObject({ response_action: 'update' });
    await bot.settled();
    const dm = bot.dms(FAKE_DEFAULTS.userId).find((m) => String(m.text).includes('group.png'));
    expect(String(dm?.text)).toContain('"group.png" is not a JPEG, PNG, GIF or WebP image');
    const done = bot.slack.callsTo('views.update').filter((c) => c.args.view_id === view.id);
    expect(JSON.stringify(done.at(-1)?.args.view)).toContain('No photo was added to');
    const after = (await bot.store.getMeetup(TEAM, meetup.id))!;
    expect(after.photos.filter((p) => p.slackFile?.id === idOf(fake))).toEqual([]);
    const folder = path.join(bot.config.photosDir, TEAM, meetup.id);
    expect(fs.existsSync(folder) ? fs.readdirSync(folder) : []).toEqual([]);
  });

  it('does not offer a photo over 10 MB, saying so, and keeps what was typed when two photos claim the header', async () => {
    await playEvening(bot, november);
    const meetup = (await bot.store.currentMeetup(TEAM))!;
    const big = posted(bot, 'huge.png', 'image/png', Buffer.alloc(10 * 1024 * 1024 + 1));
    const alone = await useShortcut(bot, [big]);
    expect(await bot.responseTo(alone.responseUrl)).toContain('No photo of this message can be added');
    expect(await bot.responseTo(alone.responseUrl)).toContain('huge.png');

    const a = posted(bot, 'a.png', 'image/png', await image('#111'));
    const b = posted(bot, 'b.png', 'image/png', await image('#222'));
    const { triggerId } = await useShortcut(bot, [a, big, b]);
    const view = await bot.viewOpenedWith(triggerId);
    expect(textOf(view)).toContain('This message has 2 photos: “a.png”, “b.png”');
    expect(textOf(view)).toContain('\\"huge.png\\" is larger than 10 MB');

    const typed: Record<string, StateValue> = {
      [ADD_TO_ROUNDUP.meetup]: input.staticSelect(meetup.id),
      [roleBlockId(meetup.id, 0)]: input.staticSelect('header'),
      [altBlockId(0)]: input.text('The room'),
      [roleBlockId(meetup.id, 1)]: input.staticSelect('header'),
      [altBlockId(1)]: input.text('The room again'),
    };
    const refused = await bot.submit(view, typed);
    expect(refused.json).toEqual({
      response_action: 'errors',
      errors: {
        [roleBlockId(meetup.id, 1)]:
          'A post has one header photo, and photo 1 is it already: pick another role.',
      },
    });
    await bot.settled();
    expect((await bot.store.getMeetup(TEAM, meetup.id))?.headerPhoto).toEqual(meetup.headerPhoto);

    // The same form, one role changed: both added.
    const saved = await bot.submit(view, {
      ...typed,
      [roleBlockId(meetup.id, 1)]: input.staticSelect('other'),
    });
    expect(saved.json).toMatchObject({ response_action: 'update' });
    await bot.settled();
    const after = (await bot.store.getMeetup(TEAM, meetup.id))!;
    expect(after.headerPhoto).toMatchObject({ slackFile: { id: idOf(a) }, alt: 'The room', stored: {} });
    expect(after.photos).toContainEqual(
      expect.objectContaining({
        role: 'other',
        slackFile: { id: idOf(b), name: 'b.png' },
        alt: 'The room again',
      }),
    );
    expect(bot.slack.downloads.map((d) => d.fileId)).not.toContain(idOf(big));
  });

  it('redraws the form with another meetup’s talks when that meetup is chosen, and adds the photo there', async () => {
    await playEvening(bot, november);
    const older = (await bot.store.currentMeetup(TEAM))!;
    await bot.submit(
      await bot.open('new'),
      meetupValues({ ...november.meetup, date: '2018-12-05', talks: [] }),
    );
    const newer = (await bot.store.currentMeetup(TEAM))!;
    expect(newer.id).not.toBe(older.id);
    const photo = posted(bot, 'group.png', 'image/png', await image('#0dd'));
    const { triggerId } = await useShortcut(bot, [photo]);
    const view = await bot.viewOpenedWith(triggerId);
    // The current meetup first, then the others newest first.
    const blocks = view.view.blocks as Array<{
      block_id?: string;
      element?: { options?: Array<{ value: string }> };
    }>;
    const offered = blocks
      .find((b) => b.block_id === ADD_TO_ROUNDUP.meetup)
      ?.element?.options?.map((o) => o.value);
    expect(offered).toEqual([newer.id, older.id]);
    expect(textOf(view)).not.toContain('Kapitan');

    await bot.act({
      actionId: actionIdOf(ADD_TO_ROUNDUP.meetup),
      action: { ...input.staticSelect(older.id) },
      view,
    });
    const redrawn = openedView(
      await bot.slack.waitForCall('views.update', (c) => c.args.view_id === view.id),
    );
    expect(textOf(redrawn)).toContain('Deployments with Kapitan');
    const saved = await bot.submit(redrawn, {
      [ADD_TO_ROUNDUP.meetup]: input.staticSelect(older.id),
      [roleBlockId(older.id, 0)]: input.staticSelect('group'),
      [altBlockId(0)]: input.text(''),
    });
    expect(saved.json).toMatchObject({ response_action: 'update' });
    await bot.settled();
    expect((await bot.store.getMeetup(TEAM, older.id))?.photos).toContainEqual(
      expect.objectContaining({
        role: 'group',
        slackFile: { id: idOf(photo), name: 'group.png' },
        stored: expect.anything(),
      }),
    );
    expect((await bot.store.getMeetup(TEAM, newer.id))?.photos ?? []).toEqual([]);
  });
});

describe('the “Add to roundup” shortcut in a workspace installed by OAuth', () => {
  const ACME = { team: 'T0ACME0001', user: 'U0ACME0001' };
  let bot: TestBot;
  beforeEach(async () => {
    bot = await TestBot.start({ oauth: true });
  });
  afterEach(() => bot.stop());

  it('copies the photos with that workspace’s own token', async () => {
    await bot.install(ACME.team, ACME.user);
    const as = { userId: ACME.user, teamId: ACME.team };
    const organisers = bot.slack.addChannel({ name: 'organisers-acme', teamId: ACME.team });
    await bot.submit(await bot.open('setup', as), setupValues(november, organisers, ACME.user), as);
    await bot.submit(await bot.open('new', as), meetupValues({ ...november.meetup, talks: [] }), as);
    const meetup = (await bot.store.currentMeetup(ACME.team))!;
    const photo = posted(bot, 'acme.png', 'image/png', await image('#dd0'), ACME.team);

    const { triggerId } = await useShortcut(bot, [photo], as);
    const view = await bot.viewOpenedWith(triggerId);
    const saved = await bot.submit(
      view,
      {
        [ADD_TO_ROUNDUP.meetup]: input.staticSelect(meetup.id),
        [roleBlockId(meetup.id, 0)]: input.staticSelect('group'),
        [altBlockId(0)]: input.text('Acme’s group photo'),
      },
      as,
    );
    expect(saved.json).toMatchObject({ response_action: 'update' });
    await bot.settled();
    // Served only to a bot token of the workspace the file is in.
    expect(bot.slack.downloads).toEqual([
      expect.objectContaining({ fileId: idOf(photo), authorized: true, status: 200 }),
    ]);
    expect((await bot.store.getMeetup(ACME.team, meetup.id))?.photos).toContainEqual(
      expect.objectContaining({ role: 'group', alt: 'Acme’s group photo', stored: expect.anything() }),
    );
  });
});
