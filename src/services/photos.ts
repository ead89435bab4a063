import path from 'node:path';
import type { WebClient } from '@slack/web-api';
import { IMAGE_TYPES, type ImageType } from '../domain/meetup';
import { sharp } from './lazy-sharp';
import { photoFileName, writeAtomically } from './photo-files';

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/**
 * The most pixels a photo may have, in all and on a side. A browser holds a shown image at 4 bytes a pixel:
 * 100 megapixels is 400 MB, past what a phone's browser gives a page. A camera's photo of 10 MB or less is
 * well inside both bounds, while a few bytes of PNG can declare ten billion pixels.
 */
export const MAX_PHOTO_PIXELS = 100_000_000;
export const MAX_PHOTO_SIDE = 20_000;

/** Where Slack serves every uploaded file from. */
const SLACK_FILE_HOST = 'files.slack.com';

/** A stalled download must not hold the work after a modal's ack forever. */
const DEFAULT_TIMEOUT_MS = 60_000;

/** A file as Slack reports it in a file_input's state value or from files.info (only these fields are used). */
export interface SlackFileRef {
  id: string;
  name?: string;
  mimetype?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
}

export interface StoredPhoto {
  /** The file's name relative to the folder it was stored in: `${baseName}-${digest}.${ext}`, by its content. */
  file: string;
  mimeType: ImageType;
  bytes: number;
}

export type PhotoRefusal =
  | 'not_image'
  | 'too_large'
  | 'too_many_pixels'
  | 'host_not_allowed'
  | 'download_failed';

/** Why a photo was not stored, in words an organiser can act on (never a URL or a token). */
export class PhotoRefused extends Error {
  constructor(
    readonly reason: PhotoRefusal,
    readonly fileName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PhotoRefused';
  }
}

function isImageType(mimeType: string): mimeType is ImageType {
  return Object.hasOwn(IMAGE_TYPES, mimeType);
}

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  return bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);
}

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

/** The image type the bytes really are, from their magic bytes, else undefined. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  return undefined;
}

/** HEIC/HEIF (what iPhones save by default): an ISO box file whose `ftyp` brand is one of HEIF's. */
export function isHeif(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  const box = Buffer.from(bytes.subarray(4, 8)).toString('latin1');
  if (box !== 'ftyp') return false;
  const brand = Buffer.from(bytes.subarray(8, 12)).toString('latin1');
  return ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(brand);
}

/** The refusal of a HEIC/HEIF photo, with how to send one that works. */
export function heifRefused(name: string): PhotoRefused {
  return new PhotoRefused(
    'not_image',
    name,
    `"${name}" is a HEIC/HEIF photo, which most browsers cannot show: send it as a JPEG instead (on an iPhone, choose Settings > Camera > Formats > Most Compatible, or export the photo as JPEG)`,
  );
}

/**
 * Hosts the bot downloads files from: Slack's file host, or, when the Web API base URL is overridden (tests,
 * proxies), that URL's host (host:port) only. Slack's own API URL spelled out counts as no override.
 */
export function allowedFileHosts(apiUrl?: string): string[] {
  if (!apiUrl) return [SLACK_FILE_HOST];
  const host = new URL(apiUrl).host.toLowerCase();
  if (host === 'slack.com' || host.endsWith('.slack.com')) return [SLACK_FILE_HOST];
  return [host];
}

function displayName(file: SlackFileRef): string {
  // Control characters would break the one-line message shown to the organiser.
  return file.name?.replace(/\p{Cc}/gu, ' ').trim() || file.id;
}

/** "10 MB", "512 KB": a size as a person reads it. */
export function formatSize(bytes: number): string {
  const mb = 1024 * 1024;
  if (bytes >= mb && bytes % mb === 0) return `${bytes / mb} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

function notImage(name: string): PhotoRefused {
  return new PhotoRefused('not_image', name, `"${name}" is not a JPEG, PNG, GIF or WebP image`);
}

function tooLarge(name: string, maxBytes: number): PhotoRefused {
  return new PhotoRefused('too_large', name, `"${name}" is larger than ${formatSize(maxBytes)}`);
}

/**
 * Refuses an image whose header declares more pixels than a browser would cope with, or whose header cannot be
 * read at all. Only the header is read: the pixels are never decoded.
 */
export async function checkPhotoDimensions(
  bytes: Buffer,
  name: string,
): Promise<{ width: number; height: number }> {
  let width: number | undefined;
  let height: number | undefined;
  try {
    // No pixel limit here: this is the check, and it needs the declared size whatever it is.
    ({ width, height } = await sharp(bytes, { limitInputPixels: false }).metadata());
  } catch {
    width = undefined;
  }
  if (!width || !height) {
    throw new PhotoRefused(
      'not_image',
      name,
      `"${name}" could not be read as an image (its header is damaged)`,
    );
  }
  if (width * height > MAX_PHOTO_PIXELS || width > MAX_PHOTO_SIDE || height > MAX_PHOTO_SIDE) {
    const n = (x: number) => x.toLocaleString('en-GB');
    throw new PhotoRefused(
      'too_many_pixels',
      name,
      `"${name}" is ${n(width)} × ${n(height)} pixels; a photo may have at most ${n(MAX_PHOTO_PIXELS / 1_000_000)} megapixels and ${n(MAX_PHOTO_SIDE)} pixels a side`,
    );
  }
  return { width, height };
}

function hostNotAllowed(name: string): PhotoRefused {
  return new PhotoRefused(
    'host_not_allowed',
    name,
    `"${name}" was not downloaded because its link does not point to Slack's file host`,
  );
}

