import type { Photo } from '../domain/meetup';
import type { Deps } from './deps';
import { photoFolder } from './meetups';
import { downloadSlackPhoto, PhotoRefused, type SlackFileRef, type StoredPhoto } from './photos';

export interface IntakeResult {
  stored: number;
  /** Plain-words reasons, one per refused file, for the organiser. */
  refused: string[];
}

const running = new Map<string, Promise<unknown>>();

/**
 * Download the photos of a meetup that were uploaded in Slack but are not stored yet, after the request was
 * acknowledged. A refused file is taken off the meetup (the organiser is told why); the rest of what was
 * typed stays. Runs one at a time per meetup, so two submissions never write over each other's photos.
 */
export function fetchUploadedPhotos(
  deps: Deps,
  teamId: string,
  meetupId: string,
  known: readonly SlackFileRef[] = [],
): Promise<IntakeResult> {
  const key = `${teamId}/${meetupId}`;
  const previous = running.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => intake(deps, teamId, meetupId, known));
  running.set(key, next);
  void next.finally(() => {
    if (running.get(key) === next) running.delete(key);
  });
  return next;
}

async function intake(
  deps: Deps,
  teamId: string,
  meetupId: string,
  known: readonly SlackFileRef[],
): Promise<IntakeResult> {
  const meetup = await deps.store.getMeetup(teamId, meetupId);
  if (!meetup) return { stored: 0, refused: [] };
  const pending: Array<{ ref: SlackFileRef; baseName: string }> = [];
  const want = (photo: Photo | undefined, baseName: string) => {
    if (!photo?.slackFile || photo.stored) return;
    const ref = known.find((k) => k.id === photo.slackFile?.id) ?? {
      id: photo.slackFile.id,
      name: photo.slackFile.name,
    };
    pending.push({ ref, baseName });
  };
  want(meetup.headerPhoto, 'header');
  for (const talk of meetup.talks) want(talk.photo, `talk-${talk.id}`);
  for (const photo of meetup.photos) want(photo, `photo-${photo.slackFile?.id ?? ''}`);
  if (pending.length === 0) return { stored: 0, refused: [] };

  const folder = photoFolder(deps, teamId, meetupId);
  const done = new Map<string, StoredPhoto>();
  const refusedIds = new Set<string>();
  const refused: string[] = [];
  for (const { ref, baseName } of pending) {
    try {
      done.set(
        ref.id,
        await downloadSlackPhoto({
          client: deps.client,
          botToken: deps.botToken,
          file: ref,
          allowedHosts: deps.fileHosts,
          folder,
          baseName,
        }),
      );
    } catch (err) {
      refusedIds.add(ref.id);
      refused.push(err instanceof PhotoRefused ? err.message : `"${ref.name ?? ref.id}" could not be stored`);
      if (!(err instanceof PhotoRefused))
        deps.logger.error(`photo ${ref.id} of meetup ${meetupId}: ${String(err)}`);
    }
  }

  // Write back against the meetup as it is now: it may have changed while the files downloaded.
  await deps.store.transaction(async (store) => {
    const current = await store.getMeetup(teamId, meetupId);
    if (!current) return;
    const settle = <P extends Photo>(photo: P | undefined): P | undefined => {
      const id = photo?.slackFile?.id;
      if (!photo || !id || photo.stored) return photo;
      if (refusedIds.has(id)) return photo.url ? { ...photo, slackFile: undefined } : undefined;
      const stored = done.get(id);
      return stored
        ? { ...photo, stored: { file: stored.file, mimeType: stored.mimeType, bytes: stored.bytes } }
        : photo;
    };
    const headerPhoto = settle(current.headerPhoto);
    const photos = current.photos.flatMap((p) => {
      const settled = settle(p);
      return settled ? [settled] : [];
    });
    await store.updateMeetup(teamId, meetupId, { headerPhoto, photos });
    for (const talk of current.talks) {
      const photo = settle(talk.photo);
      if (photo !== talk.photo) await store.saveTalk(teamId, meetupId, { ...talk, photo });
    }
  });
  return { stored: done.size, refused };
}
