import { isWebUrl, LIMITS } from '../domain/fields';
import type { RoundupInput } from '../domain/meetup';
import { type Block, bodyBlocks, type ImageRef, type PostSource } from './parse-post';

/**
 * One post of the group's site read into the model. The facts (speakers, companies, titles, sponsors,
 * venue, host, photos, the next meetup's date) are taken from the sentences where they can be found; the
 * sentences themselves are kept word for word as the organiser's own Markdown (`textFormat: markdown`),
 * so that rendering the meetup gives the post back. What cannot be placed is said in `notes`.
 */

export interface ImportedPost {
  /** `{ group, meetup }` as `roundup render` reads it. */
  roundup: RoundupInput & { group: Record<string, unknown>; meetup: Record<string, unknown> };
  /** The built-in template whose structure the post has. */
  template: 'classic' | 'modern';
  /** What was left out or guessed, and why; each with the line it comes from. */
  notes: string[];
  /** The post's file name without `.md`. */
  postName: string;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const MONTH_WORD = new RegExp(`\\b(${MONTHS.join('|')})\\b`);
const LINK = /\[([^\]]+)\]\(\s*([^\s)]+)\s*\)/g;

type Json = Record<string, unknown>;

export interface ImportContext {
  /** The group's name, when the site says it (else read from the title). */
  groupName?: string;
}

