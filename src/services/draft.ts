import path from 'node:path';
import type { ImageBlock, KnownBlock } from '@slack/types';
import { MEETUP_STATUSES, type Roundup } from '../domain/meetup';
import { siteName } from '../domain/site';
import { branchFor } from '../publish/site-files';
import { type RenderedPost, renderPost, TemplateError } from '../render/render-post';
import {
  buildPostPreview,
  escapeMrkdwn,
  photoAsLink,
  SLACK_IMAGE_TYPES,
  splitFrontMatter,
} from '../render/slack-preview';
import { buildDraftMessage, DRAFT_HEADER_BLOCKS } from '../slack/views/draft-message';
import type { MeetupRecord } from '../store/store';
import type { TeamDeps } from './deps';
import { meetupOverview, requireGroup } from './meetups';
import { localPhotoFolder } from './photo-files';
import { PhotoRefused } from './photos';
import { refreshPublication } from './publish';
import { syncMeetupReminders } from './reminders';
import { slackError } from './slack-errors';
import { uploadFiles } from './slack-upload';
import { DEFAULT_MAX_PHOTO_WIDTH, webPhotoFile } from './web-photos';
import { buildZip, type ZipArchive, type ZipSource, ZipSourceError } from './zip';

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

/**
 * The post and its images as a .zip laid out like the site (`_posts/…`, `images/…`), plus the .md alone. The
 * images are the photos made ready for the web (upright, no metadata, at most `maxWidth` wide).
 */
