import {
  IMAGE_TYPES,
  type Photo,
  type Roundup,
  SECTION_PLACES,
  type SectionPlace,
  type Takeaway,
  type Talk,
  type TextFormat,
} from '../domain/meetup';
import { escapeText, escapeUrl, image, link, sanitiseMarkdown, yamlString } from './markdown';
import { slugify } from './slug';
import {
  andList,
  clockTime,
  dateWords,
  numberWord,
  type Pronouns,
  pronounsOf,
  proseMarkdown,
  videoStart,
  whoMarkdown,
} from './words';

/**
 * The values a post template sees. Every string here is already Markdown: user text escaped, links built,
 * organiser-written sentences rendered. Templates lay these out and choose the wording of generated
 * sentences; they never see raw user text, so no template can forget to escape it.
 */
export interface PostView {
  /** Plain text for front matter (the template quotes it with the `yaml` filter). */
  front: {
    title: string;
    /** Companies of the night's speakers, for a modern title: "Red Hat, driftctl, and LINBIT". */
    companies: string;
    location: string;
    image: string;
    video: string;
    year: string;
    hasPhotos: boolean;
    hasVideo: boolean;
    talkCount: string;
    host: string;
    group: string;
    month: string;
  };
  /**
   * The whole front matter, `---` to `---`, when the group's site has a house style (group.style): its keys
   * in the site's order. Empty otherwise, and the template writes its own.
   */
  frontMatter: string;
  /** Generated parts the post leaves out (meetup.leaveOut): `omit.intro`, `omit.overview`, `omit.closing`. */
  omit: Record<string, boolean>;
  group: { name: string; signature: string };
  month: string;
  monthShort: string;
  year: string;
  /** "three" */
  talkCount: string;
  /** The speakers' companies: "Red Hat, driftctl, and LINBIT HA-Solutions GmbH" */
  companies: string;
  header: string;
  intro: string;
  host: { name: string; from: string } | null;
  sponsors: string;
  sponsorsText: string;
  venue: { link: string; returning: boolean } | null;
  talkOrderText: string;
  topics: string[];
  video: string;
  talks: TalkView[];
  extras: string[];
  /** The organiser's own sections, by the part of the post each follows: `sections.sponsors` ... */
  sections: Record<SectionPlace, string[]>;
  photos: string[];
  next: NextView | null;
  closingText: string;
  signature: string;
}

export interface TalkView extends Pronouns {
  number: number;
  first: boolean;
  last: boolean;
  who: string;
  /** The title as text. */
  title: string;
  /** The title in quotes, linked to the talk's main link; the plain title when there is none. */
  titleLinked: string;
  /** " (starting at [31:01](url))" when the main link points into a video, else "". */
  starting: string;
  topic: string;
  lead: string;
  photo: string;
  takeaways: string;
  hasTakeaways: boolean;
  links: string[];
  /** The organiser's own paragraphs after the takeaways and links. */
  after: string[];
}

export interface NextView {
  heading: string;
  month: string;
  dayAndDate: string;
  /** "Wednesday 3rd March" */
  dayAndDateOrdinal: string;
  companies: string;
  notes: string;
  rsvp: string;
  text: string;
}

/** A stored photo to ship with the post: where the site wants it, and which stored file it is. */
export interface PostImage {
  sitePath: string;
  storedFile: string;
  mimeType: keyof typeof IMAGE_TYPES;
}

export interface PostPlan {
  path: string;
  slug: string;
  view: PostView;
  images: PostImage[];
  /** Photos the post cannot show yet (uploaded in Slack but not stored). */
  missingPhotos: string[];
}

