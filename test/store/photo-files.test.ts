import { randomBytes } from 'node:crypto';
import { openStore, type SqlStore } from '../../src/store/sql-store';
import { MAX_PHOTO_FILE_BYTES, NotFoundError, type PhotoFile } from '../../src/store/store';
import { createTestDatabase, type TestDatabase } from '../support/backends';
import { describeEachBackend } from '../support/each-backend';
import { fullGroup, meetupOn } from './fixtures';

/** A photo's bytes are kept in the database, so every replica reads the same file. */
const A = 'T0TEAMA';
const B = 'T0TEAMB';

describeEachBackend('photo files', (backend) => {
  let db: TestDatabase;
  let store: SqlStore;
  let meetupId: string;
  let bMeetupId: string;

  beforeEach(async () => {
    db = await createTestDatabase(backend.backend);
    store = await openStore(db.url);
    await store.saveGroup(A, fullGroup());
    await store.saveGroup(B, { ...fullGroup(), name: 'Team B group' });
    meetupId = (await store.createMeetup(A, meetupOn('2018-11-07', 'held'))).id;
    bMeetupId = (await store.createMeetup(B, meetupOn('2018-11-07', 'held'))).id;
  });

  afterEach(async () => {
    await store.close();
    await db.remove();
  });

  function photo(content: Buffer, changes: Partial<PhotoFile> = {}): PhotoFile {
    return { meetupId, name: 'talk-1-3f2a9c.jpg', mimeType: 'image/jpeg', content, ...changes };
  }

  it('reads back the bytes and the mime type put, also after reopening', async () => {
    // Random bytes: every byte value, no text encoding could pass them through unchanged by luck.
    const content = randomBytes(300 * 1024);
    await store.putPhotoFile(A, photo(content));
    await store.putPhotoFile(
      A,
      photo(Buffer.from('other'), { name: 'header-77.png', mimeType: 'image/png' }),
    );

    const read = await store.getPhotoFile(A, meetupId, 'talk-1-3f2a9c.jpg');
    expect(read).toStrictEqual(photo(content));
    expect(read?.content.equals(content)).toBe(true);

    await store.close();
    store = await openStore(db.url);
    expect((await store.getPhotoFile(A, meetupId, 'talk-1-3f2a9c.jpg'))?.content.equals(content)).toBe(true);
    expect(await store.getPhotoFile(A, meetupId, 'header-77.png')).toMatchObject({ mimeType: 'image/png' });
  });

  it('is undefined for a name not stored, another meetup, or another team', async () => {
    await store.putPhotoFile(A, photo(randomBytes(1024)));

    expect(await store.getPhotoFile(A, meetupId, 'talk-2-000000.jpg')).toBeUndefined();
    expect(await store.getPhotoFile(A, bMeetupId, 'talk-1-3f2a9c.jpg')).toBeUndefined();
    expect(await store.getPhotoFile(B, meetupId, 'talk-1-3f2a9c.jpg')).toBeUndefined();
  });

  it('keeps one row when the same name is put twice', async () => {
    const content = randomBytes(64 * 1024);
    await store.putPhotoFile(A, photo(content));
    await store.putPhotoFile(A, photo(content));

    expect(await db.count('photo_files')).toBe(1);
    expect((await store.getPhotoFile(A, meetupId, 'talk-1-3f2a9c.jpg'))?.content.equals(content)).toBe(true);
  });

  it('refuses a file over MAX_PHOTO_FILE_BYTES, storing nothing', async () => {
    await expect(store.putPhotoFile(A, photo(Buffer.alloc(MAX_PHOTO_FILE_BYTES + 1)))).rejects.toBeInstanceOf(
      RangeError,
    );
    expect(await db.count('photo_files')).toBe(0);
    expect(await store.getPhotoFile(A, meetupId, 'talk-1-3f2a9c.jpg')).toBeUndefined();
  });

  it("refuses a file for another team's meetup or one that does not exist, storing nothing", async () => {
    await expect(store.putPhotoFile(B, photo(randomBytes(1024)))).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      store.putPhotoFile(A, photo(randomBytes(1024), { meetupId: 'no-such-meetup' })),
    ).rejects.toBeInstanceOf(NotFoundError);

    expect(await db.count('photo_files')).toBe(0);
    expect(await store.getPhotoFile(A, meetupId, 'talk-1-3f2a9c.jpg')).toBeUndefined();
  });
});
