import path from 'node:path';
import type { KnownBlock } from '@slack/types';
import type { Roundup } from '../domain/meetup';
import { type RenderedPost, renderPost, TemplateError } from '../render/render-post';
import { buildPostPreview, splitFrontMatter } from '../render/slack-preview';
import { buildDraftMessage, DRAFT_HEADER_BLOCKS } from '../slack/views/draft-message';
import type { MeetupRecord } from '../store/store';
import type { Deps } from './deps';
import { meetupOverview, photoFolder, requireGroup } from './meetups';
import { syncMeetupReminders } from './reminders';
import { slackError } from './slack-errors';
import { uploadFiles } from './slack-upload';
import { buildZip, type ZipArchive, ZipSourceError } from './zip';

/** A reason the draft could not be made, in words for the organiser who asked for it. */
export class DraftError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DraftError';
  }
}

export interface DraftPackage {
  markdownName: string;
  markdown: Buffer;
  zipName: string;
  /** Streamed from the photo files when sent: a draft never holds all its photos in memory at once. */
  zip: ZipArchive;
}

/** The post and its images as a .zip laid out like the site (`_posts/…`, `images/…`), plus the .md alone. */
export async function buildDraftPackage(post: RenderedPost, folder: string): Promise<DraftPackage> {
  const markdown = Buffer.from(post.content, 'utf8');
  let zip: ZipArchive;
  try {
    zip = await buildZip([
      { name: post.path, data: markdown },
      ...post.images.map((image) => ({ name: image.sitePath, file: path.join(folder, image.storedFile) })),
    ]);
  } catch (err) {
    if (err instanceof ZipSourceError)
      throw new DraftError(`The photo file for ${err.entry} is missing on the server; upload it again.`);
    throw err;
  }
  const base = path.basename(post.path, '.md');
  return { markdownName: path.basename(post.path), markdown, zipName: `${base}.zip`, zip };
}

export interface DraftOutcome {
  channelId: string;
  messageTs: string;
  version: number;
  /** An existing draft message was updated rather than a new one posted. */
  updated: boolean;
}

/**
 * Render the meetup's post and put it before the organisers: the draft message (checklist, buttons, preview)
 * in their channel, updated in place on a re-draft, with the .zip and the .md in its thread.
 */
export async function postDraft(
  deps: Deps,
  teamId: string,
  meetupId: string,
  userId: string,
): Promise<DraftOutcome> {
  const group = await requireGroup(deps.store, teamId);
  const channelId = group.organisersChannel;
  if (!channelId) throw new DraftError('No organisers’ channel is set: pick one with `/roundup setup`.');
  const [meetup, roundup] = await Promise.all([
    deps.store.getMeetup(teamId, meetupId),
    deps.store.getRoundup(teamId, meetupId),
  ]);
  if (!meetup || !roundup) throw new DraftError('That meetup no longer exists.');

  const post = render(roundup);
  const pkg = await buildDraftPackage(post, photoFolder(deps, teamId, meetupId));
  const previous = await deps.store.getDraft(teamId, meetupId);
  const version = (previous?.version ?? 0) + 1;
  const message = await draftMessage(deps, teamId, meetup, roundup, post, { version, userId });

  let messageTs: string | undefined;
  let updated = false;
  if (previous && previous.channelId === channelId) {
    try {
      await deps.client.chat.update({ channel: channelId, ts: previous.messageTs, ...message.first });
      messageTs = previous.messageTs;
      updated = true;
    } catch (err) {
      // Someone deleted the old draft message: post a new one.
      if (slackError(err) !== 'message_not_found') throw err;
    }
    for (const ts of previous.thread.replyTs) {
      await deps.client.chat.delete({ channel: channelId, ts }).catch(() => undefined);
    }
  }
  if (!messageTs) {
    const posted = await deps.client.chat.postMessage({ channel: channelId, ...message.first });
    messageTs = posted.ts as string;
  }
  const replyTs: string[] = [];
  for (const part of message.rest) {
    const reply = await deps.client.chat.postMessage({ channel: channelId, thread_ts: messageTs, ...part });
    if (reply.ts) replyTs.push(reply.ts);
  }
  const fileIds = await uploadFiles(
    deps.client,
    {
      channelId,
      threadTs: messageTs,
      initialComment: `Draft ${version}: the post with its images laid out like the site (${pkg.zipName}), and the post on its own (${pkg.markdownName}).`,
    },
    [
      { filename: pkg.zipName, title: pkg.zipName, length: pkg.zip.size, body: () => pkg.zip.stream() },
      {
        filename: pkg.markdownName,
        title: pkg.markdownName,
        length: pkg.markdown.length,
        body: () => pkg.markdown,
      },
    ],
  );

  await deps.store.transaction(async (store) => {
    await store.saveDraft(teamId, { meetupId, channelId, messageTs, version, thread: { fileIds, replyTs } });
    if (meetup.status !== 'published') await store.updateMeetup(teamId, meetupId, { status: 'drafted' });
  });
  return { channelId, messageTs, version, updated };
}

/** Mark the meetup published and show it on the draft message (which keeps its preview). */
export async function markPublished(
  deps: Deps,
  teamId: string,
  meetupId: string,
  userId: string,
): Promise<void> {
  const meetup = await deps.store.transaction(async (store) => {
    const published = await store.updateMeetup(teamId, meetupId, { status: 'published' });
    // The morning-after nudges are for posts still in progress.
    await syncMeetupReminders({ ...deps, store }, teamId, meetupId);
    return published;
  });
  const [draft, roundup] = await Promise.all([
    deps.store.getDraft(teamId, meetupId),
    deps.store.getRoundup(teamId, meetupId),
  ]);
  if (!draft || !roundup) return;
  const message = await draftMessage(deps, teamId, meetup, roundup, render(roundup), {
    version: draft.version,
    userId,
  });
  await deps.client.chat.update({ channel: draft.channelId, ts: draft.messageTs, ...message.first });
}

function render(roundup: Roundup): RenderedPost {
  try {
    return renderPost(roundup);
  } catch (err) {
    if (err instanceof TemplateError)
      throw new DraftError(`The group’s template could not be used: ${err.message}`);
    throw err;
  }
}

async function draftMessage(
  deps: Deps,
  teamId: string,
  meetup: MeetupRecord,
  roundup: Roundup,
  post: RenderedPost,
  o: { version: number; userId: string },
) {
  const overview = await meetupOverview(deps, teamId, roundup.group, meetup);
  const fileOf = new Map<string, string>();
  const photos = [meetup.headerPhoto, ...meetup.photos, ...meetup.talks.map((t) => t.photo)];
  for (const photo of photos) {
    if (photo?.stored && photo.slackFile) fileOf.set(photo.stored.file, photo.slackFile.id);
  }
  const parts = buildPostPreview(post.content, {
    maxBlocks: 50 - DRAFT_HEADER_BLOCKS,
    imageFor: (src) => {
      if (/^https?:\/\//i.test(src)) return { imageUrl: src };
      const image = post.images.find((i) => `/${i.sitePath}` === src);
      const fileId = image && fileOf.get(image.storedFile);
      return fileId ? { slackFileId: fileId } : undefined;
    },
  });
  const [first, ...rest] = parts;
  const title = splitFrontMatter(post.content).title ?? overview.meetupLabel;
  const message = buildDraftMessage({
    meetupId: meetup.id,
    title,
    version: o.version,
    updatedBy: o.userId,
    published: meetup.status === 'published',
    checklist: overview.checklist,
    preview: (first?.blocks ?? []) as KnownBlock[],
    continued: rest.length > 0,
  });
  return { first: message, rest };
}
