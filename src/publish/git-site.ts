import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PublishError, type Published, type PublishRequest, type SiteGateway } from './gateway';

/** How long one git command may take (a clone of a large site over a slow link included). */
const GIT_TIMEOUT_MS = 120_000;

export interface GitAuthor {
  name: string;
  email: string;
}

export const DEFAULT_AUTHOR: GitAuthor = { name: 'roundup', email: 'roundup@localhost' };

/** Work in one folder at a time: two publishes to the same site wait for each other. */
const busy = new Map<string, Promise<unknown>>();

function exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = busy.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  busy.set(key, next);
  void next
    .finally(() => {
      if (busy.get(key) === next) busy.delete(key);
    })
    .catch(() => undefined);
  return next;
}

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A site that is any git remote (or a local path), through the real `git`: a clone kept in a work folder,
 * the post's branch made from the remote's (or from the site's branch the first time), one commit holding
 * the post and its photos, pushed. There is no pull request to open: the organisers are told the branch.
 * Credentials are git's own (an SSH key, a credential helper); git never waits for a password to be typed.
 */
export class GitSite implements SiteGateway {
  constructor(
    private readonly remote: string,
    /** Clones live in `<workDir>/<digest of the remote>`. */
    private readonly workDir: string,
    private readonly author: GitAuthor = DEFAULT_AUTHOR,
  ) {}

  get cloneDir(): string {
    return path.join(this.workDir, createHash('sha256').update(this.remote).digest('hex').slice(0, 16));
  }

  publish(request: PublishRequest): Promise<Published> {
    const dir = this.cloneDir;
    return exclusive(dir, async () => {
      await this.sync(dir);
      const onRemote = await this.hasRef(dir, `refs/remotes/origin/${request.branch}`);
      if (!onRemote && !(await this.hasRef(dir, `refs/remotes/origin/${request.baseBranch}`))) {
        throw new PublishError(
          'base_branch_missing',
          `The site has no branch \`${request.baseBranch}\`: set the branch posts go to with \`/roundup site\` (or \`--base\` on the command line).`,
        );
      }
      // Continue the branch as it is on the remote (a fix someone pushed there by hand is kept).
      const start = `origin/${onRemote ? request.branch : request.baseBranch}`;
      await this.git(dir, ['checkout', '--quiet', '--force', '-B', request.branch, start]);
      await this.git(dir, ['clean', '--quiet', '-fd']);
      for (const file of request.files) {
        const target = path.join(dir, ...file.path.split('/'));
        await fs.mkdir(path.dirname(target), { recursive: true });
        if ('data' in file) await fs.writeFile(target, file.data);
        else await fs.copyFile(file.file, target);
      }
      await this.git(dir, ['add', '--', ...request.files.map((f) => f.path)]);
      const staged = await this.run(dir, ['diff', '--cached', '--quiet']);
      const changed = staged.code !== 0;
      if (changed) {
        await this.git(dir, [
          '-c',
          `user.name=${this.author.name}`,
          '-c',
          `user.email=${this.author.email}`,
          'commit',
          '--quiet',
          '--no-verify',
          '-m',
          request.message,
        ]);
      }
      if (changed || !onRemote) {
        const pushed = await this.run(dir, [
          'push',
          '--quiet',
          'origin',
          `HEAD:refs/heads/${request.branch}`,
        ]);
        if (pushed.code !== 0) {
          // Nothing is lost: the next press fetches again and makes the commit anew on top of the remote.
          await this.run(dir, ['checkout', '--quiet', '--detach']);
          throw pushFailure(pushed.stderr, request.branch);
        }
      }
      const commit = (await this.git(dir, ['rev-parse', 'HEAD'])).stdout.trim();
      return { branch: request.branch, commit, changed };
    });
  }

  /** Clone the remote the first time, fetch it afterwards (the branches as the remote has them now). */
  private async sync(dir: string): Promise<void> {
    const cloned = await fs
      .access(path.join(dir, '.git'))
      .then(() => true)
      .catch(() => false);
    const result = cloned
      ? await this.run(dir, ['fetch', '--quiet', '--prune', 'origin'])
      : await this.run(this.workDir, ['clone', '--quiet', '--no-checkout', this.remote, dir], true);
    if (result.code !== 0) {
      if (!cloned) await fs.rm(dir, { recursive: true, force: true });
      throw reachFailure(result.stderr);
    }
  }

  private async hasRef(dir: string, ref: string): Promise<boolean> {
    return (await this.run(dir, ['rev-parse', '--verify', '--quiet', ref])).code === 0;
  }

  private async git(dir: string, args: string[]): Promise<GitResult> {
    const result = await this.run(dir, args);
    if (result.code !== 0) {
      throw new Error(`git ${args[0]} failed in the work folder: ${redact(result.stderr).trim()}`);
    }
    return result;
  }

  private async run(cwd: string, args: string[], makeCwd = false): Promise<GitResult> {
    if (makeCwd) await fs.mkdir(cwd, { recursive: true });
    // An askpass that answers nothing: git fails at once instead of waiting for a password to be typed.
    const full = ['-c', 'core.askPass=true', '-c', 'credential.interactive=false', ...args];
    return new Promise((resolve) => {
      execFile(
        'git',
        full,
        { cwd, timeout: GIT_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          const why = err && typeof err.code !== 'number' ? `${stderr}\n${err.message}` : stderr;
          resolve({ code, stdout: String(stdout), stderr: String(why) });
        },
      );
    });
  }
}

/** What git printed, with any `user:password@` in a URL taken out. */
export function redact(text: string): string {
  return text.replace(/(\w+:\/\/)[^/\s@]*@/g, '$1');
}

function reachFailure(stderr: string): PublishError {
  if (/authentication failed|permission denied|could not read (username|password)|403/i.test(stderr)) {
    return new PublishError(
      'credential_refused',
      'The site’s git server refused the bot’s credentials: give the server’s user the bot runs as an SSH key or a credential helper with write access, then press Publish again.',
    );
  }
  if (/ENOENT|spawn git/i.test(stderr)) {
    return new PublishError(
      'unreachable',
      'git is not installed where the bot runs: install git, then press Publish again.',
    );
  }
  return new PublishError(
    'unreachable',
    'The site’s repository could not be reached (it does not exist, or the network or the server is down): check the repository in `/roundup site`, then press Publish again.',
  );
}

function pushFailure(stderr: string, branch: string): PublishError {
  if (/authentication failed|permission denied|could not read (username|password)|403/i.test(stderr)) {
    return reachFailure(stderr);
  }
  if (/non-fast-forward|fetch first|stale info/i.test(stderr)) {
    return new PublishError(
      'branch_moved',
      `The branch \`${branch}\` moved on the site while publishing: press Publish again to add the post on top of it.`,
    );
  }
  return new PublishError(
    'push_rejected',
    `The site refused the push to \`${branch}\` (a protected branch or a server hook): allow the bot to push branches named \`roundup/…\`, then press Publish again.`,
  );
}
