import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import sharp from 'sharp';
import type { Meetup } from '../../src/domain/meetup';
import { fetchUploadedPhotos } from '../../src/services/photo-intake';
import type { Store } from '../../src/store/store';
import { createTestDatabase, POSTGRES_URL, type TestDatabase } from '../support/backends';
import { eventually, FAKE_DEFAULTS, TestBot } from '../support/bot';
import { describeOnPostgres } from '../support/each-backend';
import { loadRoundup } from '../support/fixtures';
import { makeTempFolder, type TempFolder } from '../support/temp-db';

const TEAM = FAKE_DEFAULTS.teamId;

jest.setTimeout(30_000);

const png = (colour: string) =>
  sharp({ create: { width: 2, height: 2, channels: 3, background: colour } })
    .png()
    .toBuffer();

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { promise, fire: () => fire() };
}

/**
 * The store one replica's intake sees, holding it at two points: before its write-back's transaction opens,
 * and, inside it, before the update that writes the photos, until the test lets it go on.
 */
function heldStore(real: Store) {
  const beforeTransaction = { reached: signal(), release: signal() };
  const beforeWrite = { reached: signal(), release: signal() };
  const inside = (store: Store): Store =>
    new Proxy(store, {
      get(target, key, receiver) {
        if (key === 'updateMeetup') {
          return async (...args: Parameters<Store['updateMeetup']>) => {
            if (Object.hasOwn(args[2], 'photos')) {
              beforeWrite.reached.fire();
              await beforeWrite.release.promise;
            }
            return target.updateMeetup(...args);
          };
        }
        return Reflect.get(target, key, receiver);
      },
    });
  const store = new Proxy(real, {
    get(target, key, receiver) {
      if (key === 'transaction') {
        return async <T>(work: (s: Store) => Promise<T>) => {
          beforeTransaction.reached.fire();
          await beforeTransaction.release.promise;
          return target.transaction((s) => work(inside(s)));
        };
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store, beforeTransaction, beforeWrite };
}

describeOnPostgres('two replicas taking in photos of one meetup at once', () => {
  const november = loadRoundup('2018-11-cloud-native-london');
  let db: TestDatabase;
  let first: TestBot;
  let second: TestBot;
  let secondData: TempFolder;
  let application: string;
  let pg: Client;

  beforeEach(async () => {
    // PostgreSQL whichever backend the other suites run on: the row lock is what is tested.
    db = await createTestDatabase('postgres');
    first = await TestBot.start({ folder: db.folder, env: { DATABASE_URL: db.url } });
    secondData = makeTempFolder();
    // Its connections are named, so that the test can see them wait for the first's lock.
    application = `roundup_second_${randomBytes(4).toString('hex')}`;
    const url = new URL(db.url);
    url.searchParams.set('application_name', application);
    second = await TestBot.start({
      slack: first.slack,
      folder: db.folder,
      env: { DATA_DIR: secondData.dir, DATABASE_URL: url.toString() },
    });
    pg = new Client({ connectionString: POSTGRES_URL });
    await pg.connect();
  });
  afterEach(async () => {
    await pg.end();
    await second.stop({ keepFolder: true, keepSlack: true });
    secondData.remove();
    await first.stop({ keepFolder: true });
    await db.remove();
  });

  async function secondWaitsForALock(): Promise<boolean> {
    const { rows } = await pg.query(
      "select count(*)::int as n from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock'",
      [application],
    );
    return (rows[0] as { n: number }).n > 0;
  }

  it('keeps both replicas’ photos when their write-backs overlap', async () => {
    await first.store.saveGroup(TEAM, november.group);
    const upload = async (name: string, colour: string) =>
      first.slack.addPrivateFile({ name, mimetype: 'image/png', bytes: await png(colour) });
    const x = await upload('x.png', '#ff0000');
    const y = await upload('y.png', '#0000ff');
    const photo = (id: string, name: string): Meetup['photos'][number] => ({
      role: 'group',
      alt: name,
      slackFile: { id, name },
    });
    const meetup = await first.store.createMeetup(TEAM, {
      ...november.meetup,
      headerPhoto: undefined,
      photos: [photo(x.id, 'x.png')],
    });

    // The first replica takes in photo x and is held before its write-back.
    const held = heldStore(first.store);
    const one = fetchUploadedPhotos({ ...(await first.teamDeps(TEAM)), store: held.store }, TEAM, meetup.id);
    await held.beforeTransaction.reached.promise;
    // Photo y is added meanwhile, and x is deleted in Slack: the second replica can take in only y.
    await first.store.updateMeetup(TEAM, meetup.id, {
      photos: [photo(x.id, 'x.png'), photo(y.id, 'y.png')],
    });
    first.slack.deleteFile(x.id);
    held.beforeTransaction.release.fire();
    await held.beforeWrite.reached.promise;

    // The second replica's intake runs while the first is inside its write-back, which goes on once the
    // second has written or is waiting for the first's lock on the meetup.
    let secondDone = false;
    const two = fetchUploadedPhotos(await second.teamDeps(TEAM), TEAM, meetup.id).finally(() => {
      secondDone = true;
    });
    await eventually(async () => expect(secondDone || (await secondWaitsForALock())).toBe(true), 10_000);
    held.beforeWrite.release.fire();

    expect(await one).toEqual({ stored: 1, refused: [] });
    expect((await two).stored).toBe(1);
    const photos = (await first.store.getMeetup(TEAM, meetup.id))!.photos;
    expect(photos.map((p) => [p.slackFile?.id, p.stored?.file.startsWith('photo-')])).toEqual([
      [x.id, true],
      [y.id, true],
    ]);
    for (const p of photos) {
      expect(await first.store.getPhotoFile(TEAM, meetup.id, p.stored!.file)).toBeDefined();
    }
  });
});
