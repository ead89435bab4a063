import fs from 'node:fs';
import path from 'node:path';
import { type Roundup, roundupSchema } from '../domain/meetup';
import { check, describeProblems, type Problem } from '../domain/validate';
import { renderPost, TemplateError } from '../render/render-post';
import { slugify } from '../render/slug';
import { andList, dateWords, numberWord } from '../render/words';
import { comparePosts } from './compare';
import { groupNameFrom, type ImportedPost, importPost } from './import-post';
import { learnSentences } from './learn-sentences';
import { PostError, parsePost } from './parse-post';

/**
 * A whole Jekyll site: every post under `_posts/` into a meetup, proved by rendering it again and
 * comparing the page; the roster the group reuses; the house style the latest posts follow.
 */

/** Where a site keeps a post template of its own. */
export const OWN_TEMPLATE = path.join('_roundup', 'post.liquid');

export class SiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SiteError';
  }
}

export interface PostResult {
  /** The post's file name, `2018-09-10-....md`, and its path under the site. */
  file: string;
  postName: string;
  /** The meetup, checked (absent when the post could not be read at all). */
  roundup?: Roundup;
  /** The template that reproduces it (or the closest one). */
  template?: string;
  reproduced: boolean;
  /** The first difference between the post and the rendered one. */
  difference?: string;
  /** What was left out or guessed, and why. */
  notes: string[];
  /** A post that could not be read: the file, line and reason. */
  error?: string;
}

interface Seen {
  posts: string[];
}
export interface Roster {
  sponsors: ({ name: string; url?: string } & Seen)[];
  venues: ({ name: string; url?: string } & Seen)[];
  hosts: ({ name: string; from?: string; role?: string } & Seen)[];
  speakers: ({ name: string; company?: string } & Seen)[];
}

export interface SiteImport {
  posts: PostResult[];
  roster: Roster;
  style: NonNullable<Roundup['group']['style']>;
  /** Non-post files under _posts/ and other things read but not used. */
  skipped: string[];
  ownTemplate?: string;
  group: Roundup['group'];
}

const POST_NAME = /^(\d{4}-\d{2}-\d{2})-.+\.(md|markdown)$/;

export function importSite(siteDir: string): SiteImport {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(siteDir);
  } catch {
    throw new SiteError(`${siteDir}: there is no such folder`);
  }
  if (!stat.isDirectory()) throw new SiteError(`${siteDir}: is a file, not a site's folder`);
  const postsDir = path.join(siteDir, '_posts');
  if (!fs.existsSync(postsDir) || !fs.statSync(postsDir).isDirectory()) {
    const hasConfig = fs.existsSync(path.join(siteDir, '_config.yml'));
    throw new SiteError(
      `${siteDir}: is not a Jekyll site with posts: it has no _posts folder${hasConfig ? '' : ' (and no _config.yml)'}`,
    );
  }
  const skipped: string[] = [];
  const files = walk(postsDir)
    .map((f) => path.relative(postsDir, f))
    .sort((a, b) => path.basename(a).localeCompare(path.basename(b)));
  const postFiles = files.filter((f) => {
    if (POST_NAME.test(path.basename(f))) return true;
    skipped.push(`_posts/${f}: not named YYYY-MM-DD-title.md, so Jekyll does not publish it as a post`);
    return false;
  });
  const ownTemplateFile = path.join(siteDir, OWN_TEMPLATE);
  const ownTemplate = fs.existsSync(ownTemplateFile) ? ownTemplateFile : undefined;

  // The group's name: the one most titles start with.
  const texts = new Map<string, string>();
  const names = new Map<string, number>();
  for (const f of postFiles) {
    const text = fs.readFileSync(path.join(postsDir, f), 'utf8');
    texts.set(f, text);
    const title = /^title:\s*["']?(.+?)["']?\s*$/m.exec(text)?.[1];
    const name = groupNameFrom(title);
    if (name) names.set(name, (names.get(name) ?? 0) + 1);
  }
  const groupName = [...names.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];

  const posts = postFiles.map((f) =>
    importOne(`_posts/${f}`, texts.get(f) ?? '', { groupName, ownTemplate }),
  );
  const roster = rosterOf(posts);
  const style = styleOf(posts);
  const latest = [...posts].reverse().find((p) => p.roundup)?.roundup?.group;
  const group: Roundup['group'] = {
    ...(latest ?? {
      name: groupName ?? 'Our meetup',
      signature: 'The organisers',
      timeZone: 'Europe/London',
      organisers: [],
      communityChannels: [],
      template: 'classic',
      sponsors: [],
      reminderPlan: [],
    }),
    style,
    sponsors: roster.sponsors.slice(0, 50).map(({ name, url }) => (url ? { name, url } : { name })),
  };
  return { posts, roster, style, skipped, group, ...(ownTemplate ? { ownTemplate } : {}) };
}

