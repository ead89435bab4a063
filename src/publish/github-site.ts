import fs from 'node:fs/promises';
import { Octokit } from '@octokit/rest';
import {
  PublishError,
  type Published,
  type PublishRequest,
  type PullRequestState,
  type SiteGateway,
} from './gateway';

export interface GitHubSiteOptions {
  /** `owner/repo` */
  repository: string;
  /** A fine-grained token with Contents and Pull requests read and write on the repository. */
  token?: string;
  /** GitHub's API, or another with its shape (GitHub Enterprise, the tests' fake). */
  apiUrl?: string;
  /** How long one API call may take. */
  timeoutMs?: number;
}

interface ApiError {
  status?: number;
  message?: string;
}

/**
 * A site on GitHub, through its REST API with Octokit: the files as blobs, one tree on top of the branch's,
 * one commit, the branch moved to it only as a fast-forward, and a pull request against the site's branch,
 * found again by its head on every publish so that there is never a second one. The token is given to
 * Octokit only; no message this class makes holds it.
 */
export class GitHubSite implements SiteGateway {
  private readonly owner: string;
  private readonly repo: string;
  private readonly octokit: Octokit;

  constructor(private readonly options: GitHubSiteOptions) {
    const [owner = '', repo = ''] = options.repository.split('/');
    this.owner = owner;
    this.repo = repo;
    if (!options.token) {
      throw new PublishError(
        'credential_missing',
        `No GitHub token is configured: set GITHUB_TOKEN to a fine-grained token with Contents and Pull requests (read and write) on ${options.repository}, restart the bot, then press Publish again.`,
      );
    }
    this.octokit = new Octokit({
      auth: options.token,
      baseUrl: options.apiUrl ?? 'https://api.github.com',
      userAgent: 'roundup',
      request: { timeout: options.timeoutMs ?? 30_000 },
      // Octokit's own logging is off: the bot says what failed, in its own words.
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    });
  }

  async publish(request: PublishRequest): Promise<Published> {
    return this.call(request.branch, async () => {
      const existing = await this.findPull(request.branch, request.baseBranch);
      if (existing?.state === 'closed') {
        throw new PublishError(
          'pull_request_closed',
          `Pull request #${existing.number} (${existing.url}) was closed without merging: reopen it on GitHub and press Publish again, or delete the branch \`${request.branch}\` there to start a new one.`,
        );
      }
      if (existing?.state === 'merged') {
        const head = await this.headOf(request.branch);
        return { branch: request.branch, commit: head ?? '', changed: false, pullRequest: existing };
      }
      const branchHead = await this.headOf(request.branch);
      const parent = branchHead ?? (await this.headOf(request.baseBranch));
      if (!parent) {
        throw new PublishError(
          'base_branch_missing',
          `${this.options.repository} has no branch \`${request.baseBranch}\`: set the branch posts go to with \`/roundup site\`.`,
        );
      }
      const { data: parentCommit } = await this.octokit.git.getCommit({
        owner: this.owner,
        repo: this.repo,
        commit_sha: parent,
      });
      const entries = [];
      for (const file of request.files) {
        const bytes = 'data' in file ? file.data : await fs.readFile(file.file);
        const { data: blob } = await this.octokit.git.createBlob({
          owner: this.owner,
          repo: this.repo,
          content: bytes.toString('base64'),
          encoding: 'base64',
        });
        entries.push({ path: file.path, mode: '100644' as const, type: 'blob' as const, sha: blob.sha });
      }
      const { data: tree } = await this.octokit.git.createTree({
        owner: this.owner,
        repo: this.repo,
        base_tree: parentCommit.tree.sha,
        tree: entries,
      });
      let commit = parent;
      const changed = tree.sha !== parentCommit.tree.sha;
      if (changed) {
        const { data: made } = await this.octokit.git.createCommit({
          owner: this.owner,
          repo: this.repo,
          message: request.message,
          tree: tree.sha,
          parents: [parent],
        });
        commit = made.sha;
      }
      if (!branchHead) {
        await this.octokit.git.createRef({
          owner: this.owner,
          repo: this.repo,
          ref: `refs/heads/${request.branch}`,
          sha: commit,
        });
      } else if (changed) {
        await this.octokit.git.updateRef({
          owner: this.owner,
          repo: this.repo,
          ref: `heads/${request.branch}`,
          sha: commit,
          force: false,
        });
      }
      const pullRequest = existing ? await this.updatePull(existing, request) : await this.openPull(request);
      return { branch: request.branch, commit, changed, pullRequest };
    });
  }