export function importPost(source: PostSource, postName: string, context: ImportContext = {}): ImportedPost {
  const notes: string[] = [];
  const note = (line: number, what: string) => notes.push(`line ${line}: ${what}`);
  const date = postName.slice(0, 10);
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));

  // ---------------------------------------------------------------------------------------------------
  // Front matter
  const front = source.front;
  const meetup: Json = { date, status: 'published', textFormat: 'markdown', postName };
  const group: Json = { template: 'classic' };
  const frontExtra: Record<string, string> = {};
  const style: Json = { frontMatter: source.frontKeys };
  const title = typeof front.title === 'string' ? front.title.trim() : undefined;
  if (title) meetup.sentences = { title };
  else note(2, 'the front matter has no title; the rendered post gets one from the template');
  group.name = context.groupName ?? groupNameFrom(title) ?? 'Our meetup';
  if (typeof front.description === 'string') meetup.description = oneLine(front.description);
  if (typeof front.location === 'string') group.location = front.location.trim();
  if (front.video !== undefined) {
    if (typeof front.video === 'string' && isWebUrl(front.video.trim())) meetup.video = front.video.trim();
    else note(2, `the front matter's video (${String(front.video)}) is not a web address, so it is left out`);
  }
  // No tags in the post: none rendered either (an empty list, not the generated ones).
  const tags =
    front.tags === undefined || front.tags === null
      ? []
      : Array.isArray(front.tags)
        ? front.tags
        : [front.tags];
  meetup.tags = tags.map((t) => String(t));
  if (front.redirect_from !== undefined) {
    const redirects = Array.isArray(front.redirect_from) ? front.redirect_from : [front.redirect_from];
    meetup.redirectFrom = redirects.map((r) => String(r));
  }
  let headerSrc: string | undefined;
  if (typeof front.image === 'string') headerSrc = front.image.trim();
  for (const key of source.frontKeys) {
    if (['title', 'description', 'location', 'video', 'tags', 'redirect_from', 'image'].includes(key))
      continue;
    const value = front[key];
    if (value instanceof Date) frontExtra[key] = value.toISOString().slice(0, 10);
    else if (['string', 'number', 'boolean'].includes(typeof value)) frontExtra[key] = String(value);
    else note(2, `the front matter's "${key}" is not a single value, so it is left out`);
  }
  if (
    Object.keys(frontExtra).length > 0 &&
    !(Object.keys(frontExtra).length === 1 && frontExtra.layout === 'post')
  )
    meetup.frontMatter = frontExtra;

  // ---------------------------------------------------------------------------------------------------
  // The body, block by block
  const blocks = bodyBlocks(source.body, source.bodyLine);
  if (/\{[{%]/.test(source.body)) {
    note(
      source.bodyLine,
      'the post holds Liquid ({{ }} or {% %}); roundup writes it as text, so it shows instead of running',
    );
  }
  if (/<[A-Za-z!/]/.test(source.body.replace(/<https?:[^>\s]+>/g, ''))) {
    note(
      source.bodyLine,
      'the post holds raw HTML; roundup writes it as text, so it shows instead of acting',
    );
  }

  // The header photo: in the front matter, the body, or both.
  let headerPlace: 'front' | 'body' | 'both' = headerSrc === undefined ? 'body' : 'front';
  const first = blocks[0];
  if (first?.kind === 'image' && (headerSrc === undefined || first.image.src === headerSrc)) {
    headerPlace = headerSrc === undefined ? 'body' : 'both';
    headerSrc = first.image.src;
    meetup.headerPhoto = photo(first.image, 'header', first.line, note);
    blocks.shift();
  } else if (headerSrc !== undefined) {
    meetup.headerPhoto = photo({ alt: '', src: headerSrc }, 'header', 2, note);
    delete (meetup.headerPhoto as Json).alt;
  }
  style.headerPhoto = headerPlace;

  // The signature, the closing line and the next meetup, from the end.
  const nextAt = findLastIndex(
    blocks,
    (b, i) =>
      b.kind === 'heading' &&
      blocks[i + 1]?.kind === 'paragraph' &&
      /\bnext\b/i.test(textOf(blocks[i + 1] as Block)),
  );
  const leaveOut: string[] = [];
  const signatureBlock = blocks[blocks.length - 1];
  let tail = blocks.length;
  if (
    signatureBlock?.kind === 'paragraph' &&
    !signatureBlock.image &&
    looksLikeSignature(signatureBlock.text)
  ) {
    group.signature = signatureBlock.text;
    tail -= 1;
  } else {
    leaveOut.push('signature');
    group.signature = 'The organisers';
  }
  const closingBlock = blocks[tail - 1];
  if (
    closingBlock?.kind === 'paragraph' &&
    !closingBlock.image &&
    (nextAt < 0 ? tail < blocks.length : tail - 1 > nextAt + 1) &&
    closingBlock.text.length <= 200 &&
    !closingBlock.text.includes('](')
  ) {
    meetup.sentences = { ...((meetup.sentences as Json | undefined) ?? {}), closing: closingBlock.text };
    tail -= 1;
  } else leaveOut.push('closing');
  const sections: Json[] = [];
  let bodyEnd = tail;
  if (nextAt >= 0) {
    const heading = blocks[nextAt] as Extract<Block, { kind: 'heading' }>;
    const paragraphs = blocks.slice(nextAt + 1, tail);
    const next = nextMeetup(heading, paragraphs, year, month, group.name as string, note);
    if (next) meetup.next = next;
    else sections.push(section(heading, paragraphs, 'photos'));
    bodyEnd = nextAt;
  }

  // Talks: a paragraph directly followed by a list is a talk's lead and its takeaways.
  const talkAt: number[] = [];
  for (let i = 0; i < bodyEnd - 1; i++) {
    if (
      blocks[i]?.kind === 'paragraph' &&
      !(blocks[i] as { image?: ImageRef }).image &&
      blocks[i + 1]?.kind === 'list'
    )
      talkAt.push(i);
  }
  const talkStart = (i: number) => {
    const at = talkAt[i] ?? 0;
    return blocks[at - 1]?.kind === 'image' ? at - 1 : at;
  };
  const firstTalk = talkAt.length > 0 ? talkStart(0) : bodyEnd;

  // Before the talks: intro, sponsors, sections, the overview heading, the talk-order sentence.
  let template: 'classic' | 'modern' = 'classic';
  const before = blocks.slice(0, firstTalk);
  const overviewAt = before.findIndex(
    (b, i) =>
      b.kind === 'heading' && b.level === 3 && /^overview$/i.test(b.text.trim()) && i >= before.length - 2,
  );
  if (overviewAt >= 0) template = 'modern';
  const sentences = (meetup.sentences ?? {}) as Json;
  const photos: Json[] = [];
  let place: 'intro' | 'sponsors' | 'talkOrder' = 'intro';
  let open: Json | null = null;
  const intro: string[] = [];
  for (let i = 0; i < before.length; i++) {
    const b = before[i] as Block;
    if (i === overviewAt) {
      open = null;
      continue;
    }
    if (b.kind === 'heading') {
      open = section(b, [], place);
      sections.push(open);
      continue;
    }
    const image = b.kind === 'image' ? b.image : b.kind === 'paragraph' ? b.image : undefined;
    if (image && !open && !sections.some((s) => s.after === place)) {
      // A photo in the intro (or after the sponsors ...): one of the evening's photos, placed there.
      const p = photo(image, 'other', b.line, note);
      if (b.kind === 'paragraph') p.caption = b.text;
      p.after = place;
      photos.push(p);
      continue;
    }
    if (b.kind !== 'paragraph' || image) {
      // Not a talk and not a sentence of the intro: kept as a section of its own where it stands.
      const text = blockMarkdown(b);
      if (open) open.text = `${open.text as string}\n\n${text}`.trim();
      else sections.push({ text, after: place });
      continue;
    }
    const text = b.text;
    if (open) {
      open.text = `${open.text as string}\n\n${text}`.trim();
      continue;
    }
    const isLastBeforeTalks = i === before.length - 1 && talkAt.length > 0;
    if (i === 0 && !/\bsponsor/i.test(text)) {
      intro.push(text);
      continue;
    }
    if (place === 'intro' && sentences.sponsors === undefined && /\bsponsor|\bsupport/i.test(text)) {
      sentences.sponsors = text;
      facts.sponsorsFrom(text, meetup);
      place = 'sponsors';
      continue;
    }
    if (
      (template === 'modern' ? overviewAt >= 0 && i > overviewAt : isLastBeforeTalks) &&
      sentences.talkOrder === undefined
    ) {
      sentences.talkOrder = text;
      place = 'talkOrder';
      continue;
    }
    if (
      place === 'intro' &&
      intro.length > 0 &&
      sentences.sponsors === undefined &&
      i === 1 &&
      !isLastBeforeTalks
    ) {
      // A second paragraph before any sponsors: still the intro.
      intro.push(text);
      continue;
    }
    sections.push({ text, after: place });
  }
  if (intro.length > 0) meetup.intro = intro.join('\n\n');
  else leaveOut.push('intro');
  if (sentences.sponsors === undefined) leaveOut.push('sponsors');
  if (sentences.talkOrder === undefined) leaveOut.push('talkOrder');
  if (template === 'modern' && overviewAt < 0) leaveOut.push('overview');
  meetup.sentences = sentences;
  facts.venueAndHost(meetup, [...intro, String(sentences.sponsors ?? '')], String(meetup.description ?? ''));

  // The talks, and what follows the last one.
  const talks: Json[] = [];
  const extras: string[] = [];
  talkAt.forEach((at, n) => {
    const start = talkStart(n);
    const end = n + 1 < talkAt.length ? talkStart(n + 1) : bodyEnd;
    const photoBlock = start < at ? (blocks[start] as Extract<Block, { kind: 'image' }>) : undefined;
    const lead = blocks[at] as Extract<Block, { kind: 'paragraph' }>;
    const list = blocks[at + 1] as Extract<Block, { kind: 'list' }>;
    const talk = talkFacts(lead, n, note);
    if (photoBlock) talk.photo = photo(photoBlock.image, 'talk', photoBlock.line, note);
    const { takeaways, links } = takeawaysOf(list, note);
    talk.takeaways = takeaways;
    if (links.length > 0) talk.links = links;
    const after: string[] = [];
    const last = n === talkAt.length - 1;
    let sectionOpen: Json | null = null;
    for (const b of blocks.slice(at + 2, end)) {
      if (b.kind === 'heading') {
        sectionOpen = section(b, [], photos.length > 0 ? 'photos' : last ? 'extras' : 'talks');
        if (!last) note(b.line, 'a heading between two talks is placed after the talks');
        sections.push(sectionOpen);
      } else if (b.kind === 'image' || (b.kind === 'paragraph' && b.image)) {
        if (!last) {
          after.push(blockMarkdown(b));
          continue;
        }
        sectionOpen = null;
        const image = (b.kind === 'image' ? b.image : b.image) as ImageRef;
        const p = photo(image, 'group', b.line, note);
        if (b.kind === 'paragraph') p.caption = b.text;
        photos.push(p);
      } else if (sectionOpen) {
        sectionOpen.text = `${sectionOpen.text as string}\n\n${blockMarkdown(b)}`.trim();
      } else if (photos.length > 0) {
        sectionOpen = { text: blockMarkdown(b), after: 'photos' };
        sections.push(sectionOpen);
      } else if (
        !last ||
        (b.kind === 'paragraph' &&
          /^(see|read|watch)\b.*\]\(/i.test(b.text) &&
          after.length === 0 &&
          extras.length === 0)
      ) {
        after.push(blockMarkdown(b));
      } else extras.push(blockMarkdown(b));
    }
    if (after.length > 0) talk.after = after;
    talks.push(talk);
  });
  if (talkAt.length === 0) {
    note(source.bodyLine, 'no talk found (a talk is a paragraph followed by its list of takeaways)');
    for (const b of blocks.slice(firstTalk, bodyEnd))
      sections.push({ text: blockMarkdown(b), after: 'extras' });
  }
  if (talks.length > LIMITS.talks)
    note(source.bodyLine, `more than ${LIMITS.talks} talks: only the first ${LIMITS.talks} are kept`);
  meetup.talks = talks.slice(0, LIMITS.talks);
  if (extras.length > LIMITS.paragraphs) {
    note(
      source.bodyLine,
      `more than ${LIMITS.paragraphs} paragraphs after the talks: the rest join the last one`,
    );
    extras.splice(LIMITS.paragraphs - 1, extras.length, extras.slice(LIMITS.paragraphs - 1).join('\n\n'));
  }
  if (extras.length > 0) meetup.extras = extras;
  if (photos.length > 0) meetup.photos = photos;
  if (sections.length > 0) meetup.sections = sections.map(cleanSection);
  if (leaveOut.length > 0) meetup.leaveOut = leaveOut;
  group.style = style;
  group.template = template;
  return { roundup: { group, meetup } as ImportedPost['roundup'], template, notes, postName };
}

// -------------------------------------------------------------------------------------------------------
// Pieces

function section(heading: Extract<Block, { kind: 'heading' }>, paragraphs: Block[], after: string): Json {
  return {
    heading: heading.text,
    level: Math.min(Math.max(heading.level, 2), 4),
    text: paragraphs.map(blockMarkdown).join('\n\n'),
    after,
  };
}

function cleanSection(s: Json): Json {
  const out = { ...s };
  if (out.level === 2) delete out.level;
  if (out.text === '') delete out.text;
  return out;
}

function blockMarkdown(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${b.text}`;
    case 'list':
      return b.lines.join('\n');
    case 'image':
      return `![${b.image.alt}](${b.image.src})`;
    case 'paragraph':
      return b.image ? `${b.text}\n![${b.image.alt}](${b.image.src})` : b.text;
  }
}

function textOf(b: Block): string {
  return b.kind === 'paragraph' ? b.text : '';
}

function photo(image: ImageRef, role: string, line: number, note: (l: number, w: string) => void): Json {
  const p: Json = { role, alt: image.alt.trim() };
  if (isWebUrl(image.src)) p.url = image.src;
  else if (image.src.startsWith('/')) p.path = image.src;
  else {
    p.path = `/${image.src.replace(/^\.?\//, '')}`;
    note(
      line,
      `the photo ${image.src} is not a path from the site's root; it is read as ${p.path as string}`,
    );
  }
  return p;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function looksLikeSignature(text: string): boolean {
  return text.length <= 100 && !text.includes('](') && !/[.!?:]$/.test(text) && !text.includes('\n');
}

function findLastIndex<T>(items: readonly T[], test: (item: T, i: number) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i] as T, i)) return i;
  return -1;
}

