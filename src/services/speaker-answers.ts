import { type Speaker, type Takeaway, type Talk, talkSchema } from '../domain/meetup';
import { check, type Problem } from '../domain/validate';
import { escapeMrkdwn } from '../render/slack-preview';
import type { TalkRecord } from '../store/store';
import type { Deps, TeamDeps } from './deps';
import { refreshDraftMessage } from './draft';
import { refreshHome } from './home';
import { photoFolder } from './meetups';
import { PhotoRefused, type StoredPhoto, sniffImageType, storePhotoBytes } from './photos';
import { syncMeetupReminders } from './reminders';
import type { OpenedLink } from './talk-links';

/** What a speaker gives on their talk's page. */
export interface SpeakerAnswer {
  speakers: Speaker[];
  title: string;
  link?: NonNullable<Talk['link']>;
  takeaways: Takeaway[];
  /** A new photo of themselves, already checked and kept (keepSpeakerPhoto), replacing the talk's. */
  photo?: StoredPhoto;
  /** What the photo shows; unset keeps the description the talk has. */
  photoAlt?: string;
}

export type AnswerSaved =
  | { ok: true; talk: TalkRecord }
  /** At the talk's paths: `speakers[0].name`, `title`, `link.url`, `takeaways[2].text`, `photo`. */
  | { ok: false; problems: Problem[] }
  /** Published, the talk deleted, or the link withdrawn or expired in the meantime: nothing was saved. */
  | { ok: false; closed: 'published' | 'gone' | 'revoked' };

/**
 * A speaker's answer from their link, saved as an answer to `/roundup ask` is: the talk changes (what the
 * page does not show, such as the organiser's own lead, stays), the talk's asks count as answered, so its
 * nudges are no longer planned. Then, after the answer: the organisers' channel is told, the draft
 * message (its checklist) and the organisers' App Home are brought up to date.
 */
export async function saveSpeakerAnswer(
  deps: Deps,
  opened: OpenedLink,
  answer: SpeakerAnswer,
): Promise<AnswerSaved> {
  const { teamId, meetupId, talkId } = opened.claims;
  const checked = check(talkSchema, answered(opened.talk, answer));
  const problems = checked.ok ? [] : checked.problems.filter((p) => !p.path.startsWith('photo'));
  if (problems.length > 0) return { ok: false, problems };

  const saved = await deps.store.transaction(async (store) => {
    const meetup = await store.getMeetup(teamId, meetupId, { lock: true });
    // The talk as it is now, not as it was when the page was posted: what an organiser changed meanwhile
    // in what the page does not show stays.
    const current = meetup?.talks.find((t) => t.id === talkId);
    if (!meetup || !current) return 'gone' as const;
    if (meetup.status === 'published') return 'published' as const;
    // Withdrawn or expired while the form was on its way: nothing is saved.
    if (!(await store.useTalkLink(teamId, opened.link.id, deps.now().toISOString())))
      return 'revoked' as const;
    const record = await store.saveTalk(teamId, meetupId, { ...answered(current, answer), id: talkId });
    await store.markTalkAsksAnswered(teamId, talkId);
    await syncMeetupReminders({ ...deps, store }, teamId, meetupId);
    return record;
  });
  if (typeof saved === 'string') return { ok: false, closed: saved };

  void deps.inFlight.track(
    tellOrganisers(deps, opened, saved).catch((err: unknown) =>
      deps.logger.warn(`after a speaker's answer: ${String(err)}`),
    ),
  );
  return { ok: true, talk: saved };
}

/** The talk with the speaker's answer on it; the rest (the organiser's lead, links, paragraphs) as it is. */
function answered(talk: TalkRecord, answer: SpeakerAnswer): Talk {
  const { id: _id, ...kept } = talk;
  const described = (photo: NonNullable<Talk['photo']>) =>
    answer.photoAlt !== undefined ? { ...photo, alt: answer.photoAlt } : photo;
  const result: Talk = {
    ...kept,
    speakers: answer.speakers,
    title: answer.title,
    takeaways: answer.takeaways,
  };
  delete result.link;
  if (answer.link) result.link = answer.link;
  if (answer.photo) {
    const { file, mimeType, bytes } = answer.photo;
    result.photo = described({ role: 'talk', stored: { file, mimeType, bytes } });
  } else if (kept.photo) result.photo = described(kept.photo);
  return result;
}

/**
 * A photo the speaker sent, checked as a Slack upload is and kept among the meetup's photo files (named by
 * its content), before the rest of the form is: a form sent back for a fix keeps its photo, and the speaker
 * need not choose it again. Refused: the reason, in words for the speaker.
 */
export async function keepSpeakerPhoto(
  deps: Deps,
  opened: OpenedLink,
  photo: { bytes: Buffer; name: string },
): Promise<{ ok: true; photo: StoredPhoto } | { ok: false; message: string }> {
  const { teamId, meetupId, talkId } = opened.claims;
  try {
    const stored = await storePhotoBytes(photo.bytes, {
      name: photo.name,
      baseName: `talk-${talkId}`,
      folder: photoFolder(deps, teamId, meetupId),
      keep: (file) => deps.store.putPhotoFile(teamId, { meetupId, ...file }),
    });
    return { ok: true, photo: stored };
  } catch (err) {
    if (err instanceof PhotoRefused) return { ok: false, message: err.message };
    throw err;
  }
}

/** A photo kept by keepSpeakerPhoto for this link's talk, found again by its file name. */
export async function keptSpeakerPhoto(
  deps: Deps,
  opened: OpenedLink,
  file: string,
): Promise<StoredPhoto | undefined> {
  const { teamId, meetupId } = opened.claims;
  if (!file.startsWith(`talk-${opened.claims.talkId}-`)) return undefined;
  const found = await deps.store.getPhotoFile(teamId, meetupId, file);
  const mimeType = found && sniffImageType(found.content);
  return found && mimeType ? { file, mimeType, bytes: found.content.length } : undefined;
}

async function tellOrganisers(deps: Deps, opened: OpenedLink, talk: TalkRecord): Promise<void> {
  const { teamId, meetupId } = opened.claims;
  const slack = await deps.workspaces.slackFor(teamId);
  if (!slack) return; // uninstalled meanwhile: the answer is kept, nobody can be told in Slack
  const team: TeamDeps = { ...deps, ...slack };
  const names = talk.speakers.map((s) => s.name).join(' and ');
  const channel = opened.group.organisersChannel;
  if (channel) {
    await team.client.chat
      .postMessage({
        channel,
        text: `${escapeMrkdwn(names)} filled in their talk “${escapeMrkdwn(talk.title)}” from their link (${talk.takeaways.length} takeaway(s)).`,
      })
      .catch((err: unknown) => deps.logger.warn(`could not tell the organisers: ${String(err)}`));
  }
  await refreshDraftMessage(team, teamId, meetupId, opened.link.createdBy).catch((err: unknown) =>
    deps.logger.warn(`could not refresh the draft message: ${String(err)}`),
  );
  await refreshHome(team, teamId, opened.group.organisers);
}