  async pullRequest(branch: string, baseBranch: string): Promise<PullRequestState | undefined> {
    return this.call(branch, () => this.findPull(branch, baseBranch));
  }

  /** The newest pull request from the branch to the base, open or not. */
  private async findPull(branch: string, baseBranch: string): Promise<PullRequestState | undefined> {
    const { data } = await this.octokit.pulls.list({
      owner: this.owner,
      repo: this.repo,
      head: `${this.owner}:${branch}`,
      base: baseBranch,
      state: 'all',
      per_page: 10,
    });
    const newest = [...data].sort((a, b) => b.number - a.number)[0];
    return newest && stateOf(newest);
  }

  private async openPull(request: PublishRequest): Promise<PullRequestState> {
    const { data } = await this.octokit.pulls.create({
      owner: this.owner,
      repo: this.repo,
      title: request.title,
      head: request.branch,
      base: request.baseBranch,
      body: request.body,
    });
    return stateOf(data);
  }

  private async updatePull(existing: PullRequestState, request: PublishRequest): Promise<PullRequestState> {
    const { data } = await this.octokit.pulls.update({
      owner: this.owner,
      repo: this.repo,
      pull_number: existing.number,
      title: request.title,
      body: request.body,
    });
    return stateOf(data);
  }

  private async headOf(branch: string): Promise<string | undefined> {
    try {
      const { data } = await this.octokit.git.getRef({
        owner: this.owner,
        repo: this.repo,
        ref: `heads/${branch}`,
      });
      return data.object.sha;
    } catch (err) {
      if ((err as ApiError).status === 404) {
        // A missing branch and a missing (or hidden) repository both answer 404: tell them apart.
        await this.octokit.repos.get({ owner: this.owner, repo: this.repo });
        return undefined;
      }
      throw err;
    }
  }

  /** Runs GitHub calls, turning what GitHub answered into a sentence with its fix. */
  private async call<T>(branch: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof PublishError) throw err;
      throw explain(err as ApiError, this.options.repository, branch);
    }
  }
}

function stateOf(pull: {
  number: number;
  html_url: string;
  state: string;
  merged_at?: string | null;
  merged?: boolean;
}): PullRequestState {
  const merged = pull.merged === true || Boolean(pull.merged_at);
  return {
    number: pull.number,
    url: pull.html_url,
    state: merged ? 'merged' : pull.state === 'open' ? 'open' : 'closed',
  };
}

function explain(err: ApiError, repository: string, branch: string): PublishError {
  const status = err.status;
  const token =
    'a fine-grained token with Contents and Pull requests (read and write) on the repository in GITHUB_TOKEN';
  if (status === 401) {
    return new PublishError(
      'credential_refused',
      `GitHub refused the token (it is wrong, expired or revoked): put ${token}, restart the bot, then press Publish again.`,
    );
  }
  if (status === 403) {
    return new PublishError(
      'credential_refused',
      `GitHub did not let the token write to ${repository}: give the token Contents and Pull requests (read and write) on it, then press Publish again.`,
    );
  }
  if (status === 404) {
    return new PublishError(
      'not_found',
      `GitHub has no repository ${repository} that the token can see: check the repository in \`/roundup site\` and that the token is given access to it, then press Publish again.`,
    );
  }
  if (status === 409) {
    return new PublishError(
      'base_branch_missing',
      `${repository} is empty on GitHub: push its site (with the branch posts go to) first, then press Publish again.`,
    );
  }
  if (status === 422) {
    return new PublishError(
      'branch_moved',
      `The branch \`${branch}\` on GitHub moved while publishing: press Publish again to add the post on top of it.`,
    );
  }
  return new PublishError(
    'unreachable',
    `GitHub could not be reached${status ? ` (it answered ${status})` : ''}: try again in a few minutes.`,
  );
}
