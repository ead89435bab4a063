import { z } from 'zod';
import {
  isoDate,
  LIMITS,
  line,
  list,
  localTime,
  sitePath,
  slackChannelId,
  slackUserId,
  timeZone,
  webUrl,
} from './fields';
import { prose } from './prose';
import { DEFAULT_REMINDER_PLAN, reminderStepSchema } from './reminders';
import { siteSchema } from './site';

// ---------------------------------------------------------------------------------------------------------
// Group

export const sponsorSchema = z.strictObject({
  name: line(LIMITS.name),
  url: webUrl().optional(),
});
export type Sponsor = z.infer<typeof sponsorSchema>;

export const TEMPLATE_NAMES = ['classic', 'modern'] as const;

export const HEADER_PLACES = ['body', 'front', 'both'] as const;

/**
 * The house style of the group's own site, as `roundup import` learnt it from the posts (and editable like
 * any other setting). Every part is optional: without a style a post is written as the template has it.
 */
export const siteStyleSchema = z.strictObject({
  /** The front-matter keys in the order the site writes them: ["layout", "title", "description", ...]. */
  frontMatter: list(line(LIMITS.name), 30, 'keys').default([]),
  /** Where the header photo goes: the body (`![...](...)` first), the front matter (`image:`), or both. */
  headerPhoto: z.enum(HEADER_PLACES, { error: 'must be body, front or both' }).default('body'),
  /**
   * How a new photo is named in the site, without its extension: `images/{post}` gives
   * `images/<post-file-name>.jpeg` for the header, then `-1`, `-2` ... for the talks' and the evening's
   * photos. `{post}` is the post's file name without `.md`, `{date}` the meetup's date.
   */
  imageName: line(LIMITS.shortText).optional(),
  /**
   * The title's pattern: `{group} {month} {year}: {companies}`. `{companies}` is "A, B, and C",
   * `{companiesNoSerial}` "A, B and C"; also `{monthShort}`.
   */
  title: line(LIMITS.shortText).optional(),
  /** The description's pattern, as the title's, with `{host}` (name and role), `{count}` and `{Count}`. */
  description: line(LIMITS.sentence).optional(),
  /** The post's file name without the date and `.md`, as a pattern slugified: `{group} {month} {year}`. */
  postName: line(LIMITS.shortText).optional(),
  /**
   * The sentences of the group's latest posts with their facts made placeholders, in the site's Markdown:
   * what a new post says where the organiser wrote nothing of their own (the template's wording else).
   */
  sentences: z
    .strictObject({
      intro: prose('meetup', LIMITS.paragraph).optional(),
      sponsors: prose('sponsors', LIMITS.paragraph).optional(),
      /** The first talk's lead, a middle one's, the last one's. */
      talkFirst: prose('lead', LIMITS.sentence).optional(),
      talkNext: prose('lead', LIMITS.sentence).optional(),
      talkLast: prose('lead', LIMITS.sentence).optional(),
      /** The line a group photo sits under: "And of course, our usual group photo!" */
      groupPhoto: prose('none', LIMITS.sentence).optional(),
      next: prose('next').optional(),
      closing: prose('closing', LIMITS.sentence).optional(),
    })
    .optional(),
});
export type SiteStyle = z.infer<typeof siteStyleSchema>;

export const groupSchema = z.strictObject({
  /** "Cloud Native London" */
  name: line(LIMITS.name),
  timeZone: timeZone().default('Europe/London'),
  /** How the organiser signs the post: "Cheryl (@oicheryl)" */
  signature: line(LIMITS.name),
  /** Where the group meets, for the modern template's front matter: "London, UK" */
  location: line(LIMITS.name).optional(),
  organisers: list(slackUserId(), LIMITS.organisers, 'organisers').default([]),
  organisersChannel: slackChannelId().optional(),
  communityChannels: list(slackChannelId(), LIMITS.channels, 'channels').default([]),
  /**
   * `classic`, `modern`, or the path of a template file of the group's own; at most 150 characters, the
   * longest value a Slack option holds, so that the setup form can offer it and keep it.
   */
  template: line(150).default('classic'),
  /** The house style of the group's site (front matter, photo names, title and description patterns). */
  style: siteStyleSchema.optional(),
  sponsors: list(sponsorSchema, LIMITS.sponsors, 'sponsors').default([]),
  /** When the next meetup is announced in the community channels, in the group's time zone. */
  reminderPlan: list(reminderStepSchema, LIMITS.reminders, 'reminders').default(() => [
    ...DEFAULT_REMINDER_PLAN,
  ]),
  /** The group's own site, where `/roundup site` says posts are published. */
  site: siteSchema.optional(),
});
export type Group = z.infer<typeof groupSchema>;
export type GroupInput = z.input<typeof groupSchema>;

