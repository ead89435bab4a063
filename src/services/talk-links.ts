import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { dayIn } from '../render/words';
import type { GroupRecord, MeetupRecord, Store, TalkLinkRecord, TalkRecord } from '../store/store';

/**
 * The links a speaker who is not in the workspace fills in their own talk from. A link carries a token: what
 * it names (the team, the meetup, the talk, its own record, when it expires) and an HMAC-SHA256 of that with
 * SPEAKER_LINK_SECRET. The signature makes the token unforgeable; the record makes it revocable.
 */

/** How long a link works unless the organiser revokes it first. */
export const TALK_LINK_DAYS = 14;

/** Where the speaker's page is served, with the token as `?link=`. */
export const TALK_PAGE_PATH = '/talk/edit';

/** Every token starts so, which lets the logs recognise (and redact) one. */
export const TOKEN_PREFIX = 'rtl_';

export interface TalkLinkClaims {
  teamId: string;
  meetupId: string;
  talkId: string;
  linkId: string;
  /** UTC, ISO 8601. */
  expiresAt: string;
}

interface Payload {
  v: 1;
  t: string;
  m: string;
  k: string;
  l: string;
  e: number;
}

const b64 = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64url');

function mac(secret: string, purpose: string, text: string): Buffer {
  return createHmac('sha256', secret).update(`${purpose}\n${text}`).digest();
}

export function signTalkLink(secret: string, claims: TalkLinkClaims): string {
  const payload: Payload = {
    v: 1,
    t: claims.teamId,
    m: claims.meetupId,
    k: claims.talkId,
    l: claims.linkId,
    e: Math.floor(Date.parse(claims.expiresAt) / 1000),
  };
  const body = b64(JSON.stringify(payload));
  return `${TOKEN_PREFIX}${body}.${b64(mac(secret, 'talk-link', body))}`;
}

/** What a token names, when its signature is right; nothing is read from a token whose signature is wrong. */
export function verifyTalkLink(secret: string, token: string): TalkLinkClaims | undefined {
  if (token.length > 1000 || !token.startsWith(TOKEN_PREFIX)) return undefined;
  const [body, signature, ...rest] = token.slice(TOKEN_PREFIX.length).split('.');
  if (!body || !signature || rest.length > 0) return undefined;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, 'talk-link', body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<Payload>;
    const text = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 64;
    if (p.v !== 1 || !text(p.t) || !text(p.m) || !text(p.k) || !text(p.l) || !Number.isInteger(p.e))
      return undefined;
    return {
      teamId: p.t as string,
      meetupId: p.m as string,
      talkId: p.k as string,
      linkId: p.l as string,
      expiresAt: new Date((p.e as number) * 1000).toISOString(),
    };
  } catch {
    return undefined;
  }
}

/**
 * A form's CSRF value: tied to the link and to a random value kept in the browser's cookie, so a page of
 * another site, which cannot read or set that cookie, cannot make a browser post the form.
 */
export function csrfValue(secret: string, linkId: string, cookie: string): string {
  return b64(mac(secret, 'csrf', `${linkId}\n${cookie}`));
}

