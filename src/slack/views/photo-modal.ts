import type { ModalView } from '@slack/types';
import { eventPhotoSchema, headerPhotoSchema } from '../../domain/meetup';
import { check } from '../../domain/validate';
import {
  type FormResult,
  fileInput,
  modal,
  note,
  option,
  readFiles,
  readSelected,
  readText,
  type StateValues,
  type SubmittedFile,
  staticSelect,
  textInput,
} from './form';
import { CALLBACK, PHOTO } from './ids';

export const PHOTO_KINDS = ['header', 'group', 'other'] as const;
export type PhotoKind = (typeof PHOTO_KINDS)[number];

export interface PhotoForm {
  kind: PhotoKind;
  files: SubmittedFile[];
  urls: string[];
  alt?: string;
}

export interface PhotoModalMetadata {
  meetupId: string;
}

export function buildPhotoModal(options: { meetupId: string; meetupLabel: string }): ModalView {
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
        hint: 'One link per line. Links stay links: roundup does not download them.',
      }),
      textInput(PHOTO.alt, 'Description (alt text)', {
        optional: true,
        max: 200,
        hint: 'What the photo shows, for people who cannot see it.',
      }),
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
  const alt = readText(values, PHOTO.alt)?.trim();
  if (files.length === 0 && urls.length === 0) {
    return { ok: false, errors: { [PHOTO.files]: 'Upload a photo here, or give a link below.' } };
  }
  if (kind === 'header' && files.length + urls.length > 1) {
    return { ok: false, errors: { [PHOTO.role]: 'A post has one header photo; add one file or one link.' } };
  }
  const schema = kind === 'header' ? headerPhotoSchema : eventPhotoSchema;
  for (const { url, number } of lines) {
    const checked = check(schema, { role: kind, url, ...(alt ? { alt } : {}) });
    if (!checked.ok) {
      const problem = checked.problems[0];
      const block = problem?.path.startsWith('alt') ? PHOTO.alt : PHOTO.urls;
      const where = block === PHOTO.urls ? `Line ${number}` : 'The description';
      return { ok: false, errors: { [block]: `${where} ${problem?.message ?? 'is not valid'}.` } };
    }
  }
  if (alt && alt.length > 200)
    return { ok: false, errors: { [PHOTO.alt]: 'The description is longer than 200 characters.' } };
  return { ok: true, value: { kind, files, urls, ...(alt ? { alt } : {}) } };
}