/** One post: read, imported, checked, rendered with each candidate template and compared. */
export function importOne(
  file: string,
  text: string,
  options: { groupName?: string; ownTemplate?: string } = {},
): PostResult {
  const base = path.basename(file);
  const postName = base.replace(/\.(md|markdown)$/, '');
  const result: PostResult = { file, postName, reproduced: false, notes: [] };
  let imported: ImportedPost;
  try {
    imported = importPost(parsePost(file, text), postName, { groupName: options.groupName });
  } catch (err) {
    if (err instanceof PostError) {
      result.error = err.message;
      return result;
    }
    throw err;
  }
  result.notes.push(...imported.notes);
  const checked = checkAsFarAsItGoes(imported.roundup, result.notes);
  if (!checked) {
    result.error = `${file}: what was read does not fit the model (${result.notes.at(-1) ?? ''})`;
    return result;
  }
  result.roundup = checked;
  const candidates = [
    ...(options.ownTemplate ? [options.ownTemplate] : []),
    imported.template,
    imported.template === 'classic' ? 'modern' : 'classic',
  ];
  for (const template of candidates) {
    let rendered: string;
    try {
      rendered = renderPost(checked, template).content;
    } catch (err) {
      if (err instanceof TemplateError) {
        result.notes.push(`the template ${path.basename(template)} cannot be used: ${err.message}`);
        continue;
      }
      throw err;
    }
    const comparison = comparePosts(text, rendered, file);
    if (comparison.same) {
      result.template = template;
      result.reproduced = true;
      result.difference = undefined;
      break;
    }
    if (result.template === undefined) {
      result.template = template;
      result.difference = comparison.difference;
    }
  }
  if (result.template)
    result.roundup = { ...checked, group: { ...checked.group, template: result.template } };
  return result;
}

/**
 * Check the imported meetup; a value the model refuses is left out (and said so) rather than the post.
 * Gives up after a few rounds, returning undefined.
 */
function checkAsFarAsItGoes(input: unknown, notes: string[]): Roundup | undefined {
  let value = structuredClone(input) as Record<string, unknown>;
  for (let round = 0; round < 5; round++) {
    const checked = check(roundupSchema, value);
    if (checked.ok) return checked.value;
    for (const problem of checked.problems) {
      notes.push(`${problem.path}: ${problem.message}, so it is left out`);
      value = without(value, problem);
    }
  }
  const last = check(roundupSchema, value);
  if (!last.ok) notes.push(describeProblems(last.problems));
  return undefined;
}

function without(value: Record<string, unknown>, problem: Problem): Record<string, unknown> {
  const keys = problem.path.match(/[^.[\]]+/g) ?? [];
  if (keys.length === 0) return value;
  let at: unknown = value;
  for (const key of keys.slice(0, -1)) at = (at as Record<string, unknown>)?.[key];
  const last = keys[keys.length - 1] ?? '';
  if (Array.isArray(at)) at.splice(Number(last), 1);
  else if (at && typeof at === 'object') delete (at as Record<string, unknown>)[last];
  return value;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(file));
    else if (entry.isFile()) out.push(file);
  }
  return out;
}

// -------------------------------------------------------------------------------------------------------
// The roster and the style