// ---------------------------------------------------------------------------------------------------------
// Photos

export const PHOTO_ROLES = ['header', 'talk', 'group', 'other'] as const;
export type PhotoRole = (typeof PHOTO_ROLES)[number];

export const IMAGE_TYPES = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
} as const;
export type ImageType = keyof typeof IMAGE_TYPES;

const storedFileSchema = z.strictObject({
  /** Path of the stored file, relative to the meetup's photo folder (or to the JSON file, offline). */
  file: line(500).refine((f) => !f.split(/[\\/]/).includes('..') && !f.startsWith('/'), {
    error: 'must be a relative path inside the photo folder',
  }),
  mimeType: z.enum(Object.keys(IMAGE_TYPES) as [ImageType, ...ImageType[]], {
    error: `must be one of ${Object.keys(IMAGE_TYPES).join(', ')}`,
  }),
  bytes: z.number().int().nonnegative().optional(),
});

const slackFileSchema = z.strictObject({
  id: z.string().regex(/^F[A-Z0-9]{2,20}$/, { error: 'must be a Slack file id such as F012ABCDEF' }),
  name: line(300).optional(),
});

/** The parts of a post a section (or one of the evening's photos) can follow. */
export const SECTION_PLACES = [
  'intro',
  'sponsors',
  'talkOrder',
  'talks',
  'extras',
  'photos',
  'next',
] as const;
export type SectionPlace = (typeof SECTION_PLACES)[number];

function photoSchema<R extends readonly [PhotoRole, ...PhotoRole[]]>(roles: R, fallback: R[number]) {
  return z
    .object({
      role: z.enum(roles, { error: `must be ${roles.join(' or ')}` }).default(fallback as never),
      /** A photo given as a link: it stays a link and is never fetched. */
      url: webUrl().optional(),
      /** A photo already in the group's site, by its site-relative path: `/images/2018-09-10-....jpeg`. */
      path: sitePath().optional(),
      /** A photo uploaded in Slack. */
      slackFile: slackFileSchema.optional(),
      /** The file kept beside the database, once downloaded. */
      stored: storedFileSchema.optional(),
      /** The image's description; `""` writes `![](...)`, as posts do for a group photo. */
      alt: z.union([z.literal(''), line(LIMITS.shortText)]).optional(),
      /**
       * The organiser's own words the photo sits directly under, in the same paragraph:
       * "And of course, our usual group photo!" (the evening's photos only).
       */
      caption: prose('none', LIMITS.sentence).optional(),
      /**
       * Where one of the evening's photos goes when not with the others after the talks: after the intro,
       * the sponsors ... (before the sections placed there).
       */
      after: z.enum(SECTION_PLACES, { error: `must be one of ${SECTION_PLACES.join(', ')}` }).optional(),
    })
    .refine(
      (p) =>
        p.url !== undefined || p.path !== undefined || p.stored !== undefined || p.slackFile !== undefined,
      { error: 'needs a link (url), a path in the site, or an uploaded file' },
    );
}

export const headerPhotoSchema = photoSchema(['header'], 'header');
export const talkPhotoSchema = photoSchema(['talk'], 'talk');
export const eventPhotoSchema = photoSchema(['group', 'other'], 'other');
export type Photo =
  | z.infer<typeof eventPhotoSchema>
  | z.infer<typeof headerPhotoSchema>
  | z.infer<typeof talkPhotoSchema>;

// ---------------------------------------------------------------------------------------------------------
// Talks

export const PRONOUNS = ['he', 'she', 'they'] as const;

export const speakerSchema = z.strictObject({
  name: line(LIMITS.name),
  /** As it should read after "from": "DeepMind Health", "the Financial Times". */
  company: line(LIMITS.name).optional(),
  /** Used for "his/her/their"; unknown reads as "their". */
  pronouns: z.enum(PRONOUNS, { error: 'must be he, she or they' }).optional(),
});
export type Speaker = z.infer<typeof speakerSchema>;

export interface Takeaway {
  text: string;
  items: Takeaway[];
}

function takeawaySchema(depth: number): z.ZodType<Takeaway, unknown> {
  const items =
    depth > 1
      ? list(
          z.lazy(() => takeawaySchema(depth - 1)),
          LIMITS.takeaways,
          'items',
        )
      : z.array(z.unknown()).max(0, { error: `takeaways nest at most ${LIMITS.takeawayDepth} levels deep` });
  // A takeaway may be written as plain text, or as { text, items } when it holds nested items.
  return z.preprocess(
    (v) => (typeof v === 'string' ? { text: v, items: [] } : v),
    z.strictObject(
      { text: line(LIMITS.takeaway), items: items.default([]) },
      { error: 'must be text, or { text, items }' },
    ),
  ) as z.ZodType<Takeaway, unknown>;
}