export function csrfMatches(secret: string, linkId: string, cookie: string, given: string): boolean {
  const expected = Buffer.from(csrfValue(secret, linkId, cookie));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * The form's reference to a photo kept for a fix (`<file>~<signature>`): signed for the link, so a form can
 * only name a photo the bot kept for it.
 */
export function keptPhotoValue(secret: string, linkId: string, file: string): string {
  return `${file}~${b64(mac(secret, 'kept-photo', `${linkId}\n${file}`))}`;
}

/** The file a kept-photo value names, if its signature is this link's. */
export function keptPhotoFile(secret: string, linkId: string, value: string): string | undefined {
  const at = value.lastIndexOf('~');
  if (at <= 0 || value.length > 300) return undefined;
  const file = value.slice(0, at);
  const expected = Buffer.from(keptPhotoValue(secret, linkId, file));
  const given = Buffer.from(value);
  return given.length === expected.length && timingSafeEqual(given, expected) ? file : undefined;
}

export function newCookieValue(): string {
  return b64(randomBytes(18));
}

/** What making a link needs that the configuration may lack. */
export interface LinkSettings {
  publicUrl?: string;
  secret?: string;
}

export type MadeLink =
  | { ok: true; url: string; link: TalkLinkRecord }
  | { ok: false; missing: Array<'PUBLIC_URL' | 'SPEAKER_LINK_SECRET'> };

/** A new link for one talk, kept (so it can be revoked) and signed. */
export async function makeTalkLink(
  deps: { store: Store; now: () => Date; speakerLinks: LinkSettings },
  teamId: string,
  talk: { meetupId: string; talkId: string },
  createdBy: string,
): Promise<MadeLink> {
  const { publicUrl, secret } = deps.speakerLinks;
  if (!publicUrl || !secret) {
    return {
      ok: false,
      missing: [
        ...(publicUrl ? [] : ['PUBLIC_URL' as const]),
        ...(secret ? [] : ['SPEAKER_LINK_SECRET' as const]),
      ],
    };
  }
  const now = deps.now();
  // Whole seconds: the token carries its expiry in seconds, and the record must say the same.
  const expires = new Date(Math.floor(now.getTime() / 1000) * 1000 + TALK_LINK_DAYS * 86_400_000);
  const link = await deps.store.saveTalkLink(teamId, {
    id: b64(randomBytes(12)),
    meetupId: talk.meetupId,
    talkId: talk.talkId,
    createdBy,
    createdAt: now.toISOString(),
    expiresAt: expires.toISOString(),
  });
  const token = signTalkLink(secret, { teamId, ...talk, linkId: link.id, expiresAt: link.expiresAt });
  return { ok: true, url: `${publicUrl}${TALK_PAGE_PATH}?link=${token}`, link };
}

/** Why a link does not open its talk. Each shows its own page, none of which names anything of the talk. */
export type DeadLink = 'invalid' | 'expired' | 'revoked' | 'gone';

export interface OpenedLink {
  claims: TalkLinkClaims;
  link: TalkLinkRecord;
  group: GroupRecord;
  meetup: MeetupRecord;
  talk: TalkRecord;
  /** The meetup's post is published: the talk can be read, not changed. */
  published: boolean;
}

/**
 * The talk a token opens, as stored now: the signature first (nothing is read for a forged token), then its
 * expiry, then its record (revoked, or gone with its talk, its meetup or its team).
 */
export async function openTalkLink(
  deps: { store: Store; now: () => Date },
  secret: string,
  token: string,
): Promise<{ ok: true; opened: OpenedLink } | { ok: false; why: DeadLink }> {
  const claims = verifyTalkLink(secret, token);
  if (!claims) return { ok: false, why: 'invalid' };
  if (Date.parse(claims.expiresAt) <= deps.now().getTime()) return { ok: false, why: 'expired' };
  const link = await deps.store.getTalkLink(claims.teamId, claims.linkId);
  if (!link || link.talkId !== claims.talkId || link.meetupId !== claims.meetupId)
    return { ok: false, why: 'gone' };
  if (link.revokedAt) return { ok: false, why: 'revoked' };
  const [group, meetup] = await Promise.all([
    deps.store.getGroup(claims.teamId),
    deps.store.getMeetup(claims.teamId, claims.meetupId),
  ]);
  const talk = meetup?.talks.find((t) => t.id === claims.talkId);
  if (!group || !meetup || !talk) return { ok: false, why: 'gone' };
  return {
    ok: true,
    opened: { claims, link, group, meetup, talk, published: meetup.status === 'published' },
  };
}

/** A new link to a meetup's talk for the organiser to send, with what the message about it says. */
export async function giveTalkLink(
  deps: { store: Store; now: () => Date; speakerLinks: LinkSettings },
  teamId: string,
  meetup: Pick<MeetupRecord, 'id' | 'talks'>,
  talkId: string,
  organiser: string,
): Promise<{ made: MadeLink; talk: { number: number; title: string }; until: string }> {
  const index = meetup.talks.findIndex((t) => t.id === talkId);
  const talk = { number: index + 1, title: meetup.talks[index]?.title ?? '' };
  const made = await makeTalkLink(deps, teamId, { meetupId: meetup.id, talkId }, organiser);
  const zone = (await deps.store.getGroup(teamId))?.timeZone ?? 'UTC';
  const until = made.ok ? dayIn(made.link.expiresAt, zone) : '';
  return { made, talk, until };
}