/** "Cloud Native London, May 2019 - ..." -> "Cloud Native London" (tags in brackets dropped). */
export function groupNameFrom(title: string | undefined): string | undefined {
  if (!title) return undefined;
  const bare = title.replace(/^(\s*\[[^\]]*\])+\s*/, '');
  const m = MONTH_WORD.exec(bare);
  const name = (m ? bare.slice(0, m.index) : bare).replace(/[\s,:\-–—]+$/, '').trim();
  return name.length > 0 && name.length <= LIMITS.name ? name : undefined;
}

// -------------------------------------------------------------------------------------------------------
// Talks

const VERBS =
  /^(gave|asked|told|presented|described|discussed|explained|rounded|who|talked|spoke|shared|took|showed|introduced|walked|with|and|to|on|about|was|is|has|had)$/;

/** "the Financial Times gave a talk ..." -> "the Financial Times": words up to a comma or a verb. */
function companyAfter(rest: string): string | undefined {
  const words: string[] = [];
  for (const word of rest.split(/\s+/)) {
    const bare = word.replace(/[,.:;!?]+$/, '');
    if (words.length > 0 && (VERBS.test(bare) || /^[a-z]+ing$/.test(bare))) break;
    words.push(bare);
    if (bare !== word || words.length >= 8) break;
  }
  const company = words.join(' ').trim();
  return company.length > 0 && company.length <= LIMITS.name ? company : undefined;
}

