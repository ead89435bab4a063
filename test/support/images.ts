import zlib from 'node:zlib';

/**
 * Image files whose header declares any size at all, for testing what is refused before a pixel is decoded.
 * The pixel data is a few bytes of nothing: enough for a header reader, useless to a decoder.
 */

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG declaring `width` × `height` 8-bit RGB pixels, padded with zeros in its data to `size` bytes. */
export function pngDeclaring(width: number, height: number, size = 0): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const start = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = pngChunk('IHDR', header);
  const iend = pngChunk('IEND', Buffer.alloc(0));
  const compressed = zlib.deflateSync(Buffer.alloc(64));
  const padding = Math.max(0, size - start.length - ihdr.length - iend.length - compressed.length - 12);
  const idat = pngChunk('IDAT', Buffer.concat([compressed, Buffer.alloc(padding)]));
  return Buffer.concat([start, ihdr, idat, iend]);
}

/** A baseline JPEG declaring `width` × `height` grey pixels (each at most 65,535), with no image data. */
export function jpegDeclaring(width: number, height: number): Buffer {
  const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
  return Buffer.from([
    ...[0xff, 0xd8], // SOI
    ...[0xff, 0xc0, 0x00, 0x0b, 0x08, ...u16(height), ...u16(width), 0x01, 0x01, 0x11, 0x00], // SOF0
    ...[0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00], // SOS
    ...[0x00, 0x00, 0xff, 0xd9], // no scan to speak of, EOI
  ]);
}