function downloadFailed(name: string, why: string, cause?: unknown): PhotoRefused {
  return new PhotoRefused('download_failed', name, `"${name}" could not be downloaded from Slack (${why})`, {
    cause,
  });
}

/**
 * What Slack says about a file, checked before any download so a modal can show an inline error at submit
 * time. Only a hint: downloadSlackPhoto decides from the bytes.
 */
export function precheckSlackFile(file: SlackFileRef, maxBytes = MAX_PHOTO_BYTES): PhotoRefused | undefined {
  const name = displayName(file);
  const mimetype = file.mimetype?.toLowerCase();
  if (mimetype === 'image/heic' || mimetype === 'image/heif') return heifRefused(name);
  if (mimetype !== undefined && !isImageType(mimetype)) return notImage(name);
  if (file.size !== undefined && file.size > maxBytes) return tooLarge(name, maxBytes);
  return undefined;
}

export interface DownloadPhotoOptions {
  /** Used for files.info when the ref lacks url_private_download / url_private. */
  client: WebClient;
  /** Sent as `Authorization: Bearer` to the file host only. */
  botToken: string;
  file: SlackFileRef;
  allowedHosts: string[];
  /** This machine's copy goes here. Created (recursive) if missing. */
  folder: string;
  /**
   * Where the bytes are kept for good (the database, which every replica reads), before the copy in `folder`
   * is written: a failure here leaves nothing in the folder.
   */
  keep?: (file: { name: string; mimeType: ImageType; content: Buffer }) => Promise<void>;
  /** A plain file name such as `talk-<id>`; the digest of the content and the extension are added. */
  baseName: string;
  /** Default MAX_PHOTO_BYTES. */
  maxBytes?: number;
  /** Default global fetch. */
  fetchImpl?: typeof fetch;
  /** How long the whole download may take (default 60 s). */
  timeoutMs?: number;
}

/** A name that cannot climb out of the folder or hide as a dotfile. */
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Downloads a file an organiser uploaded, with the bot token, and stores it as `${baseName}-${digest}.${ext}`
 * (the first hex digits of its SHA-256) with `keep` and in `folder`. Throws PhotoRefused (and leaves nothing on disk) when it is not an image, too large in bytes or in
 * pixels, not on an allowed host, or cannot be downloaded.
 */
