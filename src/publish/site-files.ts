import path from 'node:path';
import type { Site } from '../domain/site';
import type { RenderedPost } from '../render/render-post';

/** A file to put in the site: the post (its text) or a photo (a web-ready file on disk). */
export type SiteFile = { path: string; data: Buffer } | { path: string; file: string };

export interface SiteChange {
  /** `<postsFolder>/<date>-<slug>.md` */
  postPath: string;
  /** The post's file name without `.md`, which names its branch. */
  postName: string;
  files: SiteFile[];
}

/**
 * The post and its photos at the site's own folders. The renderer writes `_posts/…` and links `/images/…`;
 * a site with other folders gets the post there and each photo there under the same name, and the post's
 * links follow. `photoFile` gives the web-ready file of a stored photo.
 */
export async function siteChange(
  post: RenderedPost,
  site: Pick<Site, 'postsFolder' | 'imagesFolder'>,
  photoFile: (storedFile: string) => Promise<string>,
): Promise<SiteChange> {
  const postName = path.posix.basename(post.path, '.md');
  let content = post.content;
  const files: SiteFile[] = [];
  for (const image of post.images) {
    const target = `${site.imagesFolder}/${path.posix.basename(image.sitePath)}`;
    if (target !== image.sitePath) content = content.split(`/${image.sitePath}`).join(`/${target}`);
    files.push({ path: target, file: await photoFile(image.storedFile) });
  }
  const postPath = `${site.postsFolder}/${postName}.md`;
  return { postPath, postName, files: [{ path: postPath, data: Buffer.from(content, 'utf8') }, ...files] };
}

/** The branch a post is published on: `roundup/<post file name>`. */
export function branchFor(postName: string): string {
  return `roundup/${postName}`;
}
