import { IMAGE_TYPES, type Photo, type Roundup, type Takeaway, type Talk } from '../domain/meetup';
import { escapeText, escapeUrl, image, link } from './markdown';
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
  const words = dateWords(meetup.date);
  const slug = slugify(`${group.name} ${words.month} ${words.year}`);
  const images: PostImage[] = [];
  const missingPhotos: string[] = [];

  const photoSrc = (photo: Photo | undefined, suffix: string, what: string): string | undefined => {
    if (!photo) return undefined;
    if (photo.stored) {
      const sitePath = `images/${meetup.date}-${slug}${suffix}.${IMAGE_TYPES[photo.stored.mimeType]}`;
      images.push({ sitePath, storedFile: photo.stored.file, mimeType: photo.stored.mimeType });
      return `/${sitePath}`;
    }
    if (photo.url) return photo.url;
    missingPhotos.push(what);
    return undefined;
  };
  const photoMarkdown = (photo: Photo | undefined, suffix: string, what: string, alt: string): string => {
    const src = photoSrc(photo, suffix, what);
    return src ? image(photo?.alt ?? alt, src) : '';
  };

  const headerSrc = photoSrc(meetup.headerPhoto, '', 'the header photo');
  const header = headerSrc ? image(meetup.headerPhoto?.alt ?? `${group.name} ${words.month}`, headerSrc) : '';

  const talks = meetup.talks.map((talk, i) =>
    talkView(
      talk,
      i,
      meetup.talks.length,
      photoMarkdown(talk.photo, `-${i + 1}`, `the photo of talk ${i + 1}`, speakerNames(talk)),
    ),
  );
  const photos = meetup.photos
    .map((p, i) =>
      photoMarkdown(
        p,
        `-photo-${i + 1}`,
        `event photo ${i + 1}`,
        p.role === 'group' ? 'Group photo' : 'Photo',
      ),
    )
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
  const hostText = meetup.host ? [meetup.host.name, meetup.host.role].filter(Boolean).join(', ') : '';
  const video = meetup.video ? link('here', meetup.video) : '';
  const topics = talks.map((t) => t.topic);
  const talkCount = numberWord(meetup.talks.length);
  const signature = escapeText(group.signature);
  const speakerCompanies = unique(meetup.talks.flatMap((t) => t.speakers.map((s) => s.company ?? ''))).filter(
    Boolean,
  );
  const hasPhotos = headerSrc !== undefined || talks.some((t) => t.photo) || photos.length > 0;
  const hasVideo = meetup.video !== undefined || meetup.talks.some((t) => t.link?.kind === 'video');

  const sentences = meetup.sentences;
  const companies = andList(speakerCompanies.map(escapeText));
  const values = {
    group: escapeText(group.name),
    companies,
    month: words.month,
    host: host?.name ?? '',
    count: talkCount,
    sponsors,
    venue: venue?.link ?? '',
    topics: andList(topics),
    video,
    signature,
  };
  const next = meetup.next ? nextView(roundup, values) : null;

  return {
    path: `_posts/${meetup.date}-${slug}.md`,
    slug,
    images,
    missingPhotos,
    view: {
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
      intro: meetup.intro ? proseMarkdown(meetup.intro, values) : '',
      host,
      sponsors,
      sponsorsText: sentences.sponsors ? proseMarkdown(sentences.sponsors, values) : '',
      venue,
      talkOrderText: sentences.talkOrder ? proseMarkdown(sentences.talkOrder, values) : '',
      topics,
      video,
      talks,
      extras: meetup.extras.map((e) => proseMarkdown(e)),
      photos,
      next,
      closingText: sentences.closing
        ? withSignature(proseMarkdown(sentences.closing, values), sentences.closing, signature)
        : '',
      signature,
    },
  };
}

function talkView(talk: Talk, index: number, count: number, photo: string): TalkView {
  const pronouns = pronounsOf(talk.speakers);
  const title = escapeText(talk.title);
  const quoted = /^["“]/.test(talk.title) ? title : `"${title}"`;
  const titleLinked = talk.link ? `[${quoted}](${escapeUrl(talk.link.url)})` : title;
  const start = talk.link ? videoStart(talk.link.url) : undefined;
  const starting =
    talk.link && start !== undefined ? ` (starting at ${link(clockTime(start), talk.link.url)})` : '';
  const who = whoMarkdown(talk.speakers);
  const values = { who, title: titleLinked, titleText: title, starting, ...pronouns };
  return {
    number: index + 1,
    first: index === 0,
    last: index === count - 1,
    who,
    title,
    titleLinked,
    starting,
    topic: talk.topic ? escapeText(talk.topic) : title,
    lead: talk.lead ? proseMarkdown(talk.lead, values) : '',
    photo,
    takeaways: bullets(talk.takeaways, 0),
    hasTakeaways: talk.takeaways.length > 0,
    links: talk.links.map((l) => `${proseMarkdown(l.label, values)} ${link('here', l.url)}`),
    ...pronouns,
  };
}

/** Takeaways as `*` bullets, nested items as `-` bullets indented two spaces a level (the house style). */
function bullets(items: readonly Takeaway[], depth: number): string {
  return items
    .map((t) => {
      const own = `${'  '.repeat(depth)}${depth === 0 ? '*' : '-'} ${escapeText(t.text)}`;
      return t.items.length > 0 ? `${own}\n${bullets(t.items, depth + 1)}` : own;
    })
    .join('\n');
}

function nextView(roundup: Roundup, values: Record<string, string>): NextView | null {
  const next = roundup.meetup.next;
  if (!next) return null;
  const words = dateWords(next.date);
  const companies = andList(next.companies.map(escapeText));
  const rsvp = next.rsvpUrl ? link('RSVP and save the date now!', next.rsvpUrl) : '';
  const nextValues = {
    ...values,
    date: words.dayAndDate,
    companies,
    venue: next.venue ? escapeText(next.venue) : '',
    rsvp,
    month: words.month,
  };
  let text = '';
  if (next.text) {
    text = proseMarkdown(next.text, nextValues);
    // The RSVP link belongs in the paragraph even when the organiser's own words forgot it.
    if (rsvp && !next.text.includes('{rsvp}')) text = `${text} ${rsvp}`;
  }
  return {
    heading: `${escapeText(roundup.group.name)} ${words.month}`,
    month: words.month,
    dayAndDate: words.dayAndDate,
    dayAndDateOrdinal: words.dayAndDateOrdinal,
    companies,
    notes: next.notes ? proseMarkdown(next.notes) : '',
    rsvp,
    text,
  };
}

function withSignature(rendered: string, source: string, signature: string): string {
  return source.includes('{signature}') ? rendered : `${rendered}\n\n${signature}`;
}

function speakerNames(talk: Talk): string {
  return andList(talk.speakers.map((s) => s.name));
}

/** A YouTube link as the embed address the modern front matter uses; other links as they are. */
function embedUrl(url: string): string {
  const id = url.match(/^https?:\/\/(?:youtu\.be\/|(?:www\.)?youtube\.com\/watch\?v=)([\w-]{6,20})/)?.[1];
  return id ? `https://www.youtube.com/embed/${id}` : url;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
