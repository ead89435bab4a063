import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Config } from '../config';
import { redact } from '../logging';
import { dayIn } from '../render/words';
import type { Deps } from '../services/deps';
import { meetupLabel } from '../services/meetups';
import type { StoredPhoto } from '../services/photos';
import { MAX_PHOTO_BYTES } from '../services/photos';
import { keepSpeakerPhoto, keptSpeakerPhoto, saveSpeakerAnswer } from '../services/speaker-answers';
import {
  csrfMatches,
  csrfValue,
  type DeadLink,
  keptPhotoFile,
  keptPhotoValue,
  newCookieValue,
  type OpenedLink,
  openTalkLink,
  TALK_PAGE_PATH,
} from '../services/talk-links';
import { type PageOptions, securityHeaders, sendPage } from './html';
import { FormRefused, readMultipartForm } from './multipart';
import { addressKey, RateLimiter } from './rate-limit';
import {
  FIELD,
  type FieldErrors,
  type FormValues,
  fieldErrorsOf,
  readTalkForm,
  valuesOfTalk,
} from './talk-form';
import { publishedPage, type Refusal, refusalPage, talkFormPage } from './talk-page';

/** The stored photo of the talk a link opens, for the page to show. */
export const TALK_PHOTO_PATH = '/talk/photo';

const CSRF_COOKIE = 'roundup_csrf';

/** How much a speaker's page takes: a photo, and text fields well past what a talk can hold. */
const FORM_LIMITS = {
  maxFileBytes: MAX_PHOTO_BYTES,
  maxBodyBytes: MAX_PHOTO_BYTES + 512 * 1024,
  maxFieldBytes: 64 * 1024,
  maxFields: 40,
};

export interface TalkPagesOptions {
  /** Requests one address may make, saves and photos one link may make, in each window. */
  limits?: { perAddress: number; perLink: number; photosPerLink?: number; windowMs: number };
}

/** Generous for a speaker (who loads the page, saves a few times, reloads), tight for a script. */
const DEFAULT_LIMITS = { perAddress: 120, perLink: 20, photosPerLink: 5, windowMs: 10 * 60_000 };

/**
 * The speaker's page, on the bot's own HTTP server: `GET /talk/edit?link=<token>` shows the talk's form,
 * `POST` saves it, `GET /talk/photo?link=<token>` shows the photo it has. None without SPEAKER_LINK_SECRET.
 * The token is in the query string, which the request log never writes.
 */