function rosterOf(posts: PostResult[]): Roster {
  const roster: Roster = { sponsors: [], venues: [], hosts: [], speakers: [] };
  const add = <T extends { name: string } & Seen>(list: T[], item: Omit<T, 'posts'>, post: string) => {
    const found = list.find((x) => x.name.toLowerCase() === item.name.toLowerCase());
    if (found) {
      if (!found.posts.includes(post)) found.posts.push(post);
      for (const [k, v] of Object.entries(item))
        if (v !== undefined) (found as Record<string, unknown>)[k] = v;
    } else list.push({ ...item, posts: [post] } as T);
  };
  for (const p of posts) {
    const m = p.roundup?.meetup;
    if (!m) continue;
    for (const s of m.sponsors) add(roster.sponsors, { name: s.name, url: s.url }, p.file);
    if (m.venue) add(roster.venues, { name: m.venue.name, url: m.venue.url }, p.file);
    if (m.host) add(roster.hosts, { name: m.host.name, from: m.host.from, role: m.host.role }, p.file);
    for (const t of m.talks) {
      for (const s of t.speakers) {
        if (s.name.startsWith('Speaker of talk')) continue;
        add(roster.speakers, { name: s.name, company: s.company }, p.file);
      }
    }
  }
  const clean = <T extends object>(items: T[]) =>
    items.map((i) => Object.fromEntries(Object.entries(i).filter(([, v]) => v !== undefined)) as T);
  return {
    sponsors: clean(roster.sponsors),
    venues: clean(roster.venues),
    hosts: clean(roster.hosts),
    speakers: clean(roster.speakers),
  };
}

/** The house style of the latest post read: its front-matter keys, photo names, title and description. */
function styleOf(posts: PostResult[]): NonNullable<Roundup['group']['style']> {
  const latest = [...posts].reverse().find((p) => p.roundup);
  if (!latest?.roundup) return { frontMatter: [], headerPhoto: 'body' };
  const { group, meetup } = latest.roundup;
  const words = dateWords(meetup.date);
  const companies = [...new Set(meetup.talks.flatMap((t) => t.speakers.map((s) => s.company ?? '')))].filter(
    Boolean,
  );
  const serial = andList(companies);
  const noSerial =
    companies.length > 2 ? `${companies.slice(0, -1).join(', ')} and ${companies.at(-1)}` : serial;
  const host = meetup.host ? [meetup.host.name, meetup.host.role].filter(Boolean).join(', ') : '';
  const count = numberWord(meetup.talks.length);
  const pattern = (text: string | undefined): string | undefined => {
    if (!text) return undefined;
    let out = text;
    const swap = (value: string, placeholder: string) => {
      if (value && out.includes(value)) out = out.split(value).join(placeholder);
    };
    swap(host, '{host}');
    swap(serial, '{companies}');
    swap(noSerial, '{companiesNoSerial}');
    swap(group.name, '{group}');
    swap(words.month, '{month}');
    swap(words.year, '{year}');
    out = out.replace(new RegExp(`\\b${count}\\b`), '{count}');
    out = out.replace(new RegExp(`\\b${count.charAt(0).toUpperCase()}${count.slice(1)}\\b`), '{Count}');
    return out;
  };
  const rest = latest.postName.slice(11);
  const postName =
    rest === slugify(`${group.name} ${words.month} ${words.year}`)
      ? '{group} {month} {year}'
      : rest.toLowerCase() === slugify(`${group.name} ${words.month} ${words.year} ${noSerial}`)
        ? '{group} {month} {year} {companiesNoSerial}'
        : undefined;
  // The naming rule: photos named after the post (`images/<post>.jpeg`, `-1` ...) where the posts do so.
  const named = posts.filter((p) => {
    const src = p.roundup?.meetup.headerPhoto?.path;
    return src?.replace(/\.\w+$/, '').endsWith(`/${p.postName}`) ?? false;
  });
  const lastNamed = named.at(-1);
  const latestNamed = lastNamed?.roundup?.meetup.headerPhoto?.path;
  const imageName =
    lastNamed && latestNamed
      ? `${latestNamed.replace(/\.\w+$/, '').slice(0, -lastNamed.postName.length)}{post}`.replace(/^\//, '')
      : undefined;
  const title = pattern(meetup.sentences.title);
  const description = pattern(meetup.description);
  const sentences = learnSentences(posts.flatMap((p) => (p.roundup ? [p.roundup] : [])));
  return {
    frontMatter: group.style?.frontMatter ?? [],
    headerPhoto: group.style?.headerPhoto ?? 'body',
    ...(imageName ? { imageName } : {}),
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    ...(postName ? { postName } : {}),
    ...(Object.keys(sentences).length > 0 ? { sentences } : {}),
  };
}