function countTakeaways(items: readonly Takeaway[]): number {
  return items.reduce((n, t) => n + 1 + countTakeaways(t.items), 0);
}

export const LINK_KINDS = ['video', 'slides', 'page'] as const;

export const talkSchema = z.strictObject({
  /** Set by the store; absent in hand-written JSON. */
  id: z.string().max(64).optional(),
  speakers: list(speakerSchema, LIMITS.speakers, 'speakers').min(1, { error: 'needs at least one speaker' }),
  title: line(LIMITS.shortText),
  /** A short phrase for the sentence that walks through the talks: "managing deployments with Kapitan". */
  topic: line(LIMITS.shortText).optional(),
  /** The main link, on the title: a video (possibly at a timestamp), slides or a page. */
  link: z
    .object({
      url: webUrl(),
      kind: z.enum(LINK_KINDS, { error: 'must be video, slides or page' }).default('video'),
    })
    .optional(),
  /** Lines after the takeaways: "See her slides [here](url)". */
  links: list(
    z.strictObject({ label: line(LIMITS.shortText).default('See {their} slides'), url: webUrl() }),
    LIMITS.links,
    'links',
  ).default([]),
  takeaways: list(takeawaySchema(LIMITS.takeawayDepth), LIMITS.takeaways, 'takeaways')
    .refine((items) => countTakeaways(items) <= LIMITS.takeawaysInAll, {
      error: `has more than ${LIMITS.takeawaysInAll} takeaways in all, nested ones included`,
    })
    .default([]),
  photo: talkPhotoSchema.optional(),
  /** The organiser's own sentence introducing the talk, replacing the generated one. */
  lead: prose('lead', LIMITS.sentence).optional(),
  /** The organiser's own paragraphs after the takeaways and links: "See his slides [here](...)" on its own. */
  after: list(prose('lead'), LIMITS.paragraphs, 'paragraphs').optional(),
});
export type Talk = z.infer<typeof talkSchema>;
export type TalkInput = z.input<typeof talkSchema>;

// ---------------------------------------------------------------------------------------------------------
// The next meetup

export const nextMeetupSchema = z.strictObject({
  date: isoDate(),
  startTime: localTime().optional(),
  /** What is known of the speakers so far: their companies ("Paybase", "Double Negative"). */
  companies: list(line(LIMITS.name), LIMITS.companies, 'companies').default([]),
  venue: line(LIMITS.shortText).optional(),
  /** "Note that we'll be hosted by Monzo for our last meetup of 2018." */
  notes: prose('none', LIMITS.sentence).optional(),
  rsvpUrl: webUrl().optional(),
  /** The section's heading as the organiser wrote it, replacing "<group> <month>". */
  heading: line(LIMITS.shortText).optional(),
  /** The organiser's own next-meetup paragraph(s), replacing the generated one. */
  text: prose('next').optional(),
  /** Where its reminders go; empty means the group's community channels. */
  channels: list(slackChannelId(), LIMITS.channels, 'channels').default([]),
  /** Called off: its reminders are cancelled. */
  cancelled: z.boolean({ error: 'must be true or false' }).default(false),
});
export type NextMeetup = z.infer<typeof nextMeetupSchema>;

// ---------------------------------------------------------------------------------------------------------
// The meetup

// ---------------------------------------------------------------------------------------------------------
// Sections of the organiser's own, placed where they put them

export const sectionSchema = z.strictObject({
  /** Its own heading: "Kubernetes Community Days London"; none for paragraphs alone. */
  heading: line(LIMITS.shortText).optional(),
  /** The heading's level, `##` by default. */
  level: z.number().int().min(2).max(4).default(2),
  /** Its paragraphs (announcement, offer, promotion); a heading alone has none. */
  text: prose('none').optional(),
  /** The part of the post it follows: after the intro, the sponsors, the talks ... */
  after: z.enum(SECTION_PLACES, { error: `must be one of ${SECTION_PLACES.join(', ')}` }).default('extras'),
});
export type Section = z.infer<typeof sectionSchema>;

/**
 * How the organiser's own words are read: `plain` (everything comes out as typed, `[label](url)` is a
 * link) or `markdown` (the organiser's Markdown: emphasis, links, images kept; raw HTML, Liquid and
 * kramdown's `{: }` still cannot run). Imported posts are `markdown`.
 */
export const TEXT_FORMATS = ['plain', 'markdown'] as const;
export type TextFormat = (typeof TEXT_FORMATS)[number];