export async function buildDraftPackage(
  post: RenderedPost,
  folder: string,
  maxWidth = DEFAULT_MAX_PHOTO_WIDTH,
): Promise<DraftPackage> {
  const markdown = Buffer.from(post.content, 'utf8');
  let zip: ZipArchive;
  try {
    const images: ZipSource[] = [];
    for (const image of post.images) {
      const file = await webPhotoFile(path.join(folder, image.storedFile), maxWidth).catch((err) => {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ZipSourceError(image.sitePath, err);
        throw err;
      });
      images.push({ name: image.sitePath, file });
    }
    zip = await buildZip([{ name: post.path, data: markdown }, ...images]);
  } catch (err) {
    if (err instanceof ZipSourceError)
      throw new DraftError(`The photo file for ${err.entry} is missing on the server; upload it again.`);
    if (err instanceof PhotoRefused) throw new DraftError(`${err.message}.`);
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

/** How many times a draft starts over when another draft of the same meetup saved first. */
const DRAFT_ATTEMPTS = 3;

const UNPUBLISHED = MEETUP_STATUSES.filter((s) => s !== 'published');

/**
 * Render the meetup's post and put it before the organisers: the draft message (checklist, buttons, preview)
 * in their channel, updated in place on a re-draft, with the .zip and the .md in its thread.
 */
export async function postDraft(
  deps: TeamDeps,
  teamId: string,
  meetupId: string,
  userId: string,
): Promise<DraftOutcome> {
  // Two drafts of one meetup at once (two organisers, Regenerate pressed during `/roundup draft`) read the
  // same version; the store keeps the first to save, and the other starts over on top of it.
  for (let attempt = 1; ; attempt++) {
    const outcome = await draftOnce(deps, teamId, meetupId, userId);
    if (outcome) return outcome;
    if (attempt >= DRAFT_ATTEMPTS) {
      throw new DraftError(
        'Other drafts of this meetup were being made at the same moment; press Regenerate to try again.',
      );
    }
  }
}

/** One try at a draft; undefined when another draft saved first (what this one posted is taken back). */
async function draftOnce(
  deps: TeamDeps,
  teamId: string,
  meetupId: string,
  userId: string,
): Promise<DraftOutcome | undefined> {
  // A pull request merged since the last draft marks the meetup published before it is read below.
  await refreshPublication(deps, teamId, meetupId).catch((err: unknown) =>
    deps.logger.warn(`publication of meetup ${meetupId} not refreshed: ${String(err)}`),
  );
  const group = await requireGroup(deps.store, teamId);
  const channelId = group.organisersChannel;
  if (!channelId) throw new DraftError('No organisers’ channel is set: pick one with `/roundup setup`.');
  const [meetup, roundup] = await Promise.all([
    deps.store.getMeetup(teamId, meetupId),
    deps.store.getRoundup(teamId, meetupId),
  ]);
  if (!meetup || !roundup) throw new DraftError('That meetup no longer exists.');

  const post = render(roundup);
  const pkg = await buildDraftPackage(
    post,
    await localPhotoFolder(
      deps,
      teamId,
      meetupId,
      post.images.map((i) => i.storedFile),
    ),
    group.site?.maxPhotoWidth ?? DEFAULT_MAX_PHOTO_WIDTH,
  );
  const previous = await deps.store.getDraft(teamId, meetupId);
  const version = (previous?.version ?? 0) + 1;
  const published = meetup.status === 'published';
  const message = await draftMessage(deps, teamId, meetup, roundup, post, { version, userId, published });

  let messageTs: string | undefined;
  let updated = false;
  if (previous && previous.channelId === channelId) {
    try {
      await sendShowingPhotos(deps, message.first, message.photoSrc, (m) =>
        deps.client.chat.update({ channel: channelId, ts: previous.messageTs, ...m }),
      );
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
    const posted = await sendShowingPhotos(deps, message.first, message.photoSrc, (m) =>
      deps.client.chat.postMessage({ channel: channelId, ...m }),
    );
    messageTs = posted.ts as string;
  }
  const threadTs = messageTs;
  const replyTs: string[] = [];
  for (const part of message.rest) {
    const reply = await sendShowingPhotos(deps, part, message.photoSrc, (m) =>
      deps.client.chat.postMessage({ channel: channelId, thread_ts: threadTs, ...m }),
    );
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

  // Both writes compare and set: the draft over the version read above, the status from the one read above.
  const saved = await deps.store.transaction(async (store) => {
    const draft = { meetupId, channelId, messageTs: threadTs, version, thread: { fileIds, replyTs } };
    if (!(await store.saveDraft(teamId, draft, previous?.version))) return 'taken';
    if (published) return 'saved';
    return (await store.changeMeetupStatus(teamId, meetupId, [meetup.status], 'drafted')) ? 'saved' : 'moved';
  });
  if (saved === 'taken') {
    for (const ts of replyTs)
      await deps.client.chat.delete({ channel: channelId, ts }).catch(() => undefined);
    if (!updated) await deps.client.chat.delete({ channel: channelId, ts: threadTs }).catch(() => undefined);
    return undefined;
  }
  if (saved === 'moved') {
    // The meetup changed state while this draft was made (it was marked published): the message sent above
    // shows the state from before and may have landed after the one that showed the change, so the message
    // is brought to the state as it is now. The status itself is left as the other action set it.
    const current = await deps.store.getMeetup(teamId, meetupId);
    if (current) {
      const fresh = await draftMessage(deps, teamId, current, roundup, post, {
        version,
        userId,
        published: current.status === 'published',
      });
      await sendShowingPhotos(deps, fresh.first, fresh.photoSrc, (m) =>
        deps.client.chat.update({ channel: channelId, ts: threadTs, ...m }),
      );
    }
  }
  return { channelId, messageTs, version, updated };
}

/** Mark the meetup published and show it on the draft message (which keeps its preview). */
export async function markPublished(
  deps: TeamDeps,
  teamId: string,
  meetupId: string,
  userId: string,
): Promise<void> {
  const changed = await deps.store.transaction(async (store) => {
    const moved = await store.changeMeetupStatus(teamId, meetupId, UNPUBLISHED, 'published');
    // The morning-after nudges are for posts still in progress.
    if (moved) await syncMeetupReminders({ ...deps, store }, teamId, meetupId);
    return moved;
  });
  // Published already (another organiser's click): that click's update of the draft message shows it.
  if (!changed) return;
  await refreshDraftMessage(deps, teamId, meetupId, userId, { publishedBy: userId });
}

/**
 * Bring the draft message to the meetup's state as it is now (published, the pull request's state), keeping
 * its version and preview: after a publish, or a pull request found merged.
 */
export async function refreshDraftMessage(
  deps: TeamDeps,
  teamId: string,
  meetupId: string,
  userId: string,
  o: { publishedBy?: string } = {},
): Promise<void> {
  const [meetup, draft, roundup] = await Promise.all([
    deps.store.getMeetup(teamId, meetupId),
    deps.store.getDraft(teamId, meetupId),
    deps.store.getRoundup(teamId, meetupId),
  ]);
  if (!meetup || !draft || !roundup) return;
  const message = await draftMessage(deps, teamId, meetup, roundup, render(roundup), {
    version: draft.version,
    userId,
    published: meetup.status === 'published',
    ...(o.publishedBy ? { publishedBy: o.publishedBy } : {}),
  });
  await sendShowingPhotos(deps, message.first, message.photoSrc, (m) =>
    deps.client.chat.update({ channel: draft.channelId, ts: draft.messageTs, ...m }),
  );
}

function render(roundup: Roundup): RenderedPost {
  try {
    return renderPost(roundup);
  } catch (err) {
    if (err instanceof TemplateError)
      throw new DraftError(`The group’s template could not be used: ${escapeMrkdwn(err.message)}`);
    throw err;
  }
}

interface MessageBody {
  text: string;
  blocks: KnownBlock[];
}

/**
 * Send a message that may show photos, so that no photo can stop it. When a message is sent Slack downloads
 * every `image_url` and checks that the bot may show every `slack_file`, and refuses the whole message
 * (`invalid_blocks`) when one of them fails: a link that is dead by now, a file deleted in Slack. The bot
 * never fetches the organisers' photo links itself (they may point anywhere, private addresses included) and
 * only Slack knows what it will show, so Slack's answer is the check: a refusal naming photos sends the
 * message again with those photos as links, a second refusal with every photo as a link. A refusal of a
 * message without photos is for something else, and goes to the caller.
 */
async function sendShowingPhotos<T>(
  deps: TeamDeps,
  message: MessageBody,
  photoSrc: (block: ImageBlock) => string,
  send: (message: MessageBody) => Promise<T>,
): Promise<T> {
  let blocks = message.blocks;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send({ ...message, blocks });
    } catch (err) {
      const photos = blocks.flatMap((b, i) => (b.type === 'image' ? [i] : []));
      if (slackError(err) !== 'invalid_blocks' || photos.length === 0) throw err;
      const named = attempt === 1 ? refusedBlocks(err).filter((i) => photos.includes(i)) : [];
      const asLinks = new Set(named.length > 0 ? named : photos);
      blocks = blocks.map((b, i) => (b.type === 'image' && asLinks.has(i) ? photoAsLink(b, photoSrc(b)) : b));
      deps.logger.warn(`Slack could not show ${asLinks.size} photo(s) of a draft message: sent as links`);
    }
  }
}

/** The blocks a Slack refusal points at (`[json-pointer:/blocks/3/image_url]`), by index. */
function refusedBlocks(err: unknown): number[] {
  const data = (err as { data?: { errors?: unknown; response_metadata?: { messages?: unknown } } }).data;
  const problems = [data?.errors, data?.response_metadata?.messages].flatMap((p) =>
    Array.isArray(p) ? p : [],
  );
  return problems.flatMap((p) => {
    const match = /\/blocks\/(\d+)/.exec(typeof p === 'string' ? p : JSON.stringify(p));
    return match ? [Number(match[1])] : [];
  });
}

async function draftMessage(
  deps: TeamDeps,
  teamId: string,
  meetup: MeetupRecord,
  roundup: Roundup,
  post: RenderedPost,
  o: { version: number; userId: string; published: boolean; publishedBy?: string },
) {
  const overview = await meetupOverview(deps, teamId, roundup.group, meetup);
  const fileOf = new Map<string, string>();
  const photos = [meetup.headerPhoto, ...meetup.photos, ...meetup.talks.map((t) => t.photo)];
  for (const photo of photos) {
    if (photo?.stored && photo.slackFile) fileOf.set(photo.stored.file, photo.slackFile.id);
  }
  const srcOfFile = new Map<string, string>();
  const parts = buildPostPreview(post.content, {
    maxBlocks: 50 - DRAFT_HEADER_BLOCKS,
    imageFor: (src) => {
      if (/^https?:\/\//i.test(src)) return { imageUrl: src };
      const image = post.images.find((i) => `/${i.sitePath}` === src);
      const fileId = image && fileOf.get(image.storedFile);
      // A WebP (which the forms accept) in an image block gets the whole message refused: it is named instead.
      if (!image || !fileId || !SLACK_IMAGE_TYPES.has(image.mimeType)) return undefined;
      srcOfFile.set(fileId, src);
      return { slackFileId: fileId };
    },
  });
  const [first, ...rest] = parts;
  const title = splitFrontMatter(post.content).title ?? overview.meetupLabel;
  const site = roundup.group.site;
  const publication = await deps.store.getPublication(teamId, meetup.id);
  const message = buildDraftMessage({
    ...(site
      ? {
          site: {
            name: siteName(site),
            baseBranch: site.branch,
            branch: publication?.branch ?? branchFor(path.basename(post.path, '.md')),
            pullRequests: site.kind === 'github',
          },
        }
      : {}),
    ...(publication ? { publication } : {}),
    meetupId: meetup.id,
    title,
    version: o.version,
    updatedBy: o.userId,
    published: o.published,
    publishedBy: o.publishedBy,
    checklist: overview.checklist,
    preview: (first?.blocks ?? []) as KnownBlock[],
    continued: rest.length > 0,
  });
  const photoSrc = (block: ImageBlock): string =>
    'image_url' in block
      ? block.image_url
      : 'id' in block.slack_file
        ? (srcOfFile.get(block.slack_file.id) ?? '')
        : '';
  return { first: message, rest, photoSrc };
}
