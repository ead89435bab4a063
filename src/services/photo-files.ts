import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { IMAGE_TYPES, type ImageType, type Meetup } from '../domain/meetup';
import type { Deps } from './deps';
import { photoFolder } from './meetups';

/** How many hex digits of a photo's SHA-256 its name carries: enough that two photos never share one. */
export const NAME_DIGEST_LENGTH = 12;

/**
 * A stored photo's file name, from its content: `${baseName}-${digest}.${ext}`. A name then never changes
 * what it holds, so every replica's copy of it stays right, and a replaced photo gets a new name.
 */
export function photoFileName(baseName: string, mimeType: ImageType, bytes: Buffer): string {
  const digest = createHash('sha256').update(bytes).digest('hex').slice(0, NAME_DIGEST_LENGTH);
  return `${baseName}-${digest}.${IMAGE_TYPES[mimeType]}`;
}

/** The digest a content-addressed name carries (`talk-1-0123456789ab.jpeg`), else undefined. */
export function digestInName(fileName: string): string | undefined {
  const stem = path.basename(fileName, path.extname(fileName));
  return new RegExp(`-([0-9a-f]{${NAME_DIGEST_LENGTH}})$`).exec(stem)?.[1];
}

/** Every stored file a meetup names (header, evening's photos, speakers' photos). */
export function storedPhotoFiles(meetup: Pick<Meetup, 'headerPhoto' | 'photos' | 'talks'>): string[] {
  const photos = [meetup.headerPhoto, ...meetup.photos, ...meetup.talks.map((t) => t.photo)];
  return [...new Set(photos.flatMap((p) => (p?.stored ? [p.stored.file] : [])))];
}

/**
 * The meetup's photo folder on this machine, once each named original is in it: the database holds every
 * stored photo and the folder is only this machine's copy, so a file missing from it (stored by another
 * replica, or deleted) is fetched from the database. A file the folder has but the database lacks (stored
 * before photos went into the database) is used as it is; one in neither stays missing, for the reader to
 * report as before.
 */
export async function localPhotoFolder(
  deps: Pick<Deps, 'photosDir' | 'store'>,
  teamId: string,
  meetupId: string,
  names: readonly string[],
): Promise<string> {
  const folder = photoFolder(deps, teamId, meetupId);
  for (const name of new Set(names)) {
    const target = path.join(folder, name);
    if (await exists(target)) continue;
    const file = await deps.store.getPhotoFile(teamId, meetupId, name);
    if (file) await writeAtomically(target, file.content);
  }
  return folder;
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** Writes a temp file beside the target, then renames it, so a crash never leaves half a photo. */
export async function writeAtomically(target: string, bytes: Buffer): Promise<void> {
  const folder = path.dirname(target);
  await fs.mkdir(folder, { recursive: true });
  const temp = path.join(folder, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}
