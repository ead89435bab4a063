import fs from 'node:fs';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/**
 * A .zip written as a stream, for drafts whose photos add up to far more than any one of them.
 *
 * Why this shape: the archive used to be assembled in memory with a JavaScript CRC-32 computed a byte at a
 * time, which held every photo at once and kept the event loop busy for over 100 ms on a 20-photo draft.
 * Here each photo is read twice (in chunks, when large): once to take its size and CRC-32 (Node's native `zlib.crc32`,
 * gigabytes a second, so no chunk blocks for more than a fraction of a millisecond), once to stream it
 * out. Knowing every size and checksum first means the local headers carry them (no data descriptors,
 * which some unzip tools refuse for stored entries) and the archive's exact length is known before a byte
 * is sent, as Slack's upload URL asks. Photos are stored, not deflated: JPEG, PNG, GIF and WebP are
 * compressed already. Only small in-memory entries (the post's Markdown) are deflated. Memory stays at one
 * read (at most 1 MiB) plus the headers, whatever the number of photos; a worker thread was not needed since
 * no step is long.
 */

export type ZipSource = { name: string; data: Buffer } | { name: string; file: string };

export interface ZipArchive {
  /** The archive's exact length in bytes. */
  size: number;
  /** The archive's bytes, read afresh from the sources on each call (an upload may be retried). */
  stream(): Readable;
}

/** A source file that could not be read, naming the entry it was for. */
export class ZipSourceError extends Error {
  constructor(
    readonly entry: string,
    cause: unknown,
  ) {
    super(`cannot read the file for ${entry}: ${(cause as Error).message ?? String(cause)}`);
    this.name = 'ZipSourceError';
  }
}

interface Entry {
  name: Buffer;
  crc: number;
  size: number;
  /** For in-memory sources: the bytes as stored (deflated). */
  stored?: Buffer;
  storedSize: number;
  method: 0 | 8;
  file?: string;
  offset: number;
}

// A photo up to 1 MiB (a typical web copy) is read in one go; a larger one 256 KiB at a time, which costs
// no more round trips to the thread pool than a bigger chunk and keeps memory at a quarter of a megabyte.
const WHOLE = 1 << 20;
const CHUNK = 1 << 18;
// 2000-01-01 00:00 in MS-DOS form: a fixed time keeps the archive identical for identical posts.
const DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
// Names are UTF-8 (general purpose bit 11).
const FLAGS = 0x0800;
const LIMIT = 0xffffffff;
const PARALLEL_READS = 4;

const deflateRaw = promisify(zlib.deflateRaw);

/** Sizes and checksums of every source (reading each file once), then the archive to stream. */
export async function buildZip(sources: readonly ZipSource[]): Promise<ZipArchive> {
  const seen = new Set<string>();
  const unique = sources.filter((s) => !seen.has(s.name) && seen.add(s.name));
  // Files are measured a few at a time, as many as Node's thread pool reads at once: the reads, not the
  // checksums, are what takes the time, and memory stays at a few reads.
  const measured = new Map<ZipSource, { crc: number; size: number }>();
  const files = unique.filter((s): s is Extract<ZipSource, { file: string }> => 'file' in s);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL_READS, files.length) }, async () => {
      for (let source = files[next++]; source; source = files[next++]) {
        measured.set(source, await checksumFile(source.file, source.name));
      }
    }),
  );
  const entries: Entry[] = [];
  let offset = 0;
  for (const source of unique) {
    const name = Buffer.from(source.name, 'utf8');
    let entry: Entry;
    if ('data' in source) {
      const stored = await deflateRaw(source.data, { level: 6 });
      entry = {
        name,
        crc: zlib.crc32(source.data),
        size: source.data.length,
        stored,
        storedSize: stored.length,
        method: 8,
        offset,
      };
    } else {
      const { crc, size } = measured.get(source) ?? { crc: 0, size: 0 };
      entry = { name, crc, size, storedSize: size, method: 0, file: source.file, offset };
    }
    entries.push(entry);
    offset += 30 + name.length + entry.storedSize;
  }
  const directory = Buffer.concat(entries.map(centralHeader));
  const end = endOfDirectory(entries.length, directory.length, offset);
  const size = offset + directory.length + end.length;
  if (size > LIMIT || entries.length > 0xffff) throw new Error('the archive is too large for a plain .zip');
  return { size, stream: () => Readable.from(archiveChunks(entries, directory, end)) };
}

