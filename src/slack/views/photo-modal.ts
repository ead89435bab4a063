import type { ModalView } from '@slack/types';
import { eventPhotoSchema, headerPhotoSchema, SECTION_PLACES, type SectionPlace } from '../../domain/meetup';
import { check } from '../../domain/validate';
import {
  checkbox,
  type FormResult,
  fileInput,
  modal,
  note,
  option,
  photoLink,
  readFiles,
  readSelected,
  readSelectedMany,
  readText,
  type StateValues,
  type SubmittedFile,
  staticSelect,
  textInput,
} from './form';
import { CALLBACK, PHOTO } from './ids';
import { proseInput, readProse } from './rich-text';

export const PHOTO_KINDS = ['header', 'group', 'other'] as const;
export type PhotoKind = (typeof PHOTO_KINDS)[number];

export interface PhotoForm {
  kind: PhotoKind;
  files: SubmittedFile[];
  urls: string[];
  alt?: string;
  /** The organiser's words the photos sit directly under. */
  caption?: string;
  /** Where the evening's photos go when not after the talks. */
  after?: SectionPlace;
}

const PLACE_LABELS: Record<SectionPlace, string> = {
  intro: 'After the opening paragraph',
  sponsors: 'After the sponsors',
  talkOrder: 'After the sentence walking through the talks',
  talks: 'After the talks',
  extras: 'After the paragraphs after the talks',
  photos: 'With the other photos',
  next: 'After the next meetup',
};

export interface PhotoModalMetadata {
  meetupId: string;
}

export function buildPhotoModal(options: {
  meetupId: string;
  meetupLabel: string;
  /** The meetup's words are Markdown (`textFormat: 'markdown'`): the caption in a plain input. */
  markdown?: boolean;
}): ModalView {
  const metadata: PhotoModalMetadata = { meetupId: options.meetupId };
  return modal(
    CALLBACK.photo,
    'Add photos',
    [
      note(`Photos of *${options.meetupLabel}*. Speaker photos go with each talk (\`/roundup talk\`).`),
      staticSelect(
        PHOTO.role,
        'What they show',
        [
          option('header', 'The header photo (top of the post)'),
          option('group', 'The group photo'),
          option('other', 'Other photos of the evening'),
        ],
        { initial: 'other' },
      ),
      fileInput(PHOTO.files, 'Photos', { maxFiles: 10, hint: 'JPEG, PNG, GIF or WebP, up to 10 MB each.' }),
      textInput(PHOTO.urls, '…or links to photos', {
        multiline: true,
        optional: true,
        hint: 'One link per line, or a path in the group’s site (/images/…). Links stay links: roundup does not download them.',
      }),
      textInput(PHOTO.alt, 'Description (alt text)', {
        optional: true,
        max: 200,
        hint: 'What the photo shows, for people who cannot see it.',
      }),
      checkbox(PHOTO.noAlt, 'No description', option('yes', 'Leave the description out: ![](…)')),
      proseInput(PHOTO.caption, 'Words the photo sits under', {
        optional: true,
        markdown: options.markdown === true,
        placeholder: 'And of course, our usual group photo!',
        hint: 'In the same paragraph, just above the photo (not for the header photo).',
      }),
      staticSelect(
        PHOTO.after,
        'Where it goes in the post',
        SECTION_PLACES.map((place) => option(place, PLACE_LABELS[place])),
        { optional: true, hint: 'Empty: with the evening’s other photos (not for the header photo).' },
      ),
    ],
    { submit: 'Add', privateMetadata: JSON.stringify(metadata) },
  );
}

export function readPhotoModal(values: StateValues): FormResult<PhotoForm> {
  const kind = (readSelected(values, PHOTO.role) ?? 'other') as PhotoKind;
  const files = readFiles(values, PHOTO.files);
  // Each link with its line number as typed, blank lines counted, for the error message.
  const lines = (readText(values, PHOTO.urls) ?? '')
    .split(/\r?\n/)
    .map((l, i) => ({ url: l.trim(), number: i + 1 }))
    .filter((l) => l.url !== '');
  const urls = lines.map((l) => l.url);
  const noAlt = readSelectedMany(values, PHOTO.noAlt).includes('yes');
  if (noAlt && readText(values, PHOTO.alt))
    return { ok: false, errors: { [PHOTO.alt]: 'Give a description or tick “No description”, not both.' } };
  const alt = noAlt ? '' : readText(values, PHOTO.alt)?.trim();
  const caption = readProse(values, PHOTO.caption);
  const after = SECTION_PLACES.find((place) => place === readSelected(values, PHOTO.after));
  if (files.length === 0 && urls.length === 0) {
    return { ok: false, errors: { [PHOTO.files]: 'Upload a photo here, or give a link below.' } };
  }
  if (kind === 'header' && files.length + urls.length > 1) {
    return { ok: false, errors: { [PHOTO.role]: 'A post has one header photo; add one file or one link.' } };
  }
  const schema = kind === 'header' ? headerPhotoSchema : eventPhotoSchema;
  // Uploaded files only: the caption is still checked, on a stand-in for the photo.
  for (const { url, number } of lines.length > 0 ? lines : [{ url: '/photo', number: 1 }]) {
    const place = kind === 'header' ? {} : { ...(caption ? { caption } : {}), ...(after ? { after } : {}) };
    const checked = check(schema, {
      role: kind,
      ...photoLink(url),
      ...(alt !== undefined ? { alt } : {}),
      ...place,
    });
    if (!checked.ok) {
      const problem = checked.problems[0];
      const block = problem?.path.startsWith('alt')
        ? PHOTO.alt
        : problem?.path.startsWith('caption')
          ? PHOTO.caption
          : problem?.path.startsWith('after')
            ? PHOTO.after
            : PHOTO.urls;
      const where =
        block === PHOTO.urls
          ? `Line ${number}`
          : block === PHOTO.alt
            ? 'The description'
            : block === PHOTO.caption
              ? 'The text'
              : 'This';
      return { ok: false, errors: { [block]: `${where} ${problem?.message ?? 'is not valid'}.` } };
    }
  }
  if (alt && alt.length > 200)
    return { ok: false, errors: { [PHOTO.alt]: 'The description is longer than 200 characters.' } };
  if (kind === 'header' && (caption || after))
    return {
      ok: false,
      errors: {
        [caption ? PHOTO.caption : PHOTO.after]: 'The header photo heads the post; leave this empty for it.',
      },
    };
  return {
    ok: true,
    value: {
      kind,
      files,
      urls,
      ...(alt !== undefined ? { alt } : {}),
      ...(caption ? { caption } : {}),
      ...(after ? { after } : {}),
    },
  };
}
