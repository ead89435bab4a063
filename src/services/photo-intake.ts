import type { Photo } from '../domain/meetup';
import { NotFoundError, type Store } from '../store/store';
import type { TeamDeps } from './deps';
import { photoFolder } from './meetups';
import { downloadSlackPhoto, PhotoRefused, type SlackFileRef, type StoredPhoto } from './photos';

export interface IntakeResult {
  stored: number;
  /** Plain-words reasons, one per refused file, for the organiser. */
  refused: string[];
}

/**
 * This process's intakes, by store (one per process) and meetup. Only saves work: two intakes of a meetup
 * on two replicas still run at once, and each one's write-back, which decides, keeps the other's photos.
 */
const running = new WeakMap<Store, Map<string, Promise<unknown>>>();

/**
 * Download the photos of a meetup that were uploaded in Slack but are not stored yet, after the request was
 * acknowledged, into the database (and this machine's folder). A refused file is taken off the meetup (the
 * organiser is told why); the rest of what was typed stays. Two submissions never write over each other's
 * photos: each write-back changes only the photos it downloaded, on the meetup as it is then.
 */
export function fetchUploadedPhotos(
  deps: TeamDeps,
  teamId: string,
  meetupId: string,
  known: readonly SlackFileRef[] = [],
): Promise<IntakeResult> {
  const key = `${teamId}/${meetupId}`;
  const mine = running.get(deps.store) ?? new Map<string, Promise<unknown>>();
  running.set(deps.store, mine);
  const previous = mine.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => intake(deps, teamId, meetupId, known));
  mine.set(key, next);
  void next.finally(() => {
    if (mine.get(key) === next) mine.delete(key);
  });
  return next;
}

async function intake(
  deps: TeamDeps,
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
          keep: (file) => deps.store.putPhotoFile(teamId, { meetupId, ...file }),
          baseName,
        }),
      );
    } catch (err) {
      if (err instanceof NotFoundError) return { stored: 0, refused: [] }; // the meetup was deleted meanwhile
      refusedIds.add(ref.id);
      refused.push(err instanceof PhotoRefused ? err.message : `"${ref.name ?? ref.id}" could not be stored`);
      if (!(err instanceof PhotoRefused))
        deps.logger.error(`photo ${ref.id} of meetup ${meetupId}: ${String(err)}`);
    }
  }

  // Write back against the meetup as it is now: it may have changed while the files downloaded, here or on
  // another replica. The read locks the meetup, so a write-back running at the same time elsewhere commits
  // first and is read, or waits for this one: read without the lock, both would read the same photos and the
  // later write would drop the other's.
  await deps.store.transaction(async (store) => {
    const current = await store.getMeetup(teamId, meetupId, { lock: true });
    if (!current) return; // deleted meanwhile: its photos went with it
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