async function checksumFile(file: string, entry: string): Promise<{ crc: number; size: number }> {
  let crc = 0;
  let size = 0;
  try {
    for await (const chunk of chunksOf(file)) {
      crc = zlib.crc32(chunk, crc);
      size += chunk.length;
    }
  } catch (err) {
    throw new ZipSourceError(entry, err);
  }
  return { crc, size };
}

/** A file's bytes: at once when it is small (one read), else in chunks of `CHUNK`. */
async function* chunksOf(file: string): AsyncGenerator<Buffer> {
  const handle = await fs.promises.open(file);
  try {
    const { size } = await handle.stat();
    if (size <= WHOLE) {
      yield await handle.readFile();
      return;
    }
    for await (const chunk of handle.createReadStream({ highWaterMark: CHUNK, autoClose: false })) {
      yield chunk as Buffer;
    }
  } finally {
    await handle.close();
  }
}

async function* archiveChunks(entries: Entry[], directory: Buffer, end: Buffer): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    yield localHeader(entry);
    if (entry.stored || !entry.file) {
      yield entry.stored ?? Buffer.alloc(0);
      continue;
    }
    // The file is read again as it is sent; a file that changed in between would make a broken archive.
    let crc = 0;
    let size = 0;
    for await (const chunk of chunksOf(entry.file)) {
      crc = zlib.crc32(chunk, crc);
      size += chunk.length;
      yield chunk;
    }
    if (crc !== entry.crc || size !== entry.size) {
      throw new Error(`${entry.name.toString('utf8')} changed while the archive was being sent`);
    }
  }
  yield directory;
  yield end;
}

function localHeader(e: Entry): Buffer {
  const b = Buffer.alloc(30);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(e.method === 8 ? 20 : 10, 4);
  b.writeUInt16LE(FLAGS, 6);
  b.writeUInt16LE(e.method, 8);
  b.writeUInt16LE(DOS_TIME, 10);
  b.writeUInt16LE(DOS_DATE, 12);
  b.writeUInt32LE(e.crc >>> 0, 14);
  b.writeUInt32LE(e.storedSize, 18);
  b.writeUInt32LE(e.size, 22);
  b.writeUInt16LE(e.name.length, 26);
  b.writeUInt16LE(0, 28);
  return Buffer.concat([b, e.name]);
}

function centralHeader(e: Entry): Buffer {
  const b = Buffer.alloc(46);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(20, 4);
  b.writeUInt16LE(e.method === 8 ? 20 : 10, 6);
  b.writeUInt16LE(FLAGS, 8);
  b.writeUInt16LE(e.method, 10);
  b.writeUInt16LE(DOS_TIME, 12);
  b.writeUInt16LE(DOS_DATE, 14);
  b.writeUInt32LE(e.crc >>> 0, 16);
  b.writeUInt32LE(e.storedSize, 20);
  b.writeUInt32LE(e.size, 24);
  b.writeUInt16LE(e.name.length, 28);
  // Extra field, comment, disk number, internal and external attributes: none.
  b.writeUInt32LE(e.offset, 42);
  return Buffer.concat([b, e.name]);
}

function endOfDirectory(count: number, directorySize: number, directoryOffset: number): Buffer {
  const b = Buffer.alloc(22);
  b.writeUInt32LE(0x06054b50, 0);
  b.writeUInt16LE(count, 8);
  b.writeUInt16LE(count, 10);
  b.writeUInt32LE(directorySize, 12);
  b.writeUInt32LE(directoryOffset, 16);
  return b;
}

/** The whole archive in memory: for tests and small uses only. */
export async function zipToBuffer(zip: ZipArchive): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of zip.stream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
