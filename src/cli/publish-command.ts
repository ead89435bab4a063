import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { roundupSchema } from '../domain/meetup';
import { isBranchName, siteSchema } from '../domain/site';
import { check, describeProblems } from '../domain/validate';
import { PublishError } from '../publish/gateway';
import { GitSite } from '../publish/git-site';
import { publishPost } from '../publish/publish-post';
import type { CliIo } from './run-cli';

export const PUBLISH_USAGE = `Usage: roundup publish <meetup.json> --site <path-or-remote> [--branch <name>] [--base <branch>]
                      [--posts <folder>] [--images <folder>] [--max-width <px>]

Publishes the post and its photos, made ready for the web, to a git site as one commit on a branch.
  --site       the site's git remote (a URL git can push to) or the path of a local repository
  --branch     the branch to push the post to (default roundup/<post file name>)
  --base       the site's branch a new post branch starts from (default main, or the JSON's group.site)
  --posts      the site's posts folder (default _posts)
  --images     the site's images folder (default images)
  --max-width  photos wider than this are shrunk to it (default 1600)
`;

/** Exit codes beside run-cli's: 3 when the site could not be published to (the reason is printed). */
export const EXIT_PUBLISH_FAILED = 3;

/** `roundup publish`: the post of a meetup JSON file, as a commit on a branch of a git site. */
export async function publishCli(args: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (err) {
    io.stderr.write(`roundup publish: ${(err as Error).message}\n\n${PUBLISH_USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout.write(PUBLISH_USAGE);
    return 0;
  }
  const [file, ...extra] = parsed.positionals;
  const siteArg = parsed.values.site;
  if (file === undefined || extra.length > 0 || siteArg === undefined) {
    io.stderr.write(`roundup publish: give one meetup JSON file and --site\n\n${PUBLISH_USAGE}`);
    return 2;
  }
  const fail = (message: string, code = 1) => {
    io.stderr.write(`roundup publish: ${message}\n`);
    return code;
  };
  if (parsed.values.branch !== undefined && !isBranchName(parsed.values.branch)) {
    return fail('--branch must be a branch name such as roundup/november-2023', 2);
  }

  const jsonFile = path.resolve(io.cwd, file);
  let data: unknown;
  try {
    data = JSON.parse(await fs.promises.readFile(jsonFile, 'utf8'));
  } catch (err) {
    return fail(`cannot read ${file} as JSON: ${(err as Error).message}`);
  }
  const checked = check(roundupSchema, data);
  if (!checked.ok) return fail(`${file} has problems:\n${describeProblems(checked.problems)}`);
  const roundup = checked.value;

  // A local path is taken from where the command runs; anything with a scheme or `host:` is a remote.
  const isRemote = /^[a-z][a-z0-9+.-]*:\/\//i.test(siteArg) || /^[^/\\]+@[^/\\]+:/.test(siteArg);
  const repository = isRemote ? siteArg : path.resolve(io.cwd, siteArg);
  const maxWidth = parsed.values['max-width'];
  const site = check(siteSchema, {
    kind: 'git',
    repository,
    branch: parsed.values.base ?? roundup.group.site?.branch,
    postsFolder: parsed.values.posts ?? roundup.group.site?.postsFolder,
    imagesFolder: parsed.values.images ?? roundup.group.site?.imagesFolder,
    maxPhotoWidth: maxWidth === undefined ? roundup.group.site?.maxPhotoWidth : Number(maxWidth),
  });
  if (!site.ok) return fail(`the site's settings have problems:\n${describeProblems(site.problems)}`, 2);

  const work = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'roundup-publish-'));
  try {
    const outcome = await publishPost({
      roundup,
      site: site.value,
      gateway: new GitSite(repository, path.join(work, 'clones')),
      photoFolder: path.dirname(jsonFile),
      webCache: path.join(work, 'web'),
      branch: parsed.values.branch,
    });
    for (const f of outcome.change.files) io.stdout.write(`${f.path}\n`);
    io.stdout.write(
      outcome.changed
        ? `pushed commit ${outcome.commit.slice(0, 12)} to branch ${outcome.branch}\n`
        : `branch ${outcome.branch} already holds this post (commit ${outcome.commit.slice(0, 12)}); nothing to push\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof PublishError) return fail(err.message.replace(/`/g, ''), EXIT_PUBLISH_FAILED);
    throw err;
  } finally {
    await fs.promises.rm(work, { recursive: true, force: true });
  }
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      site: { type: 'string', short: 's' },
      branch: { type: 'string', short: 'b' },
      base: { type: 'string' },
      posts: { type: 'string' },
      images: { type: 'string' },
      'max-width': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
