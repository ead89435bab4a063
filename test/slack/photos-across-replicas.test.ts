import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { publishMeetup } from '../../src/services/publish';
import { PHOTO } from '../../src/slack/views/ids';
import { eventually, FAKE_DEFAULTS, TestBot } from '../support/bot';
import { loadRoundup } from '../support/fixtures';
import { cloneBranch, makeBareSite } from '../support/git-site';
import { playEvening } from '../support/organiser-evening';
import { input } from '../support/slack-requests';
import { makeTempFolder, type TempFolder } from '../support/temp-db';

const TEAM = FAKE_DEFAULTS.teamId;

// Each test plays the organiser's evening and drafts on two bots: slower than most on a busy machine.
jest.setTimeout(30_000);

/** A 3 × 2 PNG of six different colours: its pixels say which photo it is, whatever re-encodes it. */
async function colourfulPng(): Promise<Buffer> {
  const pixels = Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0, 0, 255, 255, 255, 0, 255]);
  return sharp(pixels, { raw: { width: 3, height: 2, channels: 3 } })
    .png()
    .toBuffer();
}

const pixelsOf = (bytes: Uint8Array) => sharp(Buffer.from(bytes)).removeAlpha().raw().toBuffer();
const digestOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex').slice(0, 12);

describe('photos on several replicas of the bot, one database', () => {
  const november = loadRoundup('2018-11-cloud-native-london');
  let first: TestBot;
  let second: TestBot | undefined;
  let secondData: TempFolder | undefined;
  let photo: Buffer;

  beforeEach(async () => {
    photo = await colourfulPng();
    first = await TestBot.start();
  });
  afterEach(async () => {
    await second?.stop({ keepFolder: true, keepSlack: true });
    secondData?.remove();
    second = undefined;
    secondData = undefined;
    await first.stop();
  });

  /** A second replica: the same Slack and database (kept in the first's folder), its own DATA_DIR. */
  async function startSecond(): Promise<TestBot> {
    secondData = makeTempFolder();
    second = await TestBot.start({
      slack: first.slack,
      folder: first.folder,
      env: { DATA_DIR: secondData.dir },
    });
    return second;
  }

  /** The evening played on the first bot, with a group photo uploaded through `/roundup photo`. */
  async function eveningWithPhoto() {
    const evening = await playEvening(first, november, {
      groupPhoto: { name: 'crowd.png', mimetype: 'image/png', bytes: photo, alt: 'The crowd' },
    });
    const meetup = (await first.store.currentMeetup(TEAM))!;
    const stored = meetup.photos.find((p) => p.stored)!.stored!;
    return { evening, meetup, stored };
  }

  /** Run `/roundup draft` on a bot and return the .zip's entries, or what the organiser was told. */
  async function draftOn(bot: TestBot): Promise<{ said: string; entries?: Record<string, Uint8Array> }> {
    const uploadsBefore = bot.slack.uploads.length;
    const { responseUrl } = await bot.command('draft');
    const said = await bot.responseTo(
      responseUrl,
      (t) => /Draft \d+ (updated|posted)|:warning:/.test(t),
      10_000,
    );
    await bot.settled();
    const zip = bot.slack.uploads.slice(uploadsBefore).find((u) => u.filename.endsWith('.zip'));
    return { said, ...(zip ? { entries: unzipSync(new Uint8Array(zip.bytes)) } : {}) };
  }

  const image = (entries: Record<string, Uint8Array> | undefined) => {
    const names = Object.keys(entries ?? {}).filter((n) => n.startsWith('images/'));
    expect(names).toHaveLength(1);
    return entries![names[0]!]!;
  };

  it('names a stored photo by its content and keeps its bytes in the database', async () => {
    const { meetup, stored } = await eveningWithPhoto();
    const uploaded = meetup.photos.find((p) => p.stored)!;
    expect(stored.file).toBe(`photo-${uploaded.slackFile!.id}-${digestOf(photo)}.png`);
    expect(stored).toMatchObject({ mimeType: 'image/png', bytes: photo.length });
    const file = await first.store.getPhotoFile(TEAM, meetup.id, stored.file);
    expect(file).toEqual({ meetupId: meetup.id, name: stored.file, mimeType: 'image/png', content: photo });
    expect(await first.database.count('photo_files')).toBe(1);
    // This machine's copy, under the same name.
    const copy = path.join(first.config.photosDir, TEAM, meetup.id, stored.file);
    expect(fs.readFileSync(copy)).toEqual(photo);
  });

  it('drafts, on a second replica that never saw the file, a .zip holding the photo uploaded through the first', async () => {
    const { evening, meetup, stored } = await eveningWithPhoto();
    const fromFirst = image(unzipSync(new Uint8Array(evening.zip.bytes)));

    const other = await startSecond();
    expect(other.config.photosDir).not.toBe(first.config.photosDir);
    const copy = path.join(other.config.photosDir, TEAM, meetup.id, stored.file);
    expect(fs.existsSync(copy)).toBe(false);

    const { said, entries } = await draftOn(other);
    expect(said).toContain('Draft 2 updated');
    const fromSecond = image(entries);
    expect(await pixelsOf(fromSecond)).toEqual(await pixelsOf(photo));
    expect(Buffer.from(fromSecond)).toEqual(Buffer.from(fromFirst));
    // The second replica keeps its own copy of the original from now on.
    expect(fs.readFileSync(copy)).toEqual(photo);
  });

  it('fetches a photo whose copy on this machine was deleted back from the database', async () => {
    const { meetup, stored } = await eveningWithPhoto();
    const folder = path.join(first.config.photosDir, TEAM, meetup.id);
    // Everything this machine had of it: the original and its web-ready copies.
    fs.rmSync(folder, { recursive: true });

    const { said, entries } = await draftOn(first);
    expect(said).toContain('Draft 2 updated');
    expect(await pixelsOf(image(entries))).toEqual(await pixelsOf(photo));
    expect(fs.readFileSync(path.join(folder, stored.file))).toEqual(photo);
    expect(fs.readdirSync(folder).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('still drafts a photo stored before photos went into the database, from the folder alone', async () => {
    const { meetup } = await eveningWithPhoto();
    // As the bot stored photos before: `photo-<file id>.png` in the folder, nothing in the database.
    const old = 'photo-F0BEFORE01.png';
    fs.writeFileSync(path.join(first.config.photosDir, TEAM, meetup.id, old), photo);
    await first.store.updateMeetup(TEAM, meetup.id, {
      photos: [{ role: 'group', alt: 'Before', stored: { file: old, mimeType: 'image/png' } }],
    });

    const { said, entries } = await draftOn(first);
    expect(said).toContain('Draft 2 updated');
    expect(await pixelsOf(image(entries))).toEqual(await pixelsOf(photo));
  });

  it('reports a photo in neither the folder nor the database as missing, as before', async () => {
    const { meetup } = await eveningWithPhoto();
    await first.store.updateMeetup(TEAM, meetup.id, {
      photos: [
        {
          role: 'group',
          alt: 'Lost',
          stored: { file: `photo-F0LOST0001-${'0'.repeat(12)}.png`, mimeType: 'image/png' },
        },
      ],
    });
    const { said } = await draftOn(first);
    expect(said).toContain(':warning: The photo file for images/');
    expect(said).toContain('is missing on the server; upload it again.');
  });

  it('drafts on the second replica a photo uploaded through it, read back by the first', async () => {
    await playEvening(first, november);
    const other = await startSecond();
    const meetupId = (await first.store.currentMeetup(TEAM))!.id;
    const file = other.slack.addPrivateFile({ name: 'crowd.png', mimetype: 'image/png', bytes: photo });
    await other.submit(await other.open('photo'), {
      [PHOTO.role]: input.staticSelect('group'),
      [PHOTO.files]: input.files([other.slack.fileObject(file.id)!]),
      [PHOTO.urls]: input.text(null),
      [PHOTO.alt]: input.text('The crowd'),
    });
    await other.settled();
    const stored = await eventually(async () => {
      const found = (await first.store.getMeetup(TEAM, meetupId))?.photos.find((p) => p.stored)?.stored;
      expect(found).toBeDefined();
      return found!;
    });
    expect(fs.existsSync(path.join(first.config.photosDir, TEAM, meetupId, stored.file))).toBe(false);
    const { entries } = await draftOn(first);
    expect(await pixelsOf(image(entries))).toEqual(await pixelsOf(photo));
  });

  it('publishes, from a second replica that never saw the file, the photo uploaded through the first', async () => {
    const { meetup } = await eveningWithPhoto();
    const sites = makeTempFolder();
    try {
      const remote = makeBareSite(sites.dir);
      const { id: _id, teamId: _team, ...group } = (await first.store.getGroup(TEAM))!;
      await first.store.saveGroup(TEAM, {
        ...group,
        site: {
          kind: 'git',
          repository: remote,
          branch: 'main',
          postsFolder: '_posts',
          imagesFolder: 'images',
          maxPhotoWidth: 1600,
        },
      });
      const other = await startSecond();
      const report = await publishMeetup(other.bot.deps, TEAM, meetup.id);
      expect(report.photos).toBe(1);
      const clone = cloneBranch(remote, report.publication.branch, sites.dir);
      const images = fs.readdirSync(path.join(clone, 'images'));
      expect(images).toHaveLength(1);
      expect(await pixelsOf(fs.readFileSync(path.join(clone, 'images', images[0]!)))).toEqual(
        await pixelsOf(photo),
      );
    } finally {
      sites.remove();
    }
  });
});
