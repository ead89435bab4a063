import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ImageType } from '../domain/meetup';
import { sharp } from './lazy-sharp';
import { digestInName, exists, writeAtomically } from './photo-files';
import {
  checkPhotoDimensions,
  heifRefused,
  isHeif,
  MAX_PHOTO_PIXELS,
  PhotoRefused,
  sniffImageType,
} from './photos';

/** The widest a photo goes on the site unless the group says otherwise: wide enough for any blog column. */
export const DEFAULT_MAX_PHOTO_WIDTH = 1600;

/** Quality that keeps a photo of people and slides clean at a third of a camera's file size. */
const JPEG_QUALITY = 82;
const WEBP_QUALITY = 80;

export interface WebPhoto {
  bytes: Buffer;
  /** The same type as the original, so the post's file names (and so its links) stay as rendered. */
  mimeType: ImageType;
  width: number;
  height: number;
}

/**
 * A photo made ready for the web: its size decoded from the header first (a pixel bomb is refused before a
 * pixel is decoded), then turned upright by its EXIF orientation, shrunk to at most `maxWidth` pixels wide,
 * and re-encoded in its own format without any metadata (phones write where the photo was taken into it).
 */
export async function makeWebReady(bytes: Buffer, name: string, maxWidth: number): Promise<WebPhoto> {
  if (isHeif(bytes)) throw heifRefused(name);
  const mimeType = sniffImageType(bytes);
  if (!mimeType) {
    throw new PhotoRefused('not_image', name, `"${name}" is not a JPEG, PNG, GIF or WebP image`);
  }
  await checkPhotoDimensions(bytes, name);
  const animated = mimeType === 'image/gif' || mimeType === 'image/webp';
  // The limit holds again while decoding, should a header have lied about the size.
  let image = sharp(bytes, { limitInputPixels: MAX_PHOTO_PIXELS, animated, failOn: 'error' })
    .rotate()
    .resize({ width: maxWidth, withoutEnlargement: true });
  if (mimeType === 'image/jpeg') image = image.jpeg({ quality: JPEG_QUALITY, mozjpeg: true });
  else if (mimeType === 'image/png') image = image.png({ compressionLevel: 9 });
  else if (mimeType === 'image/webp') image = image.webp({ quality: WEBP_QUALITY });
  else image = image.gif();
  try {
    const { data, info } = await image.toBuffer({ resolveWithObject: true });
    return { bytes: data, mimeType, width: info.width, height: info.pageHeight ?? info.height };
  } catch (err) {
    throw new PhotoRefused('not_image', name, `"${name}" could not be read as an image (it is damaged)`, {
      cause: err,
    });
  }
}

/**
 * The web-ready copy of a stored photo, as a file kept beside the originals (`web/` in the photo folder),
 * made once per original and width: a second draft or publish reuses it. The original is never changed.
 *
 * A copy is named by the original's content. For a content-addressed original (`talk-1-<digest>.jpeg`, the
 * digest checked against the bytes when the copy is made) that is the digest in its name, so a copy made
 * already is found without reading the original; any other name (photos stored before names carried their
 * content) is read and hashed each time, since the file may have been replaced under the same name.
 */
export async function webPhotoFile(
  original: string,
  maxWidth: number,
  /** Where the copies go, when not beside the original (the command line keeps the input folder clean). */
  cacheDir = path.join(path.dirname(original), 'web'),
): Promise<string> {
  const ext = path.extname(original);
  const copyOf = (digest: string) => path.join(cacheDir, `${digest}-w${maxWidth}${ext}`);
  const named = digestInName(original);
  // The original must still be there: a missing photo is reported as missing, whatever copy is left.
  await fs.access(original);
  if (named && (await exists(copyOf(named)))) return copyOf(named);

  const bytes = await fs.readFile(original);
  const digest = createHash('sha256').update(bytes).digest('hex');
  // Only bytes that match the name's digest may be found by the name later.
  const target = named && digest.startsWith(named) ? copyOf(named) : copyOf(digest.slice(0, 32));
  if (await exists(target)) return target;
  const web = await makeWebReady(bytes, path.basename(original), maxWidth);
  await writeAtomically(target, web.bytes);
  return target;
}
