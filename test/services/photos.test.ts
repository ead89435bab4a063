import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebClient } from '@slack/web-api';
import type { ImageType } from '../../src/domain/meetup';
import {
  allowedFileHosts,
  type DownloadPhotoOptions,
  downloadSlackPhoto,
  MAX_PHOTO_BYTES,
  MAX_PHOTO_PIXELS,
  MAX_PHOTO_SIDE,
  PhotoRefused,
  precheckSlackFile,
  type SlackFileRef,
  sniffImageType,
} from '../../src/services/photos';
import { FakeSlack } from '../support/fake-slack';
import { jpegDeclaring, pngDeclaring } from '../support/images';
import { makeTempFolder, type TempFolder } from '../support/temp-db';

/** Tiny real images, 1x1 pixel each. */
const IMAGES: Record<ImageType, Buffer> = {
  'image/jpeg': Buffer.from(
    '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAABAAEDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAf/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAAAP/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AKAAD//Z',
    'base64',
  ),
  'image/png': Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  ),
  'image/gif': Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'),
  'image/webp': Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64'),
};

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const HTML = Buffer.from('<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in</body></html>');

/** A PNG of exactly `size` bytes: a real signature, then filler. */
function pngOfSize(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  IMAGES['image/png'].copy(bytes);
  return bytes;
}

interface LocalServer {
  host: string;
  url: string;
  hits: number;
  close(): Promise<void>;
}