export function planPost(roundup: Roundup): PostPlan {
  const { group, meetup } = roundup;
  const style = group.style;
  const format: TextFormat = meetup.textFormat ?? 'plain';
  const words = dateWords(meetup.date);
  const slug = slugify(`${group.name} ${words.month} ${words.year}`);
  const speakerCompanies = unique(meetup.talks.flatMap((t) => t.speakers.map((s) => s.company ?? ''))).filter(
    Boolean,
  );
  const hostText = meetup.host ? [meetup.host.name, meetup.host.role].filter(Boolean).join(', ') : '';
  const patternValues = {
    group: group.name,
    month: words.month,
    monthShort: words.monthShort,
    year: words.year,
    companies: andList(speakerCompanies),
    companiesNoSerial: andListNoSerial(speakerCompanies),
    host: hostText,
    count: numberWord(meetup.talks.length),
    Count: capitalise(numberWord(meetup.talks.length)),
    date: meetup.date,
  };
  const postName =
    meetup.postName ??
    (style?.postName ? `${meetup.date}-${slugify(fillPattern(style.postName, patternValues))}` : undefined) ??
    `${meetup.date}-${slug}`;
  const images: PostImage[] = [];
  const missingPhotos: string[] = [];
  const own = (source: string, values: Record<string, string> = {}) => proseMarkdown(source, values, format);

  const photoSrc = (photo: Photo | undefined, suffix: string, what: string): string | undefined => {
    if (!photo) return undefined;
    if (photo.stored) {
      // The site's own naming rule when the import found one; else <date>-<slug>.
      const base = style?.imageName
        ? fillPattern(style.imageName, { post: postName, date: meetup.date }).replace(/^\/+/, '')
        : `images/${meetup.date}-${slug}`;
      const sitePath = `${base}${suffix}.${IMAGE_TYPES[photo.stored.mimeType]}`;
      images.push({ sitePath, storedFile: photo.stored.file, mimeType: photo.stored.mimeType });
      return `/${sitePath}`;
    }
    if (photo.path) return photo.path;
    if (photo.url) return photo.url;
    missingPhotos.push(what);
    return undefined;
  };
  const photoMarkdown = (photo: Photo | undefined, suffix: string, what: string, alt: string): string => {
    const src = photoSrc(photo, suffix, what);
    return src ? image(photo?.alt ?? alt, src) : '';
  };

  const headerSrc = photoSrc(meetup.headerPhoto, '', 'the header photo');
  const headerInBody = (style?.headerPhoto ?? 'body') !== 'front';
  const header =
    headerSrc && headerInBody
      ? image(meetup.headerPhoto?.alt ?? `${group.name} ${words.month}`, headerSrc)
      : '';

  const learntLeads = style?.sentences ?? {};
  const talks = meetup.talks.map((talk, i) => {
    const n = meetup.talks.length;
    const learntLead =
      i === 0
        ? learntLeads.talkFirst
        : i === n - 1
          ? (learntLeads.talkLast ?? learntLeads.talkNext)
          : (learntLeads.talkNext ?? learntLeads.talkLast);
    return talkView(
      talk,
      i,
      n,
      photoMarkdown(talk.photo, `-${i + 1}`, `the photo of talk ${i + 1}`, speakerNames(talk)),
      format,
      learntLead,
    );
  });
  const placedPhotos = Object.fromEntries(SECTION_PLACES.map((p) => [p, [] as string[]])) as Record<
    SectionPlace,
    string[]
  >;
  const photos = meetup.photos
    .map((p, i) => {
      // Under the site's naming rule the evening's photos go on numbering after the talks' (-4, -5 ...).
      const suffix = style?.imageName ? `-${meetup.talks.length + i + 1}` : `-photo-${i + 1}`;
      const img = photoMarkdown(
        p,
        suffix,
        `event photo ${i + 1}`,
        p.role === 'group' ? 'Group photo' : 'Photo',
      );
      const learntCaption = p.role === 'group' ? style?.sentences?.groupPhoto : undefined;
      const md =
        img !== '' && p.caption
          ? `${own(p.caption)}\n${img}`
          : img !== '' && learntCaption
            ? `${proseMarkdown(learntCaption, {}, 'markdown')}\n${img}`
            : img;
      // A photo placed after a part of the post goes there, before the sections placed there.
      if (p.after && md !== '') {
        placedPhotos[p.after].push(md);
        return '';
      }
      return md;
    })
    .filter((p) => p !== '');

  const sponsors = andList(meetup.sponsors.map((s) => (s.url ? link(s.name, s.url) : escapeText(s.name))));
  const venue = meetup.venue
    ? {
        link: meetup.venue.url ? link(meetup.venue.name, meetup.venue.url) : escapeText(meetup.venue.name),
        returning: meetup.venue.returning,
      }
    : null;
  const host = meetup.host
    ? { name: escapeText(meetup.host.name), from: escapeText(meetup.host.from ?? '') }
    : null;
  // A site with a house style carries the video in its front matter, not as a sentence.
  const video = meetup.video && !style ? link('here', meetup.video) : '';
  const topics = talks.map((t) => t.topic);
  const talkCount = numberWord(meetup.talks.length);
  const signature = meetup.leaveOut?.includes('signature') ? '' : escapeText(group.signature);
  const hasPhotos = headerSrc !== undefined || talks.some((t) => t.photo) || photos.length > 0;
  const hasVideo = meetup.video !== undefined || meetup.talks.some((t) => t.link?.kind === 'video');

  const sentences = meetup.sentences;
  const omit = new Set(meetup.leaveOut ?? []);
  const companies = andList(speakerCompanies.map(escapeText));
  const values = {
    group: escapeText(group.name),
    companies,
    month: words.month,
    host: host?.name ?? '',
    count: talkCount,
    Count: capitalise(talkCount),
    sponsors,
    venue: venue?.link ?? '',
    topics: andList(topics),
    video,
    signature,
  };
  // Where the organiser wrote nothing, the sentences learnt from the site's latest posts (Markdown).
  const learnt = style?.sentences ?? {};
  const ownOrLearnt = (
    text: string | undefined,
    key: 'intro' | 'sponsors' | 'closing',
    vals: Record<string, string>,
  ): string => {
    if (text) return own(text, vals);
    const pattern = learnt[key];
    return pattern && !omit.has(key) ? proseMarkdown(pattern, vals, 'markdown') : '';
  };
  const next = meetup.next ? nextView(roundup, values, format) : null;
  const sections = placedPhotos;
  for (const section of meetup.sections ?? []) {
    const heading = section.heading
      ? `${'#'.repeat(section.level)} ${format === 'markdown' ? sanitiseMarkdown(section.heading) : escapeText(section.heading)}\n\n`
      : '';
    sections[section.after].push(`${heading}${section.text ? own(section.text) : ''}`.trim());
  }
  const frontMatter = style
    ? frontMatterBlock(roundup, {
        title: meetup.sentences.title ?? fillPattern(style.title ?? DEFAULT_TITLE, patternValues),
        description:
          meetup.description ??
          (style.description ? fillPattern(style.description, patternValues) : undefined),
        image: headerSrc && style.headerPhoto !== 'body' ? headerSrc : undefined,
        tags: meetup.tags ?? [
          ...(hasPhotos ? ['Photos'] : []),
          ...(hasVideo ? ['Video'] : []),
          'Meetup',
          words.year,
        ],
      })
    : '';

  return {
    path: `_posts/${postName}.md`,
    slug,
    images,
    missingPhotos,
    view: {
      frontMatter,
      omit: Object.fromEntries((meetup.leaveOut ?? []).map((p) => [p, true])),
      front: {
        title: sentences.title ?? '',
        companies: andList(speakerCompanies),
        location: group.location ?? '',
        image: headerSrc ?? '',
        video: meetup.video ? embedUrl(meetup.video) : '',
        year: words.year,
        hasPhotos,
        hasVideo,
        talkCount,
        host: hostText,
        group: group.name,
        month: words.month,
      },
      group: { name: escapeText(group.name), signature },
      month: words.month,
      monthShort: words.monthShort,
      year: words.year,
      talkCount,
      companies,
      header,
      intro: ownOrLearnt(meetup.intro, 'intro', values),
      host,
      sponsors: omit.has('sponsors') ? '' : sponsors,
      sponsorsText: omit.has('sponsors') ? '' : ownOrLearnt(sentences.sponsors, 'sponsors', values),
      venue: omit.has('sponsors') ? null : venue,
      talkOrderText: sentences.talkOrder ? own(sentences.talkOrder, values) : '',
      topics: omit.has('talkOrder') ? [] : topics,
      video,
      talks,
      extras: meetup.extras.map((e) => own(e)),
      sections,
      photos,
      next,
      closingText: sentences.closing
        ? withSignature(own(sentences.closing, values), sentences.closing, signature)
        : learnt.closing && !omit.has('closing')
          ? withSignature(proseMarkdown(learnt.closing, values, 'markdown'), learnt.closing, signature)
          : '',
      signature,
    },
  };
}

