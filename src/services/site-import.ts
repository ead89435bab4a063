import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { importSite, SiteError } from '../import/import-site';
import { InvalidDataError } from '../store/store';
import type { Deps } from './deps';

const run = promisify(execFile);

/** How long a clone of the group's site may take before the import gives up. */
const CLONE_TIMEOUT_MS = 120_000;

export interface SiteImportOutcome {
  /** Posts found under `_posts/`. */
  posts: number;
  /** Of those, re-rendered to the same page. */
  reproduced: number;
  /** Meetups added to the group's history. */
  added: number;
  /** Posts whose meetup the history already had (by date): left as they are. */
  alreadyThere: number;
  /** Sponsors added to the roster. */
  sponsorsAdded: number;
  /** One line a post that was not reproduced or could not be saved. */
  problems: string[];
}

/** Raised with a sentence for the organiser: no site connected, a site that cannot be read or reached. */
export class SiteImportError extends Error {}

/**
 * `/roundup import`: the group's connected site read as `roundup import` reads it, and what it holds put in
 * the group's history: one meetup per post (a meetup already stored for that date is kept as it is), the
 * sponsors it names added to the roster, and the house style it shows kept for new posts. A git site is
 * read from its folder, or cloned (its branch, shallow) into a temporary folder that is removed after.
 */
export async function importGroupSite(deps: Deps, teamId: string): Promise<SiteImportOutcome> {
  const group = await deps.store.getGroup(teamId);
  if (!group) throw new SiteImportError('Set the group up first with `/roundup setup`.');
  const site = group.site;
  if (!site) throw new SiteImportError('Connect the group’s site first with `/roundup site`.');
  if (site.kind !== 'git') {
    throw new SiteImportError(
      'Importing reads the site with git: connect it in `/roundup site` as a git site by its clone address, or run `roundup import` on a checkout.',
    );
  }
  const local = fs.existsSync(path.join(site.repository, '_posts'));
  const folder = local ? site.repository : await clone(site.repository, site.branch);
  try {
    let imported: ReturnType<typeof importSite>;
    try {
      imported = importSite(folder);
    } catch (err) {
      if (err instanceof SiteError)
        throw new SiteImportError(err.message.replace(folder, local ? folder : site.repository));
      throw err;
    }
    const outcome: SiteImportOutcome = {
      posts: imported.posts.length,
      reproduced: imported.posts.filter((p) => p.reproduced).length,
      added: 0,
      alreadyThere: 0,
      sponsorsAdded: 0,
      problems: [],
    };
    for (const post of imported.posts) {
      if (post.error) outcome.problems.push(post.error);
      else if (!post.reproduced) outcome.problems.push(`${post.file}: ${post.difference ?? 'differs'}`);
    }
    await deps.store.transaction(async (store) => {
      const dates = new Set((await store.listMeetups(teamId)).map((m) => m.date));
      for (const post of imported.posts) {
        const meetup = post.roundup?.meetup;
        if (!meetup) continue;
        if (dates.has(meetup.date)) {
          outcome.alreadyThere += 1;
          continue;
        }
        try {
          await store.createMeetup(teamId, meetup);
          dates.add(meetup.date);
          outcome.added += 1;
        } catch (err) {
          if (!(err instanceof InvalidDataError)) throw err;
          outcome.problems.push(`${post.file}: not saved, ${err.message}`);
        }
      }
      const known = new Set(group.sponsors.map((s) => s.name.toLowerCase()));
      const fresh = imported.group.sponsors.filter((s) => !known.has(s.name.toLowerCase()));
      const sponsors = [...group.sponsors, ...fresh].slice(0, 50);
      outcome.sponsorsAdded = sponsors.length - group.sponsors.length;
      const { id: _id, teamId: _team, ...current } = group;
      await store.saveGroup(teamId, { ...current, sponsors, style: imported.style });
    });
    return outcome;
  } finally {
    if (!local) fs.rmSync(folder, { recursive: true, force: true });
  }
}

async function clone(repository: string, branch: string): Promise<string> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'roundup-import-'));
  try {
    await run('git', ['clone', '--quiet', '--depth', '1', '--branch', branch, '--', repository, folder], {
      timeout: CLONE_TIMEOUT_MS,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
    return folder;
  } catch (err) {
    fs.rmSync(folder, { recursive: true, force: true });
    const said =
      String((err as { stderr?: string }).stderr ?? '')
        .trim()
        .split('\n')
        .pop() ?? '';
    throw new SiteImportError(
      `The site could not be read from ${repository} (branch ${branch})${said ? `: ${said}` : ''}. Check its address and branch in \`/roundup site\`, and that this server can reach it.`,
    );
  }
}

/** The outcome in a few lines for the organiser. */
export function describeImport(o: SiteImportOutcome): string {
  const lines = [
    `:inbox_tray: Read ${o.posts} post(s) from the site: ${o.reproduced} of ${o.posts} come out of roundup as the same page.`,
    `Added ${o.added} meetup(s) to the group's history${o.alreadyThere ? ` (${o.alreadyThere} already there, kept as they were)` : ''}, ${o.sponsorsAdded} sponsor(s) to the roster, and the site's house style for new posts.`,
  ];
  if (o.problems.length) {
    lines.push(`Not reproduced or not saved (the rest is in): ${o.problems.length}`);
    for (const p of o.problems.slice(0, 10)) lines.push(`• ${p}`);
  }
  return lines.join('\n');
}
