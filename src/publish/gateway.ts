import type { SiteFile } from './site-files';

/** Why publishing stopped, each told to the organisers with its fix. */
export type PublishFailure =
  | 'no_site'
  | 'credential_missing'
  | 'credential_refused'
  | 'not_found'
  | 'unreachable'
  | 'base_branch_missing'
  | 'branch_moved'
  | 'push_rejected'
  | 'pull_request_closed'
  | 'photo_refused'
  | 'post_invalid';

/**
 * A failure to publish, as one sentence with what to do about it. The message never holds a token or a
 * credential: it is shown in Slack and printed by the command line.
 */
export class PublishError extends Error {
  constructor(
    readonly reason: PublishFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PublishError';
  }
}

export interface PullRequestState {
  number: number;
  url: string;
  state: 'open' | 'merged' | 'closed';
}

export interface PublishRequest {
  /** `roundup/<post file name>` */
  branch: string;
  /** The site's branch the post is proposed to. */
  baseBranch: string;
  /** The commit message. */
  message: string;
  files: SiteFile[];
  /** The pull request's title and body (GitHub only). */
  title: string;
  body: string;
}

export interface Published {
  branch: string;
  /** The branch's head after publishing. */
  commit: string;
  /** A new commit was made (false: the branch already held exactly these files). */
  changed: boolean;
  pullRequest?: PullRequestState;
}

/** A site the post can be published to: a git remote (branch only) or GitHub (branch and pull request). */
export interface SiteGateway {
  publish(request: PublishRequest): Promise<Published>;
  /** The pull request of a branch, if there is one (GitHub only). */
  pullRequest?(branch: string, baseBranch: string): Promise<PullRequestState | undefined>;
}