function talkView(
  talk: Talk,
  index: number,
  count: number,
  photo: string,
  format: TextFormat,
  learntLead?: string,
): TalkView {
  const pronouns = pronounsOf(talk.speakers);
  const title = escapeText(talk.title);
  const quoted = /^["“]/.test(talk.title) ? title : `"${title}"`;
  const titleLinked = talk.link ? `[${quoted}](${escapeUrl(talk.link.url)})` : title;
  const start = talk.link ? videoStart(talk.link.url) : undefined;
  const starting =
    talk.link && start !== undefined ? ` (starting at ${link(clockTime(start), talk.link.url)})` : '';
  const who = whoMarkdown(talk.speakers);
  const titleLink = talk.link ? `[${title}](${escapeUrl(talk.link.url)})` : title;
  const at = start !== undefined ? `(starting at ${clockTime(start)})` : '';
  const values = { who, title: titleLinked, titleText: title, titleLink, at, starting, ...pronouns };
  return {
    number: index + 1,
    first: index === 0,
    last: index === count - 1,
    who,
    title,
    titleLinked,
    starting,
    topic: talk.topic ? escapeText(talk.topic) : title,
    lead: talk.lead
      ? proseMarkdown(talk.lead, values, format)
      : learntLead
        ? proseMarkdown(learntLead, values, 'markdown')
        : '',
    photo,
    takeaways: bullets(talk.takeaways, 0, format),
    hasTakeaways: talk.takeaways.length > 0,
    links: talk.links.map((l) => `${proseMarkdown(l.label, values, format)} ${link('here', l.url)}`),
    after: (talk.after ?? []).map((p) => proseMarkdown(p, values, format)),
    ...pronouns,
  };
}

/** Takeaways as `*` bullets, nested items as `-` bullets indented two spaces a level (the house style). */
function bullets(items: readonly Takeaway[], depth: number, format: TextFormat): string {
  return items
    .map((t) => {
      const text =
        format === 'markdown'
          ? sanitiseMarkdown(t.text)
          : proseMarkdown(t.text, {}, 'plain', { asTyped: true });
      const own = `${'  '.repeat(depth)}${depth === 0 ? '*' : '-'} ${text}`;
      return t.items.length > 0 ? `${own}\n${bullets(t.items, depth + 1, format)}` : own;
    })
    .join('\n');
}

function nextView(roundup: Roundup, values: Record<string, string>, format: TextFormat): NextView | null {
  const next = roundup.meetup.next;
  if (!next) return null;
  const words = dateWords(next.date);
  const companies = andList(next.companies.map(escapeText));
  const rsvp = next.rsvpUrl ? link('RSVP and save the date now!', next.rsvpUrl) : '';
  const nextValues = {
    ...values,
    date: words.dayAndDate,
    dateOrdinal: words.dayAndDateOrdinal,
    companies,
    venue: next.venue ? escapeText(next.venue) : '',
    rsvp,
    month: words.month,
  };
  let text = '';
  const learnt = roundup.group.style?.sentences?.next;
  const source = next.text ?? learnt;
  if (source) {
    text = proseMarkdown(source, nextValues, next.text ? format : 'markdown');
    // The RSVP link belongs in the paragraph even when the organiser's own words forgot it.
    if (rsvp && !source.includes('{rsvp}') && !source.includes(`](${next.rsvpUrl}`))
      text = sentenceAfter(text, rsvp);
  }
  return {
    heading: next.heading
      ? format === 'markdown'
        ? sanitiseMarkdown(next.heading)
        : escapeText(next.heading)
      : `${escapeText(roundup.group.name)} ${words.month}`,
    month: words.month,
    dayAndDate: words.dayAndDate,
    dayAndDateOrdinal: words.dayAndDateOrdinal,
    companies,
    notes: next.notes ? proseMarkdown(next.notes, {}, format) : '',
    rsvp,
    text,
  };
}

/** A Markdown list item's line (a bullet or a number, at any depth). */
const LIST_ITEM_LINE = /^\s*(?:[*+-]|\d{1,9}[.)])\s/;