/** A plain HTTP server standing in for a host that is not Slack's. */
async function startServer(handler: http.RequestListener): Promise<LocalServer> {
  const server = http.createServer((req, res) => {
    local.hits += 1;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const local: LocalServer = {
    host,
    url: `http://${host}`,
    hits: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return local;
}

/** The name a photo is stored under: its base name, the first 12 hex digits of its SHA-256, its type. */
function named(baseName: string, bytes: Buffer, ext: string): string {
  return `${baseName}-${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}.${ext}`;
}

/** Every file under a folder (none if it does not exist), temp files included. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

async function refusalOf(promise: Promise<unknown>): Promise<PhotoRefused> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof PhotoRefused) return err;
    throw err;
  }
  throw new Error('expected the photo to be refused, but it was stored');
}

let fake: FakeSlack;
let client: WebClient;
let temp: TempFolder;
let photos: string;

beforeAll(async () => {
  fake = await FakeSlack.start();
  client = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(() => {
  fake.reset();
  temp = makeTempFolder();
  photos = path.join(temp.dir, 'photos');
});

afterEach(() => temp.remove());

/** A file uploaded through a modal's file_input, described as the view state reports it. */
function upload(name: string, mimetype: string, bytes: Buffer): SlackFileRef {
  const file = fake.addPrivateFile({ name, mimetype, bytes });
  return { ...file, name, mimetype, size: bytes.length };
}

function download(file: SlackFileRef, overrides: Partial<DownloadPhotoOptions> = {}) {
  return downloadSlackPhoto({
    client,
    botToken: fake.botToken,
    file,
    allowedHosts: allowedFileHosts(fake.apiUrl),
    folder: photos,
    baseName: 'talk-1',
    ...overrides,
  });
}

describe('sniffImageType', () => {
  it.each(Object.keys(IMAGES) as ImageType[])('recognises %s from its bytes', (type) => {
    expect(sniffImageType(IMAGES[type])).toBe(type);
  });

  it('recognises the older GIF87a header', () => {
    expect(sniffImageType(Buffer.from('GIF87a\x01\x00\x01\x00', 'latin1'))).toBe('image/gif');
  });

  it.each([
    ['a PDF', PDF],
    ['an HTML page', HTML],
    ['a RIFF file that is not WebP (WAVE)', Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1')],
    ['a PNG signature cut short', IMAGES['image/png'].subarray(0, 7)],
    ['nothing', Buffer.alloc(0)],
  ])('refuses %s', (_what, bytes) => {
    expect(sniffImageType(bytes)).toBeUndefined();
  });
});

describe('allowedFileHosts', () => {
  it("is Slack's file host when the API URL is not overridden", () => {
    expect(allowedFileHosts()).toEqual(['files.slack.com']);
    expect(allowedFileHosts('https://slack.com/api/')).toEqual(['files.slack.com']);
  });

  it("is only the overridden API URL's host, with its port", () => {
    expect(allowedFileHosts(fake.apiUrl)).toEqual([new URL(fake.apiUrl).host]);
    expect(allowedFileHosts(fake.apiUrl)[0]).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(allowedFileHosts('https://slack-proxy.example.org/api/')).toEqual(['slack-proxy.example.org']);
  });
});

describe('precheckSlackFile', () => {
  it('passes an image Slack declares within the size limit, or one it says nothing about', () => {
    expect(precheckSlackFile({ id: 'F1', name: 'a.png', mimetype: 'image/png', size: 2000 })).toBeUndefined();
    expect(precheckSlackFile({ id: 'F1', name: 'a.png', mimetype: 'image/png', size: MAX_PHOTO_BYTES })).toBe(
      undefined,
    );
    expect(precheckSlackFile({ id: 'F1' })).toBeUndefined();
  });

  it('refuses a declared type that is not JPEG, PNG, GIF or WebP', () => {
    const pdf = precheckSlackFile({ id: 'F1', name: 'slides.pdf', mimetype: 'application/pdf', size: 10 });
    expect(pdf).toBeInstanceOf(PhotoRefused);
    expect(pdf).toMatchObject({ name: 'PhotoRefused', reason: 'not_image', fileName: 'slides.pdf' });
    expect(pdf?.message).toBe('"slides.pdf" is not a JPEG, PNG, GIF or WebP image');
    expect(precheckSlackFile({ id: 'F1', name: 'x.heic', mimetype: 'image/heic' })?.reason).toBe('not_image');
  });

  it('refuses a declared size over the limit, naming the limit', () => {
    const huge = precheckSlackFile({ id: 'F1', name: 'huge.jpg', mimetype: 'image/jpeg', size: 20_000_000 });
    expect(huge?.reason).toBe('too_large');
    expect(huge?.message).toBe('"huge.jpg" is larger than 10 MB');
    const small = precheckSlackFile({ id: 'F1', name: 'a.jpg', size: 1025 }, 1024);
    expect(small?.message).toBe('"a.jpg" is larger than 1 KB');
  });

  it('names the file by its id when Slack gave no name', () => {
    expect(precheckSlackFile({ id: 'F0ABC', mimetype: 'text/plain' })?.message).toBe(
      '"F0ABC" is not a JPEG, PNG, GIF or WebP image',
    );
  });
});

describe('downloadSlackPhoto', () => {
  it.each([
    ['image/jpeg', 'jpeg'],
    ['image/png', 'png'],
    ['image/gif', 'gif'],
    ['image/webp', 'webp'],
  ] as const)(
    'stores a %s as talk-1-<digest>.%s with the same bytes, fetched with the bot token',
    async (type, ext) => {
      const bytes = IMAGES[type];
      const stored = named('talk-1', bytes, ext);
      const file = upload(`photo.${ext}`, type, bytes);

      const photo = await download(file);

      expect(photo).toEqual({ file: stored, mimeType: type, bytes: bytes.length });
      expect(fs.readFileSync(path.join(photos, stored)).equals(bytes)).toBe(true);
      expect(filesUnder(photos)).toEqual([stored]);
      expect(fake.downloads).toEqual([
        expect.objectContaining({ fileId: file.id, authorized: true, status: 200 }),
      ]);
    },
  );

  it('names the stored file after the bytes, not the name or declared type', async () => {
    const file = upload('photo.jpg', 'image/jpeg', IMAGES['image/png']);
    expect(await download(file)).toMatchObject({
      file: named('talk-1', IMAGES['image/png'], 'png'),
      mimeType: 'image/png',
    });
  });

  it('gives a replacing photo a name of its own, so a name never changes what it holds, and leaves no temp file', async () => {
    const first = await download(upload('a.png', 'image/png', IMAGES['image/png']));
    const second = pngOfSize(200);
    const replacing = await download(upload('b.png', 'image/png', second));
    expect(replacing.file).toBe(named('talk-1', second, 'png'));
    expect(replacing.file).not.toBe(first.file);
    expect(filesUnder(photos).sort()).toEqual([first.file, replacing.file].sort());
    expect(fs.readFileSync(path.join(photos, first.file)).equals(IMAGES['image/png'])).toBe(true);
    expect(fs.readFileSync(path.join(photos, replacing.file)).equals(second)).toBe(true);
  });

  it('hands the bytes to `keep` under the same name before writing the copy in the folder', async () => {
    const kept: Array<{ name: string; mimeType: string; content: Buffer; inFolder: string[] }> = [];
    const photo = await download(upload('a.gif', 'image/gif', IMAGES['image/gif']), {
      keep: async (file) => {
        kept.push({ ...file, inFolder: filesUnder(photos) });
      },
    });
    expect(kept).toEqual([
      { name: photo.file, mimeType: 'image/gif', content: IMAGES['image/gif'], inFolder: [] },
    ]);
    expect(filesUnder(photos)).toEqual([photo.file]);
  });

  it('writes nothing in the folder when `keep` fails', async () => {
    const failure = new Error('the database is gone');
    await expect(
      download(upload('a.png', 'image/png', IMAGES['image/png']), {
        keep: () => Promise.reject(failure),
      }),
    ).rejects.toBe(failure);
    expect(filesUnder(temp.dir)).toEqual([]);
  });

  it.each([
    ['a PDF', PDF],
    ['an HTML page', HTML],
  ])('refuses %s named photo.jpg and declared image/jpeg, writing nothing', async (_what, bytes) => {
    const refused = await refusalOf(download(upload('photo.jpg', 'image/jpeg', bytes)));
    expect(refused.reason).toBe('not_image');
    expect(refused.message).toBe('"photo.jpg" is not a JPEG, PNG, GIF or WebP image');
    expect(filesUnder(temp.dir)).toEqual([]);
  });

  it('refuses a 5 KB PNG declaring 100,000 × 100,000 pixels, naming the file, and writes nothing', async () => {
    const bomb = pngDeclaring(100_000, 100_000, 5 * 1024);
    expect(bomb.length).toBe(5 * 1024);
    const refused = await refusalOf(download(upload('crowd.png', 'image/png', bomb)));
    expect(refused.reason).toBe('too_many_pixels');
    expect(refused.message).toBe(
      '"crowd.png" is 100,000 × 100,000 pixels; a photo may have at most 100 megapixels and 20,000 pixels a side',
    );
    expect(filesUnder(temp.dir)).toEqual([]);
  });

  it.each([
    ['a JPEG one pixel over 100 megapixels', jpegDeclaring(10_001, 10_000)],
    ['a JPEG 20,001 pixels wide', jpegDeclaring(MAX_PHOTO_SIDE + 1, 10)],
    ['a PNG 20,001 pixels tall', pngDeclaring(10, MAX_PHOTO_SIDE + 1)],
  ])('refuses %s', async (_what, bytes) => {
    const refused = await refusalOf(download(upload('wide.jpg', 'image/jpeg', bytes)));
    expect(refused.reason).toBe('too_many_pixels');
    expect(refused.message).toMatch(/^"wide\.jpg" is [\d,]+ × [\d,]+ pixels; a photo may have at most/);
    expect(filesUnder(temp.dir)).toEqual([]);
  });

  it.each([
    ['a JPEG of exactly 100 megapixels', jpegDeclaring(10_000, MAX_PHOTO_PIXELS / 10_000), 'jpeg'],
    ['a PNG 20,000 pixels wide', pngDeclaring(MAX_PHOTO_SIDE, 5_000), 'png'],
  ])('stores %s, judged by its header alone', async (_what, bytes, ext) => {
    expect(await download(upload('edge', 'image/jpeg', bytes))).toMatchObject({
      file: named('talk-1', bytes, ext),
    });
  });

  it('refuses a file with an image signature but a header that cannot be read', async () => {
    const damaged = Buffer.concat([IMAGES['image/png'].subarray(0, 8), Buffer.alloc(100, 0xab)]);
    const refused = await refusalOf(download(upload('photo.png', 'image/png', damaged)));
    expect(refused.reason).toBe('not_image');
    expect(refused.message).toBe('"photo.png" could not be read as an image (its header is damaged)');
    expect(filesUnder(temp.dir)).toEqual([]);
  });

  it('resolves a ref with only an id through files.info', async () => {
    const { id } = fake.addPrivateFile({
      name: 'speaker.gif',
      mimetype: 'image/gif',
      bytes: IMAGES['image/gif'],
    });

    const photo = await download({ id });

    expect(fake.callsTo('files.info').map((c) => c.args)).toEqual([{ file: id }]);
    const stored = named('talk-1', IMAGES['image/gif'], 'gif');
    expect(photo).toEqual({ file: stored, mimeType: 'image/gif', bytes: IMAGES['image/gif'].length });
    expect(fs.readFileSync(path.join(photos, stored)).equals(IMAGES['image/gif'])).toBe(true);
  });

  it('refuses a file files.info does not know', async () => {
    const refused = await refusalOf(download({ id: 'F0MISSING1', name: 'x.jpg' }));
    expect(refused.reason).toBe('download_failed');
    expect(refused.message).toBe(
      '"x.jpg" could not be downloaded from Slack (Slack answered file_not_found)',
    );
    expect(fake.downloads).toEqual([]);
  });

  describe('size', () => {
    it('refuses a declared size over maxBytes before any request', async () => {
      const file = upload('big.png', 'image/png', pngOfSize(2000));
      const refused = await refusalOf(download(file, { maxBytes: 1024 }));
      expect(refused.reason).toBe('too_large');
      expect(refused.message).toBe('"big.png" is larger than 1 KB');
      expect(fake.downloads).toEqual([]);
      expect(filesUnder(temp.dir)).toEqual([]);
    });

    it('refuses a file over maxBytes when Slack did not declare its size', async () => {
      const { id, url_private_download } = upload('big.png', 'image/png', pngOfSize(1025));
      const refused = await refusalOf(
        download({ id, name: 'big.png', url_private_download }, { maxBytes: 1024 }),
      );
      expect(refused.reason).toBe('too_large');
      expect(fake.downloads).toHaveLength(1);
      expect(filesUnder(temp.dir)).toEqual([]);
    });

    it('stores a file of exactly maxBytes', async () => {
      const { id, url_private } = upload('edge.png', 'image/png', pngOfSize(1024));
      expect(await download({ id, url_private }, { maxBytes: 1024 })).toMatchObject({ bytes: 1024 });
    });

    it('refuses a real 10 MB + 1 byte file by default and stores one of exactly 10 MB', async () => {
      const over = upload('huge.png', 'image/png', pngOfSize(MAX_PHOTO_BYTES + 1));
      const refused = await refusalOf(
        download({ id: over.id, url_private_download: over.url_private_download }),
      );
      expect(refused.reason).toBe('too_large');
      expect(refused.message).toBe(`"${over.id}" is larger than 10 MB`);
      expect(filesUnder(temp.dir)).toEqual([]);

      const exact = upload('full.png', 'image/png', pngOfSize(MAX_PHOTO_BYTES));
      const photo = await download({ id: exact.id, url_private_download: exact.url_private_download });
      expect(photo.bytes).toBe(MAX_PHOTO_BYTES);
      expect(photo.file).toBe(named('talk-1', pngOfSize(MAX_PHOTO_BYTES), 'png'));
      expect(fs.statSync(path.join(photos, photo.file)).size).toBe(MAX_PHOTO_BYTES);
    });

    it('refuses from Content-Length without waiting for the body', async () => {
      // Announces 5 MB, sends a PNG header and then stalls: only the header can refuse it in time.
      const server = await startServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': 5_000_000 });
        res.write(IMAGES['image/png']);
      });
      try {
        const file = { id: 'F1', name: 'liar.png', url_private: `${server.url}/liar.png` };
        const refused = await refusalOf(
          download(file, { allowedHosts: [server.host], maxBytes: 1024, timeoutMs: 3000 }),
        );
        expect(refused.reason).toBe('too_large');
      } finally {
        await server.close();
      }
    });

    it('cuts off an endless stream with no Content-Length once it passes maxBytes', async () => {
      let closed!: () => void;
      const connectionClosed = new Promise<void>((resolve) => {
        closed = resolve;
      });
      const server = await startServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'image/png' });
        res.on('close', closed);
        res.write(IMAGES['image/png']);
        const chunk = Buffer.alloc(16 * 1024, 1);
        const pump = () => {
          let more = true;
          while (more && !res.destroyed) more = res.write(chunk);
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
      });
      try {
        const file = { id: 'F1', name: 'endless.png', url_private: `${server.url}/endless.png` };
        // Ten megabytes stream in well under a second on an idle machine; the timeout is far off, so that a
        // busy machine cannot turn the size limit into a timeout.
        const refused = await refusalOf(download(file, { allowedHosts: [server.host], timeoutMs: 60_000 }));
        expect(refused.reason).toBe('too_large');
        expect(refused.message).toBe('"endless.png" is larger than 10 MB');
        await connectionClosed;
        expect(filesUnder(temp.dir)).toEqual([]);
      } finally {
        await server.close();
      }
    }, 30_000);
  });

  describe('hosts and the token', () => {
    let other: LocalServer;

    beforeEach(async () => {
      other = await startServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'image/png' });
        res.end(IMAGES['image/png']);
      });
    });

    afterEach(() => other.close());

    it('refuses a URL on another host (same address, other port) before any request', async () => {
      const file = { id: 'F1', name: 'x.png', url_private_download: `${other.url}/x.png` };
      const refused = await refusalOf(download(file));
      expect(refused.reason).toBe('host_not_allowed');
      expect(refused.message).toBe(
        '"x.png" was not downloaded because its link does not point to Slack\'s file host',
      );
      expect(refused.message).not.toContain(other.host);
      expect(other.hits).toBe(0);
      expect(fake.downloads).toEqual([]);
      expect(filesUnder(temp.dir)).toEqual([]);
    });

    it('refuses a link that is not a URL at all', async () => {
      const refused = await refusalOf(download({ id: 'F1', name: 'x.png', url_private: 'not a url' }));
      expect(refused.reason).toBe('host_not_allowed');
    });

    it('fetches files.slack.com over https only, with the bot token and redirects not followed', async () => {
      const requests: Array<{ url: string; init?: RequestInit }> = [];
      const fetchImpl = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
        requests.push({ url: String(url), init });
        return new Response(IMAGES['image/png'], { status: 200 });
      });
      const options = { allowedHosts: allowedFileHosts(), fetchImpl: fetchImpl as typeof fetch };
      const link = 'files.slack.com/files-pri/T1-F1/download/x.png';

      const plain = await refusalOf(
        download({ id: 'F1', name: 'x.png', url_private: `http://${link}` }, options),
      );
      expect(plain.reason).toBe('host_not_allowed');
      expect(fetchImpl).not.toHaveBeenCalled();

      const photo = await download({ id: 'F1', name: 'x.png', url_private: `https://${link}` }, options);
      expect(photo.file).toBe(named('talk-1', IMAGES['image/png'], 'png'));
      expect(requests).toHaveLength(1);
      expect(requests[0]?.url).toBe(`https://${link}`);
      expect(requests[0]?.init?.headers).toEqual({ Authorization: `Bearer ${fake.botToken}` });
      expect(requests[0]?.init?.redirect).toBe('manual');
    });

    it('treats a redirect as a failure and never follows it with the token', async () => {
      const redirector = await startServer((_req, res) => {
        res.writeHead(302, { Location: `${other.url}/stolen.png` });
        res.end();
      });
      try {
        const file = { id: 'F1', name: 'x.png', url_private: `${redirector.url}/x.png` };
        const refused = await refusalOf(download(file, { allowedHosts: [redirector.host, other.host] }));
        expect(refused.reason).toBe('download_failed');
        expect(refused.message).toContain('(HTTP 302 redirect');
        expect(redirector.hits).toBe(1);
        expect(other.hits).toBe(0);
      } finally {
        await redirector.close();
      }
    });

    it("refuses Slack's sign-in redirect for a wrong token, without a URL or token in the message", async () => {
      const file = upload('photo.png', 'image/png', IMAGES['image/png']);
      const refused = await refusalOf(download(file, { botToken: 'xoxb-wrong-token' }));
      expect(refused.reason).toBe('download_failed');
      expect(refused.message).toBe(
        '"photo.png" could not be downloaded from Slack (HTTP 302 redirect: the bot may not have access to the file)',
      );
      expect(refused.message).not.toMatch(/xoxb|http/);
      expect(fake.downloads).toEqual([expect.objectContaining({ authorized: false, status: 302 })]);
      expect(filesUnder(temp.dir)).toEqual([]);
    });
  });

  describe('failures', () => {
    it('reports the HTTP status of an unsuccessful download', async () => {
      const file = { id: 'F1', name: 'x.jpg', url_private: `${fake.fileHost}/files-pri/T1-F0GONE/x.jpg` };
      const refused = await refusalOf(download(file));
      expect(refused.reason).toBe('download_failed');
      expect(refused.message).toBe('"x.jpg" could not be downloaded from Slack (HTTP 404)');
      expect(filesUnder(temp.dir)).toEqual([]);
    });

    it('reports a network error', async () => {
      const gone = await startServer(() => undefined);
      await gone.close();
      const file = { id: 'F1', name: 'x.jpg', url_private: `${gone.url}/x.jpg` };
      const refused = await refusalOf(download(file, { allowedHosts: [gone.host] }));
      expect(refused.reason).toBe('download_failed');
      expect(refused.message).toBe('"x.jpg" could not be downloaded from Slack (network error)');
    });

    it('gives up on a host that never answers', async () => {
      const silent = await startServer(() => undefined);
      try {
        const file = { id: 'F1', name: 'x.jpg', url_private: `${silent.url}/x.jpg` };
        const refused = await refusalOf(download(file, { allowedHosts: [silent.host], timeoutMs: 200 }));
        expect(refused.message).toBe('"x.jpg" could not be downloaded from Slack (timed out)');
      } finally {
        await silent.close();
      }
    });

    it('refuses a base name that could leave the folder', async () => {
      const file = upload('a.png', 'image/png', IMAGES['image/png']);
      await expect(download(file, { baseName: '../talk-1' })).rejects.toThrow(
        'baseName must be a plain file name',
      );
      await expect(download(file, { baseName: '.hidden' })).rejects.toThrow(
        'baseName must be a plain file name',
      );
      expect(filesUnder(temp.dir)).toEqual([]);
    });
  });
});
