import type { Site } from '../domain/site';
import { PublishError, type PullRequestState, type SiteGateway } from '../publish/gateway';
import { GitSite } from '../publish/git-site';
import { GitHubSite } from '../publish/github-site';
import { publishPost } from '../publish/publish-post';
import type { PublicationRecord, Store } from '../store/store';
import type { Deps } from './deps';
import { requireGroup } from './meetups';
import { localPhotoFolder, storedPhotoFiles } from './photo-files';
import { syncMeetupReminders } from './reminders';

export interface PublishReport {
  site: Site;
  publication: PublicationRecord;
  /** A new commit was made. */
  changed: boolean;
  /** How many photos went with the post. */
  photos: number;
  /** This publish found the pull request merged, and marked the meetup published. */
  nowPublished: boolean;
}

/** The gateway to the group's site: the real git for a git site, GitHub's API for a GitHub one. */
export function gatewayFor(deps: Pick<Deps, 'publishing'>, site: Site): SiteGateway {
  const settings = deps.publishing;
  if (!settings) {
    throw new PublishError('no_site', 'Publishing is not set up on this server: ask whoever runs the bot.');
  }
  if (site.kind === 'git') return new GitSite(site.repository, settings.workDir);
  return new GitHubSite({
    repository: site.repository,
    token: settings.githubToken,
    apiUrl: settings.githubApiUrl,
  });
}

/**
 * Publish the meetup's post to the group's site: the branch (and on GitHub the pull request) made or
 * brought up to date, and remembered. A failure leaves the draft, the photos and the store as they were,
 * so pressing again after the fix continues.
 */
export async function publishMeetup(deps: Deps, teamId: string, meetupId: string): Promise<PublishReport> {
  const group = await requireGroup(deps.store, teamId);
  const site = group.site;
  if (!site) {
    throw new PublishError(
      'no_site',
      'No site is connected to the group: connect one with `/roundup site`, then press Publish again.',
    );
  }
  const roundup = await deps.store.getRoundup(teamId, meetupId);
  if (!roundup) throw new PublishError('not_found', 'That meetup no longer exists.');
  const outcome = await publishPost({
    roundup,
    site,
    gateway: gatewayFor(deps, site),
    photoFolder: await localPhotoFolder(deps, teamId, meetupId, storedPhotoFiles(roundup.meetup)),
  });
  const publication: PublicationRecord = {
    meetupId,
    kind: site.kind,
    repository: site.repository,
    baseBranch: site.branch,
    branch: outcome.branch,
    ...(outcome.commit ? { commit: outcome.commit } : {}),
    ...(outcome.pullRequest ? { pullRequest: outcome.pullRequest } : {}),
  };
  const saved = await deps.store.savePublication(teamId, publication);
  const nowPublished =
    outcome.pullRequest?.state === 'merged' ? await markMerged(deps, teamId, meetupId) : false;
  return {
    site,
    publication: saved,
    changed: outcome.changed,
    photos: outcome.change.files.length - 1,
    nowPublished,
  };
}

/**
 * Ask GitHub how the meetup's pull request stands (open, merged, closed) and remember it; a merged one marks
 * the meetup published. Called when the draft is regenerated or a draft button pressed: no webhook needed.
 * Returns the publication as it is now (undefined when the meetup was never published).
 */
export async function refreshPublication(
  deps: Deps,
  teamId: string,
  meetupId: string,
): Promise<PublicationRecord | undefined> {
  const publication = await deps.store.getPublication(teamId, meetupId);
  if (!publication?.pullRequest || publication.pullRequest.state === 'merged') return publication;
  const group = await deps.store.getGroup(teamId);
  const site = group?.site;
  if (site?.kind !== 'github' || site.repository !== publication.repository) return publication;
  let state: PullRequestState | undefined;
  try {
    state = await gatewayFor(deps, site).pullRequest?.(publication.branch, publication.baseBranch);
  } catch (err) {
    // The draft is still shown; the state shown is the last one known.
    deps.logger.warn(`could not read the pull request of meetup ${meetupId}: ${(err as Error).message}`);
    return publication;
  }
  if (!state || state.state === publication.pullRequest.state) return publication;
  const saved = await deps.store.savePublication(teamId, { ...publication, pullRequest: state });
  if (state.state === 'merged') await markMerged(deps, teamId, meetupId);
  return saved;
}

/** The pull request was merged: the meetup is published (compare and set, as "Mark published" does). */
async function markMerged(deps: Deps, teamId: string, meetupId: string): Promise<boolean> {
  return deps.store.transaction(async (store: Store) => {
    const moved = await store.changeMeetupStatus(
      teamId,
      meetupId,
      ['planned', 'held', 'drafted'],
      'published',
    );
    if (moved) await syncMeetupReminders({ ...deps, store }, teamId, meetupId);
    return moved;
  });
}
