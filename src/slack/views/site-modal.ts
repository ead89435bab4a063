import type { ModalView } from '@slack/types';
import { DEFAULT_SITE, type Site, type SiteInput, siteSchema } from '../../domain/site';
import { check } from '../../domain/validate';
import {
  errorsFromProblems,
  type FormResult,
  modal,
  note,
  option,
  readSelected,
  readText,
  routeProblem,
  type StateValues,
  staticSelect,
  textInput,
} from './form';
import { CALLBACK, SITE } from './ids';

/** `/roundup site`: where the group's posts are published. */
export function buildSiteModal(site: Site | undefined): ModalView {
  return modal(
    CALLBACK.site,
    'The group’s site',
    [
      note(
        'Where *Publish to the site* sends the post and its photos: a branch named after the post and, on GitHub, a pull request to review and merge.',
      ),
      staticSelect(
        SITE.kind,
        'Kind',
        [
          option('github', 'A GitHub repository (a pull request)'),
          option('git', 'Any git remote or local path (a branch)'),
        ],
        { initial: site?.kind ?? 'github' },
      ),
      textInput(SITE.repository, 'Repository', {
        initial: site?.repository,
        max: 500,
        placeholder: 'cloudnativelondon/cloudnativelondon.github.io',
        hint: 'GitHub: owner/repo (the token is GITHUB_TOKEN in the bot’s configuration). git: a remote URL git can push to, or a path on the server. Never a password or token.',
      }),
      textInput(SITE.branch, 'Branch posts are proposed to', {
        initial: site?.branch ?? DEFAULT_SITE.branch,
        max: 200,
      }),
      textInput(SITE.postsFolder, 'Posts folder', {
        initial: site?.postsFolder ?? DEFAULT_SITE.postsFolder,
        max: 200,
      }),
      textInput(SITE.imagesFolder, 'Images folder', {
        initial: site?.imagesFolder ?? DEFAULT_SITE.imagesFolder,
        max: 200,
      }),
      textInput(SITE.maxPhotoWidth, 'Largest photo width (pixels)', {
        initial: String(site?.maxPhotoWidth ?? DEFAULT_SITE.maxPhotoWidth),
        max: 5,
        hint: 'Wider photos are shrunk to this; every photo is turned upright and loses its metadata (such as where it was taken).',
      }),
    ],
    { submit: 'Save' },
  );
}

const ROUTES = routeProblem([
  [/^kind/, SITE.kind, 'The kind'],
  [/^repository/, SITE.repository, 'The repository'],
  [/^branch/, SITE.branch, 'The branch'],
  [/^postsFolder/, SITE.postsFolder, 'The posts folder'],
  [/^imagesFolder/, SITE.imagesFolder, 'The images folder'],
  [/^maxPhotoWidth/, SITE.maxPhotoWidth, 'The width'],
]);

export function readSiteModal(values: StateValues): FormResult<Site> {
  const width = readText(values, SITE.maxPhotoWidth)?.trim();
  const input: SiteInput = {
    kind: (readSelected(values, SITE.kind) ?? 'github') as Site['kind'],
    repository: readText(values, SITE.repository)?.trim() ?? '',
    branch: readText(values, SITE.branch)?.trim(),
    postsFolder: readText(values, SITE.postsFolder)
      ?.trim()
      .replace(/^\/+|\/+$/g, ''),
    imagesFolder: readText(values, SITE.imagesFolder)
      ?.trim()
      .replace(/^\/+|\/+$/g, ''),
    maxPhotoWidth: width === undefined ? undefined : /^\d+$/.test(width) ? Number(width) : Number.NaN,
  };
  const checked = check(siteSchema, input);
  if (!checked.ok) {
    return {
      ok: false,
      errors: errorsFromProblems(checked.problems, ROUTES.route, SITE.repository, ROUTES.describe),
    };
  }
  return { ok: true, value: checked.value };
}