/**
 * A sentence after a paragraph: at the end of its last line, or, when the paragraph ends in a list (its last
 * block, after the last blank line, has an item: the lines after one belong to it), as a paragraph of its own.
 */
function sentenceAfter(text: string, sentence: string): string {
  const body = text.trimEnd();
  const lastBlock = body.slice(body.lastIndexOf('\n\n') + 1);
  return lastBlock.split('\n').some((line) => LIST_ITEM_LINE.test(line))
    ? `${body}\n\n${sentence}`
    : `${text} ${sentence}`;
}

function withSignature(rendered: string, source: string, signature: string): string {
  return source.includes('{signature}') || signature === '' ? rendered : `${rendered}\n\n${signature}`;
}

function speakerNames(talk: Talk): string {
  return andList(talk.speakers.map((s) => s.name));
}

/** A YouTube link as the embed address the modern front matter uses; other links as they are. */
function embedUrl(url: string): string {
  const id = url.match(/^https?:\/\/(?:youtu\.be\/|(?:www\.)?youtube\.com\/watch\?v=)([\w-]{6,20})/)?.[1];
  return id ? `https://www.youtube.com/embed/${id}` : url;
}

/** The title when the style has no pattern of its own: the later house style's. */
const DEFAULT_TITLE = '{group} {month} {year}: {companies}';

