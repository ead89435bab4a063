import path from 'node:path';
import { buildChecklist } from '../domain/checklist';
import type { Roundup } from '../domain/meetup';
import type { Site } from '../domain/site';
import { type RenderedPost, renderPost, TemplateError } from '../render/render-post';
import { splitFrontMatter } from '../render/slack-preview';
import { PhotoRefused } from '../services/photos';
import { webPhotoFile } from '../services/web-photos';
import { PublishError, type Published, type SiteGateway } from './gateway';
import { branchFor, type SiteChange, siteChange } from './site-files';

export interface PublishPostInput {
  roundup: Roundup;
  site: Site;
  gateway: SiteGateway;
  /** Stored photos' files are relative to this folder, and in it (the bot fills it: localPhotoFolder). */
  photoFolder: string;
  /** Where web-ready copies are kept (default: `web/` in the photo folder). */
  webCache?: string;
  /** The branch to publish on; default `roundup/<post file name>`. */
  branch?: string;
  /** What the checklist still lacks, for the pull request's body (default: the model's checklist). */
  checklist?: readonly string[];
}

export interface PublishPostOutcome extends Published {
  change: SiteChange;
  post: RenderedPost;
}

/**
 * The meetup's post and its web-ready photos at the site's folders, as one commit on the post's branch
 * (and, on GitHub, a pull request against the site's branch). Publishing again adds a commit to the same
 * branch; nothing changed adds none.
 */
export async function publishPost(input: PublishPostInput): Promise<PublishPostOutcome> {
  const { roundup, site } = input;
  let post: RenderedPost;
  try {
    post = renderPost(roundup);
  } catch (err) {
    if (err instanceof TemplateError) {
      throw new PublishError('post_invalid', `The group’s template could not be used: ${err.message}`);
    }
    throw err;
  }
  let change: SiteChange;
  try {
    change = await siteChange(post, site, (stored) =>
      webPhotoFile(path.join(input.photoFolder, stored), site.maxPhotoWidth, input.webCache),
    );
  } catch (err) {
    if (err instanceof PhotoRefused) {
      throw new PublishError('photo_refused', `${err.message}. Replace the photo, then publish again.`);
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PublishError(
        'photo_refused',
        'A photo of the post is missing beside the database: upload it again, then publish again.',
      );
    }
    throw err;
  }
  const title = splitFrontMatter(post.content).title ?? change.postName;
  const checklist =
    input.checklist ?? buildChecklist(roundup.meetup).map((item) => item.text.replace(/`/g, ''));
  const published = await input.gateway.publish({
    branch: input.branch ?? branchFor(change.postName),
    baseBranch: site.branch,
    message: `Roundup post ${change.postName}`,
    files: change.files,
    title,
    body: pullRequestBody(roundup, change, checklist),
  });
  return { ...published, change, post };
}

/** The pull request's description: the post, its talks, its photos and what it still lacks. */
export function pullRequestBody(roundup: Roundup, change: SiteChange, checklist: readonly string[]): string {
  const talks = roundup.meetup.talks.map((talk, i) => {
    const who = talk.speakers.map((s) => (s.company ? `${s.name} (${s.company})` : s.name)).join(', ');
    return `${i + 1}. ${mdText(talk.title)} by ${mdText(who)}`;
  });
  const photos = change.files.filter((f) => 'file' in f).map((f) => `- \`${f.path}\``);
  const lines = [
    `The roundup of ${mdText(roundup.group.name)}'s meetup of ${roundup.meetup.date}, from roundup.`,
    '',
    `Post: \`${change.postPath}\``,
    '',
    '### Talks',
    '',
    ...(talks.length > 0 ? talks : ['No talks yet.']),
    '',
    '### Photos',
    '',
    ...(photos.length > 0 ? photos : ['None stored.']),
    '',
    '### Checklist',
    '',
    ...(checklist.length > 0
      ? checklist.map((item) => `- [ ] ${mdText(item)}`)
      : ['- [x] Nothing missing: ready to merge.']),
    '',
  ];
  return lines.join('\n');
}

/** Text for the pull request's Markdown: no mention, link or HTML from what was typed. */
function mdText(text: string): string {
  return text.replace(/[\\`*_[\]<>@#|]/g, (c) => `\\${c}`);
}
