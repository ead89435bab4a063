import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { unzipSync } from 'fflate';
import { buildZip, ZipSourceError, zipToBuffer } from '../../src/services/zip';
import { makeTempFolder, type TempFolder } from '../support/temp-db';

/** Every entry of an archive as its central directory and local headers describe it. */
function entriesOf(zip: Buffer) {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const nameLength = zip.readUInt16LE(at + 28);
    const offset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const local = {
      crc: zip.readUInt32LE(offset + 14),
      storedSize: zip.readUInt32LE(offset + 18),
      size: zip.readUInt32LE(offset + 22),
    };
    entries.push({ name, method: zip.readUInt16LE(at + 10), crc: zip.readUInt32LE(at + 16), local });
    at += 46 + nameLength;
  }
  return entries;
}

describe('the streamed .zip', () => {
  let folder: TempFolder;
  beforeEach(() => {
    folder = makeTempFolder();
  });
  afterEach(() => folder.remove());

  const photo = (name: string, bytes: Buffer) => {
    fs.writeFileSync(folder.file(name), bytes);
    return folder.file(name);
  };

  it('holds the post deflated and the photos stored, each with its size and CRC-32, at the length announced', async () => {
    const markdown = Buffer.from('# Cloud Native London, November\n\nWe took away… ünïcode\n'.repeat(50));
    const big = crypto.randomBytes(3 * 1024 * 1024 + 17);
    const small = crypto.randomBytes(10);
    const zip = await buildZip([
      { name: '_posts/2018-11-07-november.md', data: markdown },
      { name: 'images/2018-11-07-november.png', file: photo('a.png', big) },
      { name: 'images/2018-11-07-november-1.jpg', file: photo('b.jpg', small) },
      { name: 'images/empty.gif', file: photo('c.gif', Buffer.alloc(0)) },
    ]);
    const bytes = await zipToBuffer(zip);
    expect(bytes.length).toBe(zip.size);
    const files = unzipSync(new Uint8Array(bytes));
    expect(Buffer.from(files['_posts/2018-11-07-november.md']!)).toEqual(markdown);
    // Buffer.equals: Jest's deep equality takes seconds over megabytes.
    expect(Buffer.from(files['images/2018-11-07-november.png']!).equals(big)).toBe(true);
    expect(Buffer.from(files['images/2018-11-07-november-1.jpg']!)).toEqual(small);
    expect(files['images/empty.gif']!.length).toBe(0);
    const expected = [markdown, big, small, Buffer.alloc(0)];
    for (const [i, entry] of entriesOf(bytes).entries()) {
      expect(entry.method).toBe(i === 0 ? 8 : 0);
      expect(entry.crc).toBe(zlib.crc32(expected[i]!));
      // The local header carries the checksum and sizes too: no data descriptor follows the bytes.
      expect(entry.local.crc).toBe(entry.crc);
      expect(entry.local.size).toBe(expected[i]!.length);
    }
  });

  it('is the same archive, byte for byte, every time it is streamed (an upload may be retried)', async () => {
    const zip = await buildZip([
      { name: 'a.md', data: Buffer.from('post') },
      { name: 'images/a.png', file: photo('a.png', crypto.randomBytes(100_000)) },
    ]);
    expect((await zipToBuffer(zip)).equals(await zipToBuffer(zip))).toBe(true);
  });

  it('streams in chunks no larger than one read, never the whole archive at once', async () => {
    const sources = Array.from({ length: 8 }, (_, i) => ({
      name: `images/${i}.png`,
      file: photo(`${i}.png`, crypto.randomBytes(2 * 1024 * 1024)),
    }));
    const zip = await buildZip(sources);
    let largest = 0;
    let total = 0;
    for await (const chunk of zip.stream()) {
      largest = Math.max(largest, (chunk as Buffer).length);
      total += (chunk as Buffer).length;
    }
    expect(total).toBe(zip.size);
    expect(largest).toBeLessThanOrEqual(256 * 1024);
  });

  it('names the entry whose file is missing', async () => {
    await expect(buildZip([{ name: 'images/gone.png', file: folder.file('gone.png') }])).rejects.toEqual(
      expect.any(ZipSourceError),
    );
    await expect(buildZip([{ name: 'images/gone.png', file: folder.file('gone.png') }])).rejects.toThrow(
      'images/gone.png',
    );
  });

  it('fails the stream, rather than sending a broken archive, when a photo changed after it was measured', async () => {
    const file = photo('a.png', crypto.randomBytes(1000));
    const zip = await buildZip([{ name: 'images/a.png', file }]);
    fs.writeFileSync(file, crypto.randomBytes(1000));
    await expect(zipToBuffer(zip)).rejects.toThrow('changed while the archive was being sent');
  });
});
