import { z } from 'zod';
import { line } from './fields';

/**
 * The group's own site, where its posts are published: a git repository reached with the real `git` (a
 * remote URL or a local path), or a GitHub repository reached through GitHub's API. Credentials are never
 * part of it: a GitHub token comes from the configuration, and a git remote uses what git itself is set up
 * with (an SSH key, a credential helper).
 */

export const SITE_KINDS = ['git', 'github'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export const DEFAULT_SITE = {
  branch: 'main',
  postsFolder: '_posts',
  imagesFolder: 'images',
  maxPhotoWidth: 1600,
} as const;

export const MIN_PHOTO_WIDTH = 320;
export const MAX_PHOTO_WIDTH = 6000;

/** owner/repo as GitHub spells names. */
const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

/** A git branch name a person would type: no spaces, no `..`, nothing git refuses in a ref. */
export function isBranchName(name: string): boolean {
  return (
    /^[A-Za-z0-9._/-]{1,200}$/.test(name) &&
    !name.includes('..') &&
    !name.includes('//') &&
    !/^[-/.]|[/.]$|\.lock$|\/\./.test(name)
  );
}

/** A folder inside the repository: relative, plain names, never climbing out. */
export function isSiteFolder(folder: string): boolean {
  return (
    /^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/.test(folder) &&
    !folder.split('/').includes('..')
  );
}

/** A remote URL holding a password or token: refused, so that no secret is stored or shown. */
export function hasCredentials(repository: string): boolean {
  try {
    const url = new URL(repository);
    return url.password !== '' || (url.protocol.startsWith('http') && url.username !== '');
  } catch {
    return false;
  }
}

const folder = (fallback: string) =>
  line(200)
    .refine(isSiteFolder, {
      error: 'must be a folder inside the repository, such as _posts or assets/images',
    })
    .default(fallback);

export const siteSchema = z
  .strictObject({
    kind: z.enum(SITE_KINDS, { error: 'must be git or github' }),
    /** git: a remote URL or a local path; github: `owner/repo`. */
    repository: line(500).refine((r) => !hasCredentials(r), {
      error: 'must not hold a password or token: give the token in the configuration instead',
    }),
    /** The branch posts are published against (the pull request's base). */
    branch: line(200)
      .refine(isBranchName, { error: 'must be a branch name such as main or gh-pages' })
      .default(DEFAULT_SITE.branch),
    postsFolder: folder(DEFAULT_SITE.postsFolder),
    imagesFolder: folder(DEFAULT_SITE.imagesFolder),
    /** Photos wider than this are shrunk to it. */
    maxPhotoWidth: z
      .number({ error: 'must be a number of pixels' })
      .int({ error: 'must be a whole number of pixels' })
      .min(MIN_PHOTO_WIDTH, { error: `must be at least ${MIN_PHOTO_WIDTH} pixels` })
      .max(MAX_PHOTO_WIDTH, { error: `must be at most ${MAX_PHOTO_WIDTH} pixels` })
      .default(DEFAULT_SITE.maxPhotoWidth),
  })
  .refine((s) => s.kind !== 'github' || GITHUB_REPOSITORY.test(s.repository), {
    error: 'must be owner/repo for a GitHub site, such as cloudnativelondon/cloudnativelondon.github.io',
    path: ['repository'],
  });
export type Site = z.infer<typeof siteSchema>;
export type SiteInput = z.input<typeof siteSchema>;

/** How the site is named to people: `owner/repo` on GitHub, the remote as given for git. */
export function siteName(site: Site): string {
  return site.kind === 'github' ? `${site.repository} on GitHub` : site.repository;
}