export function talkPages(config: Config, deps: Deps, o: TalkPagesOptions = {}): CustomRoute[] {
  const secret = config.speakerLinkSecret;
  if (!secret) return [];
  const limits = o.limits ?? DEFAULT_LIMITS;
  const perAddress = new RateLimiter(limits.perAddress, limits.windowMs);
  const perLink = new RateLimiter(limits.perLink, limits.windowMs);
  // Each photo sent is kept (even with a form sent back for a fix): fewer of them than saves.
  const photosPerLink = new RateLimiter(
    limits.photosPerLink ?? DEFAULT_LIMITS.photosPerLink,
    limits.windowMs,
  );
  const secure = config.publicUrl?.startsWith('https://') ?? false;

  const guard =
    (handle: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>) =>
    (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const wait = perAddress.hit(addressKey(clientAddress(req, config.trustProxy)));
      const work = wait
        ? refuse(req, res, 'too_many', { 'retry-after': String(wait) })
        : handle(req, res, url);
      work.catch((err: unknown) => {
        deps.logger.error(`speaker page failed: ${redact((err as Error).message ?? String(err))}`);
        if (!res.headersSent) sendPage(res, 500, refusalPage('failed'));
        else res.destroy();
      });
    };

  const open = (url: URL) => openTalkLink(deps, secret, url.searchParams.get('link') ?? '');

  /** The form, with a CSRF value tied to the browser's cookie (set here when it has none). */
  const showForm = (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    opened: OpenedLink,
    status: number,
    shown: { values: FormValues; errors: FieldErrors; saved?: boolean },
  ) => {
    const had = cookieOf(req);
    const cookie = had ?? newCookieValue();
    const token = url.searchParams.get('link') ?? '';
    const { meetup, group, talk, link } = opened;
    const zone = group.timeZone;
    const photo = talk.photo?.stored;
    const page = talkFormPage({
      groupName: group.name,
      meetupLabel: meetupLabel(meetup),
      meetupDate: dayIn(meetup.date, zone),
      action: `${TALK_PAGE_PATH}?link=${encodeURIComponent(token)}`,
      csrf: csrfValue(secret, link.id, cookie),
      ...shown,
      ...(photo ? { photoSrc: `${TALK_PHOTO_PATH}?link=${encodeURIComponent(token)}&v=${photo.file}` } : {}),
      expires: dayIn(link.expiresAt, zone),
    });
    const setCookie: Record<string, string> = had
      ? {}
      : {
          'set-cookie': `${CSRF_COOKIE}=${cookie}; Path=/talk; HttpOnly; SameSite=Lax; Max-Age=${14 * 86_400}${secure ? '; Secure' : ''}`,
        };
    sendPage(res, status, page, setCookie);
  };

  const shownPublished = (opened: OpenedLink): PageOptions =>
    publishedPage({
      groupName: opened.group.name,
      meetupLabel: meetupLabel(opened.meetup),
      talk: opened.talk,
    });

  const edit = guard(async (req, res, url) => {
    const found = await open(url);
    if (!found.ok) return sendPage(res, deadStatus(found.why), refusalPage(found.why));
    const { opened } = found;
    if (opened.published) return sendPage(res, 200, shownPublished(opened));
    showForm(req, res, url, opened, 200, {
      values: valuesOfTalk(opened.talk),
      errors: {},
      saved: url.searchParams.get('saved') === '1',
    });
  });

  const save = guard(async (req, res, url) => {
    const found = await open(url);
    if (!found.ok) return refuse(req, res, found.why);
    const { opened } = found;
    const wait = perLink.hit(opened.link.id);
    if (wait) return refuse(req, res, 'too_many', { 'retry-after': String(wait) });
    if (opened.published) return refuse(req, res, shownPublished(opened), {}, 409);

    let posted: Awaited<ReturnType<typeof readMultipartForm>>;
    try {
      posted = await readMultipartForm(req, FORM_LIMITS);
    } catch (err) {
      if (!(err instanceof FormRefused)) throw err;
      res.setHeader('connection', 'close');
      return sendPage(res, err.status, refusalPage(err.status === 413 ? 'too_large' : 'unreadable'));
    }
    const cookie = cookieOf(req);
    const given = posted.fields[FIELD.csrf] ?? '';
    if (!cookie || !csrfMatches(secret, opened.link.id, cookie, given))
      return sendPage(res, 403, refusalPage('csrf'));

    // A browser sends a textarea's line breaks as CRLF.
    const values: FormValues = Object.fromEntries(
      Object.entries(posted.fields).map(([name, value]) => [name, value.replace(/\r\n?/g, '\n')]),
    );
    const file = posted.file?.field === FIELD.photo ? posted.file : undefined;
    const read = readTalkForm(values, file);
    const errors: FieldErrors = read.ok ? {} : { ...read.errors };
    // The photo is checked and kept first: a form sent back for a fix keeps it (by a signed reference).
    let photo: StoredPhoto | undefined;
    const sent = file && !file.truncated && file.bytes.length > 0 ? file : undefined;
    const photoWait = sent ? photosPerLink.hit(opened.link.id) : undefined;
    if (photoWait) {
      errors[FIELD.photo] =
        `Too many photos were sent with this link lately: send this one in ${Math.ceil(photoWait / 60)} minute(s), or save without it.`;
    } else if (sent) {
      const kept = await keepSpeakerPhoto(deps, opened, sent);
      if (kept.ok) photo = kept.photo;
      else errors[FIELD.photo] = kept.message;
    } else if (!file) {
      const named = keptPhotoFile(secret, opened.link.id, values[FIELD.photoKept] ?? '');
      photo = named ? await keptSpeakerPhoto(deps, opened, named) : undefined;
    }
    values[FIELD.photoKept] = photo ? keptPhotoValue(secret, opened.link.id, photo.file) : '';
    if (!read.ok || Object.keys(errors).length > 0) {
      const status = file?.truncated ? 413 : 422;
      return showForm(req, res, url, opened, status, { values, errors });
    }
    const saved = await saveSpeakerAnswer(deps, opened, { ...read.answer, ...(photo ? { photo } : {}) });
    if (!saved.ok && 'problems' in saved) {
      const problems = fieldErrorsOf(saved.problems, read.answer.takeaways);
      return showForm(req, res, url, opened, 422, { values, errors: problems });
    }
    if (!saved.ok) {
      if (saved.closed === 'published') return sendPage(res, 409, shownPublished(opened));
      return sendPage(res, 410, refusalPage(saved.closed));
    }
    res.writeHead(303, {
      location: `${TALK_PAGE_PATH}?link=${encodeURIComponent(url.searchParams.get('link') ?? '')}&saved=1`,
      ...securityHeaders(),
    });
    res.end();
  });

  const photo = guard(async (_req, res, url) => {
    const found = await open(url);
    const stored = found.ok ? found.opened.talk.photo?.stored : undefined;
    const file =
      found.ok && stored
        ? await deps.store.getPhotoFile(found.opened.claims.teamId, found.opened.claims.meetupId, stored.file)
        : undefined;
    if (!file) return sendPage(res, 404, refusalPage('not_found'));
    res.writeHead(200, {
      'content-type': file.mimeType,
      'content-length': file.content.length,
      ...securityHeaders(),
    });
    res.end(file.content);
  });

  return [
    { path: TALK_PAGE_PATH, method: ['GET'], handler: edit },
    { path: TALK_PAGE_PATH, method: ['POST'], handler: save },
    { path: TALK_PHOTO_PATH, method: ['GET'], handler: photo },
  ];
}

