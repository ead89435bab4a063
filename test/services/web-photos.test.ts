import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { downloadSlackPhoto, isHeif, PhotoRefused, precheckSlackFile } from '../../src/services/photos';
import { makeWebReady, webPhotoFile } from '../../src/services/web-photos';
import { pngDeclaring } from '../support/images';
import { makeTempFolder } from '../support/temp-db';

/** The GPS IFD pointer tag (0x8825) as a little-endian EXIF block holds it. */
const GPS_POINTER = Buffer.from([0x25, 0x88]);

/**
 * A photo as a phone saves a portrait shot: the sensor's landscape pixels (red left half, blue right half)
 * with an EXIF orientation of 6 (turn 90° clockwise to view) and where it was taken.
 */
async function phonePortrait(width = 400, height = 200): Promise<Buffer> {
  const blue = await sharp({ create: { width: width / 2, height, channels: 3, background: '#0000ff' } })
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#ff0000' } })
    .composite([{ input: blue, left: width / 2, top: 0 }])
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Copyright: 'A phone' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 1234/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 0/1',
      },
    })
    .toBuffer();
}

/** A HEIC file's opening, as an iPhone writes it (the `ftyp` box with the `heic` brand). */
const HEIC = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypheic', 'latin1'),
  Buffer.from([0, 0, 0, 0]),
  Buffer.from('mif1heic', 'latin1'),
  Buffer.alloc(64),
]);