function talkFacts(
  lead: Extract<Block, { kind: 'paragraph' }>,
  n: number,
  note: (l: number, w: string) => void,
): Json {
  const text = lead.text;
  const talk: Json = { lead: text };
  const speakers: Json[] = [];
  const from = / from (?=\S)/.exec(text);
  if (from) {
    const beforeFrom = text.slice(0, from.index);
    const names =
      /((?:[A-Z][\p{L}'’.-]+)(?:\s+(?:de|De|van|von|da|di|[A-Z][\p{L}'’.-]+))*(?:\s+and\s+[A-Z][\p{L}'’.-]+(?:\s+(?:de|De|van|von|[A-Z][\p{L}'’.-]+))*)?)$/u.exec(
        beforeFrom,
      )?.[1];
    const company = companyAfter(text.slice(from.index + from[0].length));
    const bare = names?.replace(/^(?:(?:Finally|Lastly|First|Then|Next|And|So|After)\s+)+/, '');
    if (bare && company) {
      for (const name of bare.split(/\s+and\s+/)) speakers.push({ name, company });
    }
  }
  if (speakers.length === 0) {
    note(lead.line, `talk ${n + 1}: no "NAME from COMPANY" found in its lead, so its speaker is unnamed`);
    speakers.push({ name: `Speaker of talk ${n + 1}` });
  }
  const pronoun = /\b(His|his|He|he)\b/.test(text)
    ? 'he'
    : /\b(Her|her|She|she)\b/.test(text)
      ? 'she'
      : undefined;
  if (pronoun && speakers.length === 1 && speakers[0]) speakers[0].pronouns = pronoun;
  talk.speakers = speakers;
  const links = [...text.matchAll(LINK)];
  const titleLink = links.find((l) => !/^\d{1,2}:\d{2}(:\d{2})?$/.test((l[1] ?? '').trim()));
  const timeLink = links.find((l) => /^\d{1,2}:\d{2}(:\d{2})?$/.test((l[1] ?? '').trim()));
  let title: string | undefined;
  if (titleLink) title = (titleLink[1] ?? '').replace(/^["“]|["”]$/g, '').trim();
  else {
    const m =
      /(?:talk on|told us about|presented|described|discussed|discussing|exploring|explaining|about|with|asked)\s+(.+?)(?:\s*\(starting|,\s*(?:and|explaining|mentioning)|\.\s|[.:,]?$)/.exec(
        text.slice(from ? from.index + from[0].length : 0),
      );
    title = m?.[1]?.trim();
  }
  if (!title || title.length > LIMITS.shortText) {
    note(lead.line, `talk ${n + 1}: its title could not be told from its lead`);
    title = `Talk ${n + 1}`;
  }
  talk.title = title;
  const url = (titleLink ?? timeLink)?.[2];
  if (url && isWebUrl(url)) {
    talk.link = {
      url,
      kind: /youtu|vimeo|\bt=\d/.test(url)
        ? 'video'
        : /slides|presentation|drive\.google|slideshare/.test(url)
          ? 'slides'
          : 'page',
    };
  }
  return talk;
}

