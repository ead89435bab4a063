import { rm } from 'node:fs/promises';
import path from 'node:path';
import { GitSite } from '../publish/git-site';
import type { NewInstallation, Store } from '../store/store';
import type { Deps } from './deps';
import { syncTeamReminders } from './reminders';

/**
 * A workspace installed roundup (or installed it again): its token is kept, and after a re-install the
 * reminders its removal stopped are planned again.
 */
export async function install(deps: Deps, installation: NewInstallation): Promise<void> {
  const before = await deps.store.getInstallation(installation.teamId);
  await deps.store.saveInstallation(installation);
  if (before?.uninstalledAt) await syncTeamReminders(deps, installation.teamId);
  deps.logger.info(
    `${before ? 're-installed' : 'installed'} in team ${installation.teamId} by ${installation.installerUserId}`,
  );
}

/**
 * The app left a workspace (uninstalled, or its bot token revoked): its token is forgotten and its pending
 * reminders stop. Its data stays until an operator forgets the team.
 */
export async function uninstall(
  deps: Pick<Deps, 'store' | 'logger'>,
  teamId: string,
  why: string,
): Promise<void> {
  const stopped = await deps.store.uninstall(teamId);
  deps.logger.info(
    `${why} in team ${teamId}: its token is deleted and ${stopped} pending reminder(s) stopped`,
  );
}

/**
 * Everything roundup holds of a team, gone: its rows in the database (photos included), this machine's
 * copies of its photos and its clone of the group's git site. What other replicas copied to their own disks
 * is named by content and never read again once the rows are gone.
 */
export async function forgetTeam(
  o: { store: Store; photosDir: string; sitesDir: string },
  teamId: string,
): Promise<void> {
  if (!/^[A-Z0-9]+$/.test(teamId)) throw new Error(`"${teamId}" is not a Slack team id (such as T0123ABCD)`);
  const site = (await o.store.getGroup(teamId))?.site;
  await o.store.forgetTeam(teamId);
  await rm(path.join(o.photosDir, teamId), { recursive: true, force: true });
  if (site?.kind === 'git') {
    await rm(new GitSite(site.repository, o.sitesDir).cloneDir, { recursive: true, force: true });
  }
}