describe('photos made ready for the web', () => {
  it('turns a portrait phone photo upright and strips every piece of metadata, GPS included', async () => {
    const original = await phonePortrait();
    const before = await sharp(original).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif?.includes(GPS_POINTER)).toBe(true);

    const web = await makeWebReady(original, 'portrait.jpg', 1600);
    expect(web.mimeType).toBe('image/jpeg');
    const after = await sharp(web.bytes).metadata();
    expect([after.width, after.height]).toEqual([200, 400]);
    expect(after.orientation).toBeUndefined();
    expect(after.exif).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    // Upright: the sensor's left (red) is now the top, its right (blue) the bottom.
    const { data, info } = await sharp(web.bytes).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [
      ...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3),
    ];
    const [r1, , b1] = pixel(100, 20);
    const [r2, , b2] = pixel(100, 380);
    expect(r1).toBeGreaterThan(200);
    expect(b1).toBeLessThan(60);
    expect(b2).toBeGreaterThan(200);
    expect(r2).toBeLessThan(60);
  });

  it('shrinks an oversized photo to the maximum width, keeping its proportions, and never enlarges', async () => {
    const big = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#336699' } })
      .jpeg({ quality: 95 })
      .toBuffer();
    const web = await makeWebReady(big, 'big.jpg', 1600);
    expect([web.width, web.height]).toEqual([1600, 1200]);
    expect((await sharp(web.bytes).metadata()).width).toBe(1600);
    const narrower = await makeWebReady(big, 'big.jpg', 800);
    expect(narrower.width).toBe(800);

    const small = await sharp({ create: { width: 300, height: 200, channels: 4, background: '#33669980' } })
      .png()
      .toBuffer();
    const kept = await makeWebReady(small, 'small.png', 1600);
    expect([kept.mimeType, kept.width, kept.height]).toEqual(['image/png', 300, 200]);
  });

  it('refuses a pixel bomb by its header, before decoding a pixel', async () => {
    const bomb = pngDeclaring(100_000, 100_000, 5 * 1024);
    const refusal = await makeWebReady(bomb, 'bomb.png', 1600).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(PhotoRefused);
    expect((refusal as PhotoRefused).reason).toBe('too_many_pixels');
    expect((refusal as PhotoRefused).message).toBe(
      '"bomb.png" is 100,000 × 100,000 pixels; a photo may have at most 100 megapixels and 20,000 pixels a side',
    );
  });

  it('refuses a HEIC photo with a message saying how to send a JPEG, wherever it comes in', async () => {
    expect(isHeif(HEIC)).toBe(true);
    const refusal = (await makeWebReady(HEIC, 'IMG_0001.HEIC', 1600).catch((e: unknown) => e)) as Error;
    expect(refusal).toBeInstanceOf(PhotoRefused);
    expect(refusal.message).toContain('"IMG_0001.HEIC" is a HEIC/HEIF photo');
    expect(refusal.message).toContain('send it as a JPEG instead');
    expect(precheckSlackFile({ id: 'F1', name: 'IMG_0001.HEIC', mimetype: 'image/heic' })?.message).toBe(
      refusal.message,
    );

    const folder = makeTempFolder();
    try {
      const downloaded = await downloadSlackPhoto({
        client: {} as never,
        botToken: 'xoxb-test',
        file: { id: 'F1', name: 'IMG_0001.HEIC', url_private_download: 'http://files.test/F1' },
        allowedHosts: ['files.test'],
        folder: folder.dir,
        baseName: 'talk-1',
        fetchImpl: async () => new Response(HEIC),
      }).catch((e: unknown) => e as Error);
      expect(downloaded).toBeInstanceOf(PhotoRefused);
      expect((downloaded as Error).message).toBe(refusal.message);
      expect(fs.readdirSync(folder.dir)).toEqual([]);
    } finally {
      folder.remove();
    }
  });

  it('keeps the web-ready copy beside the original, made once, the original untouched', async () => {
    const folder = makeTempFolder();
    try {
      const original = path.join(folder.dir, 'talk-1.jpeg');
      const bytes = await phonePortrait();
      fs.writeFileSync(original, bytes);
      const first = await webPhotoFile(original, 1600);
      expect(path.dirname(first)).toBe(path.join(folder.dir, 'web'));
      const made = fs.statSync(first).mtimeMs;
      expect(await webPhotoFile(original, 1600)).toBe(first);
      expect(fs.statSync(first).mtimeMs).toBe(made);
      expect(fs.readFileSync(original)).toEqual(bytes);
      expect((await sharp(first).metadata()).exif).toBeUndefined();
    } finally {
      folder.remove();
    }
  });

  describe('originals named by their content', () => {
    const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex').slice(0, 12);
    const readsOf = (file: string, spy: jest.SpyInstance) =>
      spy.mock.calls.filter(([read]) => String(read) === file).length;
    let folder: ReturnType<typeof makeTempFolder>;
    let reads: jest.SpyInstance;

    beforeEach(() => {
      folder = makeTempFolder();
      reads = jest.spyOn(fsPromises, 'readFile');
    });
    afterEach(() => {
      reads.mockRestore();
      folder.remove();
    });

    it('finds the web copy of a content-named original without reading the original again', async () => {
      const bytes = await phonePortrait();
      const original = path.join(folder.dir, `talk-1-${digest(bytes)}.jpeg`);
      fs.writeFileSync(original, bytes);
      const first = await webPhotoFile(original, 1600);
      expect(readsOf(original, reads)).toBe(1);
      expect(await webPhotoFile(original, 1600)).toBe(first);
      expect(readsOf(original, reads)).toBe(1);
      // Another width is another copy, made from the original.
      const narrow = await webPhotoFile(original, 100);
      expect(narrow).not.toBe(first);
      expect((await sharp(narrow).metadata()).width).toBe(100);
    });

    it('makes a new copy of an old-style original replaced under the same name, even one ending in 12 hex digits', async () => {
      // Talk ids are UUIDs: `talk-<uuid>.jpeg` ends like a content-addressed name but says nothing of its bytes.
      const original = path.join(folder.dir, 'talk-550e8400-e29b-41d4-a716-446655440000.jpeg');
      fs.writeFileSync(original, await phonePortrait(400, 200));
      const first = await webPhotoFile(original, 1600);
      fs.writeFileSync(original, await phonePortrait(200, 100));
      const second = await webPhotoFile(original, 1600);
      expect(second).not.toBe(first);
      expect(await sharp(second).metadata()).toMatchObject({ width: 100, height: 200 });
    });

    it('reads a content-named original whose bytes do not match its name each time, as an old one', async () => {
      const bytes = await phonePortrait();
      const original = path.join(folder.dir, 'talk-1-0123456789ab.jpeg');
      fs.writeFileSync(original, bytes);
      const first = await webPhotoFile(original, 1600);
      expect(path.basename(first)).not.toContain('0123456789ab');
      await webPhotoFile(original, 1600);
      expect(readsOf(original, reads)).toBe(2);
    });

    it('reports an original that is gone as missing, though its web copy is still there', async () => {
      const bytes = await phonePortrait();
      const original = path.join(folder.dir, `talk-1-${digest(bytes)}.jpeg`);
      fs.writeFileSync(original, bytes);
      await webPhotoFile(original, 1600);
      fs.rmSync(original);
      await expect(webPhotoFile(original, 1600)).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });
});