const ITEM = /^(\s*)[*+-]\s+(.*)$/;
const HERE_LINK = /^(.*?)\s*\[here\]\(\s*([^\s)]+)\s*\)\s*$/;

interface TakeawayJson {
  text: string;
  items: TakeawayJson[];
}

function takeawaysOf(
  list: Extract<Block, { kind: 'list' }>,
  note: (l: number, w: string) => void,
): { takeaways: TakeawayJson[]; links: Json[] } {
  const top: TakeawayJson[] = [];
  const stack: { indent: number; item: TakeawayJson }[] = [];
  const links: Json[] = [];
  list.lines.forEach((line, i) => {
    const m = ITEM.exec(line);
    if (!m) {
      const here = HERE_LINK.exec(line.trim());
      // "See her slides [here](...)" run on after the last item: the talk's link line.
      if (here && isWebUrl(here[2] ?? '') && list.lines.slice(i + 1).every((l) => !ITEM.test(l))) {
        links.push({ label: (here[1] ?? '').trim() || 'See {their} slides', url: here[2] ?? '' });
        return;
      }
      const last = stack[stack.length - 1];
      if (last) last.item.text = `${last.item.text} ${line.trim()}`.trim();
      else note(list.line + i, 'a line before the first takeaway is left out');
      return;
    }
    const indent = (m[1] ?? '').replace(/\t/g, '    ').length;
    const item: TakeawayJson = { text: (m[2] ?? '').trim(), items: [] };
    while ((stack.at(-1)?.indent ?? -1) >= indent) stack.pop();
    const deepest = stack.at(-1);
    if (stack.length >= 3 && deepest) {
      note(list.line + i, 'a takeaway nested deeper than three levels joins the one above');
      deepest.item.text = `${deepest.item.text} ${item.text}`;
      return;
    }
    const parent = stack[stack.length - 1];
    (parent ? parent.item.items : top).push(item);
    stack.push({ indent, item });
  });
  const clean = (items: TakeawayJson[]): unknown[] =>
    items.map((t) => (t.items.length === 0 ? t.text : { text: t.text, items: clean(t.items) }));
  return { takeaways: clean(top) as TakeawayJson[], links };
}