/** Parts a template generates when the organiser wrote none, which a post may leave out instead. */
export const LEAVE_OUT = ['intro', 'sponsors', 'talkOrder', 'overview', 'closing', 'signature'] as const;

export const MEETUP_STATUSES = ['planned', 'held', 'drafted', 'published'] as const;
export type MeetupStatus = (typeof MEETUP_STATUSES)[number];

export const meetupSchema = z.strictObject({
  id: z.string().max(64).optional(),
  date: isoDate(),
  startTime: localTime().default('18:30'),
  status: z
    .enum(MEETUP_STATUSES, { error: `must be one of ${MEETUP_STATUSES.join(', ')}` })
    .default('planned'),
  /** The venue and who to thank for it. */
  venue: z
    .object({
      name: line(LIMITS.name),
      url: webUrl().optional(),
      /** The host has had us before: "who once again hosted us". */
      returning: z.boolean({ error: 'must be true or false' }).default(false),
    })
    .optional(),
  /** The evening's MC. */
  host: z
    .object({
      name: line(LIMITS.name),
      /** Read after "from": "Docker London". */
      from: line(LIMITS.name).optional(),
      /** Read after a comma in the modern style: "VP Ecosystem at CNCF". */
      role: line(LIMITS.name).optional(),
    })
    .optional(),
  intro: prose('meetup', LIMITS.paragraph).optional(),
  sponsors: list(sponsorSchema, LIMITS.sponsors, 'sponsors').default([]),
  headerPhoto: headerPhotoSchema.optional(),
  /** The full event's video. */
  video: webUrl().optional(),
  talks: list(talkSchema, LIMITS.talks, 'talks').default([]),
  /** Prize draw, promo, group photo ... one paragraph each, after the talks. */
  extras: list(prose('none'), LIMITS.paragraphs, 'paragraphs').default([]),
  /** Sections of the organiser's own (with or without a heading), each placed after a part of the post. */
  sections: list(sectionSchema, LIMITS.paragraphs, 'sections').optional(),
  /** How the own words (intro, sentences, leads, takeaways, extras, sections, captions, next) are read; plain when absent. */
  textFormat: z.enum(TEXT_FORMATS, { error: 'must be plain or markdown' }).optional(),
  /** The post's file name without `.md` (as the site has it); by default `<date>-<group>-<month>-<year>`. */
  postName: z
    .string({ error: 'must be text' })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}-[A-Za-z0-9][A-Za-z0-9._-]{0,150}$/, {
      error: 'must be a post file name without .md: YYYY-MM-DD-words-with-dashes',
    })
    .optional(),
  /** Generated parts this post leaves out: a post with no talk-order sentence, no closing line ... */
  leaveOut: list(
    z.enum(LEAVE_OUT, { error: `must be one of ${LEAVE_OUT.join(', ')}` }),
    10,
    'parts',
  ).optional(),
  /** The front matter's `description`; without it, generated in the site's pattern (group.style). */
  description: line(LIMITS.sentence).optional(),
  /** Where it was, for the front matter, when not the group's usual `location`. */
  location: line(LIMITS.name).optional(),
  /** The front matter's `tags`; without them: Photos, Video (when there are), Meetup and the year. */
  tags: list(line(LIMITS.name), 20, 'tags').optional(),
  /** The front matter's `redirect_from`: the post's old addresses. */
  redirectFrom: list(sitePath(), 10, 'addresses').optional(),
  /** Other front-matter keys the post carries, with their values as text (`layout` is `post` by default). */
  frontMatter: z
    .record(
      z.string().regex(/^[A-Za-z][\w-]{0,40}$/, { error: 'must be a front-matter key' }),
      line(LIMITS.sentence),
    )
    .refine((r) => Object.keys(r).length <= 20, { error: 'has more than 20 keys' })
    .optional(),
  photos: list(eventPhotoSchema, LIMITS.photos, 'photos').default([]),
  next: nextMeetupSchema.optional(),
  /** Sentences the organiser wrote in place of the generated ones. */
  sentences: z
    .object({
      title: line(LIMITS.shortText).optional(),
      sponsors: prose('sponsors', LIMITS.paragraph).optional(),
      talkOrder: prose('talkOrder', LIMITS.paragraph).optional(),
      closing: prose('closing', LIMITS.sentence).optional(),
    })
    .default({}),
});
export type Meetup = z.infer<typeof meetupSchema>;
export type MeetupInput = z.input<typeof meetupSchema>;

/** What the renderer and `roundup render` take: the group and one of its meetups. */
export const roundupSchema = z.strictObject({
  group: groupSchema,
  meetup: meetupSchema,
});
export type Roundup = z.infer<typeof roundupSchema>;
export type RoundupInput = z.input<typeof roundupSchema>;