const FRONT_ORDER = ['layout', 'title', 'description', 'location', 'image', 'video', 'tags', 'redirect_from'];

/** `{name}` replaced by plain text (front matter and file names; no Markdown here). */
export function fillPattern(pattern: string, values: Readonly<Record<string, string>>): string {
  return pattern
    .replace(/\{([A-Za-z_]{1,30})\}/g, (all, name: string) =>
      Object.hasOwn(values, name) ? (values[name] ?? '') : all,
    )
    .replace(/\s{2,}/g, ' ')
    .replace(/\s+([,:])/g, '$1')
    .replace(/[,:]\s*$/, '')
    .trim();
}

/** The front matter in the site's key order: known keys from the model, then the post's other keys. */
function frontMatterBlock(
  roundup: Roundup,
  given: { title: string; description?: string; image?: string; tags: string[] },
): string {
  const { group, meetup } = roundup;
  const extra = meetup.frontMatter ?? {};
  const redirects = meetup.redirectFrom ?? [];
  const lines: Record<string, string | undefined> = {
    layout: `layout: ${yamlScalar(extra.layout ?? 'post')}`,
    title: `title: ${yamlString(given.title)}`,
    description:
      given.description === undefined ? undefined : `description: ${yamlString(given.description)}`,
    location:
      (meetup.location ?? group.location) === undefined
        ? undefined
        : `location: ${yamlScalar(meetup.location ?? group.location ?? '')}`,
    image: given.image === undefined ? undefined : `image: ${yamlScalar(given.image)}`,
    video: meetup.video ? `video: ${yamlScalar(embedUrl(meetup.video))}` : undefined,
    tags:
      given.tags.length === 0
        ? undefined
        : `tags:\n${given.tags.map((t) => `  - ${/^\d+$/.test(t) ? yamlString(t) : yamlScalar(t)}`).join('\n')}`,
    redirect_from:
      redirects.length === 0
        ? undefined
        : redirects.length === 1
          ? `redirect_from: ${yamlScalar(redirects[0] ?? '')}`
          : `redirect_from:\n${redirects.map((r) => `  - ${yamlScalar(r)}`).join('\n')}`,
  };
  for (const [key, value] of Object.entries(extra)) {
    if (key !== 'layout' && !(key in lines)) lines[key] = `${key}: ${yamlValue(value)}`;
  }
  const order = [...new Set([...(group.style?.frontMatter ?? []), ...FRONT_ORDER, ...Object.keys(lines)])];
  const body = order.map((k) => lines[k]).filter((l): l is string => l !== undefined);
  return `---\n${body.join('\n')}\n---`;
}

/** Text as a YAML scalar: plain where YAML reads it back as the same text, else double-quoted. */
function yamlScalar(value: string): string {
  const plain =
    /^[A-Za-z0-9/_.][^#'"`{}[\]|>&*!%@,]*$/.test(value.replace(/, /g, '')) &&
    !/:\s|\s#|:$|\s$/.test(value) &&
    !/^(true|false|yes|no|on|off|null|~|-?[\d._]+(e[+-]?\d+)?|0x[\da-f]+)$/i.test(value);
  return plain ? value : yamlString(value);
}

/** A value of another front-matter key: as it was written, true, 42 and dates keeping their type. */
function yamlValue(value: string): string {
  return /^(true|false|-?\d+(\.\d+)?|\d{4}-\d{2}-\d{2})$/.test(value) ? value : yamlScalar(value);
}

function andListNoSerial(items: readonly string[]): string {
  if (items.length <= 2) return items.join(' and ');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