// -------------------------------------------------------------------------------------------------------
// The next meetup

function nextMeetup(
  heading: Extract<Block, { kind: 'heading' }>,
  paragraphs: Block[],
  year: number,
  month: number,
  groupName: string,
  note: (l: number, w: string) => void,
): Json | null {
  const text = paragraphs.map(blockMarkdown).join('\n\n');
  const m = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(${MONTHS.join('|')})\\b`).exec(text);
  if (!m) {
    note(heading.line, "the next meetup's date could not be read, so its section is kept as written");
    return null;
  }
  const nextMonth = MONTHS.indexOf(m[2] ?? '') + 1;
  const nextYear = nextMonth < month ? year + 1 : year;
  const day = Number(m[1]);
  const date = `${nextYear}-${String(nextMonth).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const next: Json = { date, text };
  if (heading.text.trim() !== `${groupName} ${m[2]}` || heading.level !== 2)
    next.heading = heading.text.trim();
  if (heading.level !== 2) note(heading.line, "the next meetup's heading is written at level 2");
  const rsvp = [...text.matchAll(LINK)].find((l) => /rsvp|register|sign up|save the date/i.test(l[1] ?? ''));
  if (rsvp && isWebUrl(rsvp[2] ?? '')) next.rsvpUrl = rsvp[2];
  const companies = /speakers from\s+(.+?)(?:[.!]\s|[.!]?\s*\[|[.!]?$)/.exec(text)?.[1];
  if (companies) {
    next.companies = companies
      .split(/,\s*(?:and\s+)?|\s+and\s+/)
      .map((c) => c.trim())
      .filter((c) => c !== '' && !/^more!?$/.test(c) && c.length <= LIMITS.name)
      .slice(0, LIMITS.companies);
  }
  return next;
}

// -------------------------------------------------------------------------------------------------------
// Sponsors, venue and host

const facts = {
  sponsorsFrom(text: string, meetup: Json): void {
    // The sponsors are the links of the sentence that thanks them, before any "Thanks also to" the venue.
    const part = text
      .split(/(?<=[.!])\s+/)
      .filter((sentence) => !/\bhosted\b|\bvenue\b/i.test(sentence))
      .join(' ');
    const sponsors = [...part.matchAll(LINK)]
      .filter((l) => isWebUrl(l[2] ?? '') && (l[1] ?? '').length <= LIMITS.name)
      .map((l) => ({ name: (l[1] ?? '').trim(), url: l[2] ?? '' }));
    if (sponsors.length > 0) meetup.sponsors = sponsors.slice(0, LIMITS.sponsors);
  },
  venueAndHost(meetup: Json, paragraphs: string[], description: string): void {
    const all = paragraphs.join('\n');
    const venue =
      /thanks (?:also )?to \[([^\]]+)\]\(([^\s)]+)\),? who (once again )?hosted us/i.exec(all) ??
      /\bat the (?:fabulous |lovely )?([A-Z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,5}) (?:offices|office|event space|venue)\b/.exec(
        all,
      );
    if (venue) {
      const url = venue[2] && isWebUrl(venue[2]) ? venue[2] : undefined;
      meetup.venue = {
        name: (venue[1] ?? '').trim(),
        ...(url ? { url } : {}),
        ...(venue[3] ? { returning: true } : {}),
      };
    }
    const host =
      /hosted by ([A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+)+)(?: from ([A-Z][^,.]+?))?(?:,|\.|\s+and\b|$)/u.exec(
        all,
      );
    if (host) {
      meetup.host = { name: host[1] ?? '', ...(host[2] ? { from: host[2].trim() } : {}) };
      return;
    }
    const fromDescription = /hosted by ([^,]+?)(?:,\s*(.+?))?\.?$/.exec(description);
    if (fromDescription) {
      const role = fromDescription[2]?.trim();
      meetup.host = {
        name: (fromDescription[1] ?? '').trim(),
        ...(role && role.length <= LIMITS.name ? { role } : {}),
      };
    }
  },
};
