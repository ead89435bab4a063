import { LIMITS } from '../domain/fields';
import { formatTakeaways, parseTakeaways } from '../domain/line-formats';
import { LINK_KINDS, PRONOUNS, type Speaker, type Takeaway, type Talk } from '../domain/meetup';
import type { Problem } from '../domain/validate';
import { formatSize, MAX_PHOTO_BYTES } from '../services/photos';
import type { SpeakerAnswer } from '../services/speaker-answers';

/**
 * The speaker's web form as fields: their names (shared by the page, the reader and the tests), the values a
 * talk shows in them, and the reading of what was posted back into an answer, with each problem at the field
 * it is about.
 */

export const FIELD = {
  csrf: 'csrf',
  title: 'title',
  linkUrl: 'link-url',
  linkKind: 'link-kind',
  takeaways: 'takeaways',
  photo: 'photo',
  /** A photo sent with a form that came back for a fix: kept, so it need not be chosen again. */
  photoKept: 'photo-kept',
  photoAlt: 'photo-alt',
} as const;

export const speakerField = (i: number, part: 'name' | 'company' | 'pronouns') => `speaker-${i}-${part}`;

/** What the fields hold, as text: from the talk, or as posted. */
export type FormValues = Record<string, string>;
/** A message per field name; `form` for what is about no one field. */
export type FieldErrors = Record<string, string>;

/** The speaker rows shown: the talk's speakers and one empty row for another (up to the limit). */
export function speakerRows(values: FormValues): number {
  let filled = 0;
  for (let i = 0; i < LIMITS.speakers; i += 1) {
    if (values[speakerField(i, 'name')] || values[speakerField(i, 'company')]) filled = i + 1;
  }
  return Math.min(LIMITS.speakers, Math.max(filled, 1) + 1);
}

export function valuesOfTalk(talk: Talk): FormValues {
  const values: FormValues = {
    [FIELD.title]: talk.title,
    [FIELD.linkUrl]: talk.link?.url ?? '',
    [FIELD.linkKind]: talk.link?.kind ?? 'slides',
    [FIELD.takeaways]: formatTakeaways(talk.takeaways),
    [FIELD.photoAlt]: talk.photo?.alt ?? '',
  };
  talk.speakers.forEach((s, i) => {
    values[speakerField(i, 'name')] = s.name;
    values[speakerField(i, 'company')] = s.company ?? '';
    values[speakerField(i, 'pronouns')] = s.pronouns ?? '';
  });
  return values;
}

export interface PostedPhoto {
  bytes: Buffer;
  name: string;
  /** Cut off at the size limit. */
  truncated: boolean;
}

/** The answer as typed; the photo is read apart, since it is kept before the rest is checked. */
export type TypedAnswer = Omit<SpeakerAnswer, 'photo'>;
export type ReadForm = { ok: true; answer: TypedAnswer } | { ok: false; errors: FieldErrors };

/** The answer a posted form gives, or the fields' problems (found without saving anything). */
export function readTalkForm(values: FormValues, photo: PostedPhoto | undefined): ReadForm {
  const errors: FieldErrors = {};
  const text = (name: string) => (values[name] ?? '').trim();

  const speakers: Speaker[] = [];
  for (let i = 0; i < LIMITS.speakers; i += 1) {
    const name = text(speakerField(i, 'name'));
    const company = text(speakerField(i, 'company'));
    const pronouns = text(speakerField(i, 'pronouns'));
    if (!name && !company) continue;
    if (!name) errors[speakerField(i, 'name')] = 'Give the name of the speaker from this company.';
    if (pronouns && !(PRONOUNS as readonly string[]).includes(pronouns))
      errors[speakerField(i, 'pronouns')] = 'Choose he, she or they, or leave it unset.';
    speakers.push({
      name,
      ...(company ? { company } : {}),
      ...(pronouns ? { pronouns: pronouns as Speaker['pronouns'] } : {}),
    });
  }
  if (speakers.length === 0)
    errors[speakerField(0, 'name')] = 'Give your name as it should read in the post.';

  const title = text(FIELD.title);
  if (!title) errors[FIELD.title] = 'Give the title of your talk.';

  const url = text(FIELD.linkUrl);
  const kind = text(FIELD.linkKind) || 'slides';
  if (!(LINK_KINDS as readonly string[]).includes(kind))
    errors[FIELD.linkKind] = 'Choose slides, video or page.';

  const parsed = parseTakeaways(values[FIELD.takeaways]);
  if (!parsed.ok) errors[FIELD.takeaways] = parsed.error;

  if (photo?.truncated)
    errors[FIELD.photo] = `The photo is larger than ${formatSize(MAX_PHOTO_BYTES)}: choose a smaller one.`;
  const photoAlt = text(FIELD.photoAlt);

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    answer: {
      speakers,
      title,
      ...(url ? { link: { url, kind: kind as NonNullable<Talk['link']>['kind'] } } : {}),
      takeaways: parsed.ok ? parsed.items : [],
      ...(photoAlt ? { photoAlt } : {}),
    },
  };
}

/** Each of the model's problems at the field it is about, in words that name what to change. */
export function fieldErrorsOf(problems: readonly Problem[], takeaways: readonly Takeaway[]): FieldErrors {
  const errors: FieldErrors = {};
  const put = (field: string, message: string) => {
    errors[field] ??= message;
  };
  for (const { path, message } of problems) {
    const speaker = /^speakers\[(\d+)\]\.(name|company|pronouns)/.exec(path);
    if (speaker) {
      const label = { name: 'The name', company: 'The company', pronouns: 'The pronouns' }[
        speaker[2] as 'name' | 'company' | 'pronouns'
      ];
      put(speakerField(Number(speaker[1]), speaker[2] as 'name'), `${label} ${message}.`);
    } else if (path.startsWith('speakers')) put(speakerField(0, 'name'), `The speakers: ${message}.`);
    else if (path.startsWith('title')) put(FIELD.title, `The title ${message}.`);
    else if (path.startsWith('link.kind')) put(FIELD.linkKind, `The kind of link ${message}.`);
    else if (path.startsWith('link')) put(FIELD.linkUrl, `The link ${message}.`);
    else if (path.startsWith('takeaways')) {
      const line = lineOf(path, takeaways);
      put(FIELD.takeaways, line ? `Line ${line}: the takeaway ${message}.` : `The takeaways: ${message}.`);
    } else if (path.startsWith('photo')) put(FIELD.photo, message);
    else put('form', `${path}: ${message}`);
  }
  return errors;
}

/** The line (1-based, of the formatted list) a path such as `takeaways[1].items[0].text` points at. */
function lineOf(path: string, takeaways: readonly Takeaway[]): number | undefined {
  const indices = [...path.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  if (indices.length === 0) return undefined;
  let line = 0;
  let level: readonly Takeaway[] = takeaways;
  for (const [depth, index] of indices.entries()) {
    for (let i = 0; i < index && i < level.length; i += 1) line += 1 + count(level[i]?.items ?? []);
    line += 1;
    const node = level[index];
    if (!node) return undefined;
    if (depth < indices.length - 1) level = node.items;
  }
  return line;
}

function count(items: readonly Takeaway[]): number {
  return items.reduce((n, t) => n + 1 + count(t.items), 0);
}
