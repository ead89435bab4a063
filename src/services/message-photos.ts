import type { WebClient } from '@slack/web-api';
import { IMAGE_TYPES, type Photo } from '../domain/meetup';
import { NotFoundError, type Store } from '../store/store';
import { precheckSlackFile, type SlackFileRef } from './photos';

/**
 * Photos posted in a channel, added to a meetup by the "Add to roundup" message shortcut. The files go the
 * way of a form's upload: the meetup names them by their Slack file, and the intake (photo-intake.ts)
 * downloads and checks them right after the form closes.
 */

/** The most images of one message the form offers (a message holds up to ten files in Slack's clients). */
export const MAX_MESSAGE_PHOTOS = 10;

/** Image types the shortcut counts as photos: the ones stored, and HEIC/HEIF, refused with how to send them. */
const PHOTO_TYPES = new Set<string>([...Object.keys(IMAGE_TYPES), 'image/heic', 'image/heif']);

/** A file object as a message carries it (only these fields are read). */
interface MessageFile {
  id?: unknown;
  name?: unknown;
  mimetype?: unknown;
  size?: unknown;
  /** `check_file_info`: the message holds the id only, files.info tells the rest. */
  file_access?: unknown;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function refOf(file: MessageFile): SlackFileRef | undefined {
  const id = text(file.id);
  if (!id) return undefined;
  const name = text(file.name);
  const mimetype = text(file.mimetype);
  return {
    id,
    // Kept short: every file rides in the form's private_metadata, which holds 3,000 characters.
    ...(name ? { name: name.slice(0, 100) } : {}),
    ...(mimetype ? { mimetype: mimetype.toLowerCase() } : {}),
    ...(typeof file.size === 'number' ? { size: file.size } : {}),
  };
}

/**
 * The image files of a message, as far as Slack describes them; a file the message holds without its type
 * (or with `file_access: check_file_info`) is asked about with files.info. Anything else (a PDF, a video)
 * is no photo.
 */
export async function imagesOfMessage(client: WebClient, files: unknown): Promise<SlackFileRef[]> {
  if (!Array.isArray(files)) return [];
  const images: SlackFileRef[] = [];
  for (const file of files as MessageFile[]) {
    let ref = refOf(file ?? {});
    if (!ref) continue;
    if (!ref.mimetype || file.file_access === 'check_file_info') {
      try {
        const info = (await client.files.info({ file: ref.id })).file;
        ref = refOf({ ...info, id: ref.id }) ?? ref;
      } catch {
        continue; // a file the bot may not see is no photo it can add
      }
    }
    if (ref.mimetype && PHOTO_TYPES.has(ref.mimetype)) images.push(ref);
    if (images.length === MAX_MESSAGE_PHOTOS) break;
  }
  return images;
}

/** The images that may be added, and why each of the others may not (too large, HEIC), in plain words. */
export function sortMessageImages(images: readonly SlackFileRef[]): {
  usable: SlackFileRef[];
  refused: string[];
} {
  const usable: SlackFileRef[] = [];
  const refused: string[] = [];
  for (const image of images) {
    const why = precheckSlackFile(image);
    if (why) refused.push(why.message);
    else usable.push(image);
  }
  return { usable, refused };
}

/** Where one image goes: the header, the group photo, a talk's photo, the evening's other photos, or nowhere. */
export type PhotoPlace =
  | { role: 'header' | 'group' | 'other'; alt?: string }
  | { role: 'talk'; talkId: string; alt?: string }
  | { role: 'skip' };

/**
 * Name the images in the meetup where the organiser put them (inside the caller's transaction), as the photo
 * and talk forms do with an upload; the intake then downloads them. Returns how many were added.
 */
export async function addMessagePhotos(
  store: Store,
  teamId: string,
  meetupId: string,
  placed: ReadonlyArray<{ file: SlackFileRef; place: PhotoPlace }>,
): Promise<number> {
  // Locked: an intake of this meetup's photos on another replica must not be written over.
  const meetup = await store.getMeetup(teamId, meetupId, { lock: true });
  if (!meetup) throw new NotFoundError('the meetup');
  // A photo added again (the shortcut used twice on a message) moves to its new role instead of showing
  // twice, and keeps the copy already made of it.
  const before = new Map(meetup.photos.flatMap((p) => (p.slackFile ? [[p.slackFile.id, p] as const] : [])));
  const again = new Set(placed.filter((p) => p.place.role !== 'skip').map((p) => p.file.id));
  const photoOf = ({ file, place }: { file: SlackFileRef; place: PhotoPlace }) => {
    const stored = before.get(file.id)?.stored;
    return {
      slackFile: { id: file.id, ...(file.name ? { name: file.name } : {}) },
      ...('alt' in place && place.alt !== undefined ? { alt: place.alt } : {}),
      ...(stored ? { stored } : {}),
    };
  };
  let header: Photo | undefined;
  const others: Array<Photo & { role: 'group' | 'other' }> = [];
  let added = 0;
  for (const item of placed) {
    const { place } = item;
    if (place.role === 'skip') continue;
    added += 1;
    if (place.role === 'header') header = { role: 'header', ...photoOf(item) };
    else if (place.role === 'talk') {
      const talk = meetup.talks.find((t) => t.id === place.talkId);
      if (!talk) throw new NotFoundError('the talk');
      await store.saveTalk(teamId, meetupId, { ...talk, photo: { role: 'talk', ...photoOf(item) } });
    } else others.push({ role: place.role, ...photoOf(item) });
  }
  const kept = meetup.photos.filter((p) => !(p.slackFile && again.has(p.slackFile.id)));
  if (header || others.length > 0 || kept.length !== meetup.photos.length) {
    await store.updateMeetup(teamId, meetupId, {
      ...(header ? { headerPhoto: header as Photo & { role: 'header' } } : {}),
      photos: [...kept, ...others],
    });
  }
  return added;
}