export async function downloadSlackPhoto(options: DownloadPhotoOptions): Promise<StoredPhoto> {
  const { baseName, folder } = options;
  if (!PLAIN_NAME.test(baseName) || baseName.includes('..')) {
    throw new Error(`baseName must be a plain file name, not ${JSON.stringify(baseName)}`);
  }
  const maxBytes = options.maxBytes ?? MAX_PHOTO_BYTES;
  const file = await withDownloadUrl(options.client, options.file);
  const name = displayName(file);
  if (file.size !== undefined && file.size > maxBytes) throw tooLarge(name, maxBytes);
  const url = trustedUrl(file, options.allowedHosts);
  const bytes = await fetchAtMost(url, {
    name,
    botToken: options.botToken,
    maxBytes,
    fetchImpl: options.fetchImpl ?? fetch,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  return storePhotoBytes(bytes, { name, baseName, folder, keep: options.keep });
}

/**
 * The checks every photo passes, however it came (a Slack upload, the speaker's web form): what its bytes
 * really are (JPEG, PNG, GIF or WebP; never what its name or sender says), at most `maxBytes`, and a size in
 * pixels a browser copes with. Refused: PhotoRefused, with nothing stored.
 */
export async function checkPhotoBytes(
  bytes: Buffer,
  name: string,
  maxBytes = MAX_PHOTO_BYTES,
): Promise<ImageType> {
  if (bytes.length > maxBytes) throw tooLarge(name, maxBytes);
  const mimeType = sniffImageType(bytes);
  if (!mimeType) throw isHeif(bytes) ? heifRefused(name) : notImage(name);
  await checkPhotoDimensions(bytes, name);
  return mimeType;
}

/** Checks a photo's bytes (checkPhotoBytes), then keeps them (`keep`) and writes this machine's copy. */
export async function storePhotoBytes(
  bytes: Buffer,
  o: Pick<DownloadPhotoOptions, 'baseName' | 'folder' | 'keep' | 'maxBytes'> & { name: string },
): Promise<StoredPhoto> {
  if (!PLAIN_NAME.test(o.baseName) || o.baseName.includes('..')) {
    throw new Error(`baseName must be a plain file name, not ${JSON.stringify(o.baseName)}`);
  }
  const mimeType = await checkPhotoBytes(bytes, o.name, o.maxBytes);
  const fileName = photoFileName(o.baseName, mimeType, bytes);
  await o.keep?.({ name: fileName, mimeType, content: bytes });
  await writeAtomically(path.join(o.folder, fileName), bytes);
  return { file: fileName, mimeType, bytes: bytes.length };
}

/** The ref itself when it carries a download URL; otherwise what files.info says about the file. */
async function withDownloadUrl(client: WebClient, ref: SlackFileRef): Promise<SlackFileRef> {
  if (ref.url_private_download || ref.url_private) return ref;
  let info: Awaited<ReturnType<WebClient['files']['info']>>['file'];
  try {
    info = (await client.files.info({ file: ref.id })).file;
  } catch (err) {
    const code = (err as { data?: { error?: unknown } }).data?.error;
    const why = typeof code === 'string' ? `Slack answered ${code}` : 'Slack could not be reached';
    throw downloadFailed(displayName(ref), why, err);
  }
  return {
    id: ref.id,
    name: ref.name ?? info?.name,
    mimetype: ref.mimetype ?? info?.mimetype,
    size: ref.size ?? info?.size,
    url_private: info?.url_private,
    url_private_download: info?.url_private_download,
  };
}

/**
 * The download URL, if the token may go there. files.slack.com only over https; plain http only for a host
 * that came from an overridden API URL (a local test fake or a proxy the operator chose).
 */
function trustedUrl(file: SlackFileRef, allowedHosts: string[]): URL {
  const name = displayName(file);
  const raw = file.url_private_download || file.url_private;
  if (!raw) throw downloadFailed(name, 'Slack gave no download link');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw hostNotAllowed(name);
  }
  const allowed = allowedHosts.map((h) => h.toLowerCase()).includes(url.host);
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && url.host !== SLACK_FILE_HOST);
  if (!allowed || !secure || url.username || url.password) throw hostNotAllowed(name);
  return url;
}

interface FetchLimits {
  name: string;
  botToken: string;
  maxBytes: number;
  fetchImpl: typeof fetch;
  timeoutMs: number;
}

/** The body, refused as soon as it is known to exceed maxBytes; never holds more than maxBytes of it. */
async function fetchAtMost(url: URL, limits: FetchLimits): Promise<Buffer> {
  const { name, maxBytes } = limits;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, limits.timeoutMs);
  const failure = (err: unknown) => downloadFailed(name, timedOut ? 'timed out' : 'network error', err);
  try {
    let response: Response;
    try {
      response = await limits.fetchImpl(url, {
        headers: { Authorization: `Bearer ${limits.botToken}` },
        // Following a redirect could carry the token elsewhere; Slack redirects only to its sign-in page.
        redirect: 'manual',
        signal: controller.signal,
      });
    } catch (err) {
      throw failure(err);
    }
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      const status = response.status ? `HTTP ${response.status} ` : '';
      throw downloadFailed(name, `${status}redirect: the bot may not have access to the file`);
    }
    if (!response.ok) throw downloadFailed(name, `HTTP ${response.status}`);
    if (Number(response.headers.get('content-length')) > maxBytes) throw tooLarge(name, maxBytes);

    const reader = response.body?.getReader();
    if (!reader) return Buffer.alloc(0);
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (err) {
        throw failure(err);
      }
      if (chunk.done) break;
      total += chunk.value.byteLength;
      if (total > maxBytes) {
        void reader.cancel().catch(() => undefined);
        throw tooLarge(name, maxBytes);
      }
      chunks.push(chunk.value);
    }
    return Buffer.concat(chunks, total);
  } finally {
    clearTimeout(timer);
    // Closes the connection of a body left unread (refused early); harmless once it has been read.
    controller.abort();
  }
}