const STATUS: Record<Refusal, number> = {
  invalid: 404,
  not_found: 404,
  expired: 410,
  revoked: 410,
  gone: 410,
  csrf: 403,
  too_large: 413,
  too_many: 429,
  unreadable: 400,
  failed: 500,
};

const deadStatus = (why: DeadLink) => STATUS[why];

/**
 * Refuse a request without reading its form: what was sent is read to its end (and dropped) first, so the
 * browser, still sending, gets the page rather than a reset connection; a body past the form's limit is cut.
 */
async function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  why: Refusal | PageOptions,
  headers: Record<string, string> = {},
  status?: number,
): Promise<void> {
  await discard(req, FORM_LIMITS.maxBodyBytes);
  if (typeof why === 'string') sendPage(res, status ?? STATUS[why], refusalPage(why), headers);
  else sendPage(res, status ?? 200, why, headers);
}

function discard(req: IncomingMessage, max: number): Promise<void> {
  if (req.readableEnded || req.method === 'GET') return Promise.resolve();
  return new Promise((resolve) => {
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > max) {
        req.destroy();
        resolve();
      }
    });
    req.on('end', () => resolve());
    req.on('error', () => resolve());
    req.on('close', () => resolve());
  });
}

/**
 * Who is asking: the connection's address, or behind `proxies` reverse proxies the address the first of them
 * saw, which is that many entries from the end of X-Forwarded-For (the entries before it are the client's
 * own say, and anyone can send them). A header shorter than that was not made by the proxies: the
 * connection's address counts.
 */
export function clientAddress(req: IncomingMessage, proxies: number): string {
  const own = req.socket.remoteAddress ?? 'unknown';
  if (proxies === 0) return own;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  return hops[hops.length - proxies] ?? own;
}

function cookieOf(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CSRF_COOKIE) {
      const v = value.join('=');
      return /^[A-Za-z0-9_-]{16,64}$/.test(v) ? v : undefined;
    }
  }
  return undefined;
}
