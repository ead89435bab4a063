import type { KnownBlock, ModalView } from '@slack/types';
import { LIMITS } from '../../domain/fields';
import { parseNamedLinks } from '../../domain/line-formats';
import {
  LEAVE_OUT,
  MEETUP_STATUSES,
  type Meetup,
  type MeetupInput,
  type MeetupStatus,
  meetupSchema,
  SECTION_PLACES,
  type Section,
  type SectionPlace,
  type Sponsor,
} from '../../domain/meetup';
import { check } from '../../domain/validate';
import { calendarLinkBlocks } from './calendar-fill';
import {
  checkbox,
  checkboxes,
  datePicker,
  errorsFromProblems,
  type FormResult,
  fileInput,
  modal,
  multiStaticSelect,
  note,
  option,
  partBlockId,
  photoLink,
  photoLinkOf,
  type Route,
  readDate,
  readFiles,
  readSelected,
  readSelectedMany,
  readText,
  readTextParts,
  readTime,
  routeProblem,
  type StateValues,
  type SubmittedFile,
  staticSelect,
  textInput,
  textInputParts,
  timePicker,
  urlInput,
} from './form';
import { CALLBACK, MEETUP } from './ids';
import { proseInput, proseParagraphsInputs, readProse, readProseParagraphs } from './rich-text';
import { type FormStep, stepView } from './steps';

/** The meetup fields this form edits; talks, photos and the next meetup have their own forms. */
export type MeetupDetails = Pick<
  Meetup,
  | 'date'
  | 'startTime'
  | 'venue'
  | 'host'
  | 'intro'
  | 'sponsors'
  | 'headerPhoto'
  | 'video'
  | 'extras'
  | 'sentences'
  | 'description'
  | 'location'
  | 'tags'
  | 'redirectFrom'
  | 'postName'
  | 'textFormat'
  | 'leaveOut'
  | 'sections'
> & {
  /** Set only when the organiser picked a status; otherwise a new meetup's follows its date. */
  status?: MeetupStatus;
};

export interface MeetupForm {
  details: MeetupDetails;
  /** Sponsors typed in that the roster does not have yet. */
  newSponsors: Sponsor[];
  /** A header photo uploaded in the form, to download after the acknowledgement. */
  headerFile?: SubmittedFile;
}

export interface MeetupModalMetadata {
  meetupId?: string;
  /**
   * The status the form showed: saved unchanged, it leaves the status as it is now, so a form opened before
   * a draft or "Mark published" does not move the meetup back.
   */
  status?: MeetupStatus;
}

const LEAVE_OUT_LABELS: Record<(typeof LEAVE_OUT)[number], string> = {
  intro: 'The opening paragraph',
  sponsors: 'The sponsors sentence',
  talkOrder: 'The sentence walking through the talks',
  overview: 'The overview of the talks',
  closing: 'The closing sentence',
  signature: 'The signature',
};

const STATUS_LABELS: Record<MeetupStatus, string> = {
  planned: 'Planned: not held yet',
  held: 'Held: the post is not drafted',
  drafted: 'Drafted: the post is in review',
  published: 'Published on the site',
};

/** The meetup form's steps: the evening first, what the post says next, the post's file and extras last. */
export const MEETUP_STEPS: readonly FormStep[] = [
  { title: 'The evening', startsAt: MEETUP.date },
  { title: 'The host, the words, the sponsors', startsAt: MEETUP.host },
  { title: 'Photo, video, after the talks', startsAt: MEETUP.headerPhotoFile },
  { title: 'The post’s file', startsAt: MEETUP.description },
  { title: 'Sections and status', startsAt: MEETUP.sectionHeading },
];

export interface MeetupFormOptions {
  current?: Meetup & { id: string };
  roster: readonly Sponsor[];
  today: string;
}

/**
 * `/roundup new` (a blank form) and `/roundup edit` (the current meetup, prefilled), one step at a time
 * (MEETUP_STEPS): each step is saved when the organiser goes on or back.
 */
export function buildMeetupModal(
  options: MeetupFormOptions & { step?: number; problem?: string },
): ModalView {
  const { current } = options;
  const metadata: MeetupModalMetadata = current ? { meetupId: current.id, status: current.status } : {};
  return stepView(buildMeetupForm(options), MEETUP_STEPS, options.step ?? 0, {
    metadata,
    ...(options.problem ? { problem: options.problem } : {}),
  });
}

/** The whole meetup form, every input prefilled from what is saved (its steps are views of it). */
export function buildMeetupForm(options: MeetupFormOptions): ModalView {
  const { current, roster } = options;
  const header = current?.headerPhoto;
  // Words written as Markdown (imported posts) stay in plain text inputs; the others are rich text.
  const markdown = current?.textFormat === 'markdown';
  const blocks: KnownBlock[] = [
    // The event's calendar link fills in the date, time and venue (the organiser checks, then goes on).
    ...calendarLinkBlocks(),
    datePicker(MEETUP.date, 'Date of the meetup', { initial: current?.date ?? options.today }),
    timePicker(MEETUP.startTime, 'Start time', { initial: current?.startTime ?? '18:30' }),
    textInput(MEETUP.venue, 'Venue (who hosted us)', {
      initial: current?.venue?.name,
      optional: true,
      placeholder: 'Entrepreneur First',
      max: 100,
    }),
    urlInput(MEETUP.venueUrl, 'Venue’s website', { initial: current?.venue?.url, optional: true }),
    checkbox(MEETUP.venueReturning, 'Returning venue', option('yes', 'They have hosted us before'), {
      checked: current?.venue?.returning,
    }),
    textInput(MEETUP.host, 'Host (MC) of the evening', {
      initial: current?.host?.name,
      optional: true,
      placeholder: 'Dominique Top',
      max: 100,
    }),
    textInput(MEETUP.hostFrom, 'Where the host is from', {
      initial: current?.host?.from,
      optional: true,
      placeholder: 'Docker London',
      max: 100,
    }),
    textInput(MEETUP.hostRole, 'The host’s role', {
      initial: current?.host?.role,
      optional: true,
      placeholder: 'VP Ecosystem at CNCF',
      max: 100,
      hint: 'Read after a comma: “hosted by Cheryl Hung, VP Ecosystem at CNCF”.',
    }),
    proseInput(MEETUP.intro, 'Opening paragraph', {
      initial: current?.intro,
      optional: true,
      markdown,
      hint: markdown
        ? 'How the evening went, in a sentence or two, in Markdown.'
        : 'How the evening went, in a sentence or two: links, bold and lists as in Slack.',
    }),
  ];
  const choosable = sponsorChoices(roster, current);
  if (choosable.length > 0) {
    blocks.push(
      multiStaticSelect(
        MEETUP.sponsors,
        'Sponsors of the night',
        choosable.map((s) => option(s.name)),
        {
          initial: current?.sponsors.map((s) => s.name),
          optional: true,
          placeholder: 'Pick from the roster',
        },
      ),
    );
  }
  blocks.push(
    textInput(
      MEETUP.newSponsors,
      roster.length > 0 ? 'Sponsors not on the roster yet' : 'Sponsors of the night',
      {
        multiline: true,
        optional: true,
        placeholder: 'Pusher | https://pusher.com/',
        hint: 'One per line: name, then | and their website. They are added to the roster too.',
      },
    ),
    proseInput(MEETUP.sponsorsSentence, 'Your own sentence thanking the sponsors', {
      initial: current?.sentences.sponsors,
      optional: true,
      markdown,
      hint: 'Leave empty and roundup writes it. {sponsors} and {venue} are filled in.',
    }),
    fileInput(MEETUP.headerPhotoFile, 'Header photo', {
      hint:
        header?.stored || header?.slackFile
          ? 'A header photo is uploaded; add another to replace it.'
          : 'JPEG, PNG, GIF or WebP, up to 10 MB.',
    }),
    textInput(MEETUP.headerPhotoUrl, '…or a link to the header photo', {
      initial: photoLinkOf(header),
      optional: true,
      hint: 'A web address, or a path in the group’s site such as /images/2019-05-01-meetup.jpeg.',
    }),
    urlInput(MEETUP.video, 'Video of the whole evening', { initial: current?.video, optional: true }),
    // Markdown's ten paragraphs of up to 3,000 characters each outgrow one plain input: they continue in more.
    ...proseParagraphsInputs(MEETUP.extras, 'Paragraphs after the talks', {
      items: current?.extras ?? [],
      itemMax: LIMITS.paragraph,
      maxItems: LIMITS.paragraphs,
      optional: true,
      markdown,
      hint: 'Prize draw, group photo, an announcement… Separate paragraphs with a blank line.',
    }),
    textInput(MEETUP.title, 'Post title, if not the usual', {
      initial: current?.sentences.title,
      optional: true,
    }),
    proseInput(MEETUP.talkOrder, 'Your own sentence walking through the talks', {
      initial: current?.sentences.talkOrder,
      optional: true,
      markdown,
      hint: 'Leave empty and roundup writes it from the talks’ topics.',
    }),
    proseInput(MEETUP.closing, 'Your own closing sentence', {
      initial: current?.sentences.closing,
      optional: true,
      markdown,
      hint: 'Leave empty and roundup writes it. {signature} and {month} are filled in; the signature is added when not placed.',
    }),
    // The post's front matter and file in the group's site.
    textInput(MEETUP.description, 'The post’s description, if not the usual', {
      initial: current?.description,
      optional: true,
      hint: 'Its front-matter description; leave empty and roundup writes it in the site’s pattern.',
    }),
    textInput(MEETUP.location, 'Where it was, if not the group’s city', {
      initial: current?.location,
      optional: true,
      max: 100,
    }),
    textInput(MEETUP.tags, 'Tags, if not the usual', {
      initial: current?.tags?.join('\n'),
      multiline: true,
      optional: true,
      hint: 'One per line. Leave empty for Photos, Video, Meetup and the year.',
    }),
    // Ten addresses of up to 500 characters outgrow one input: they continue in more.
    ...textInputParts(MEETUP.redirectFrom, 'The post’s old addresses', {
      items: current?.redirectFrom ?? [],
      separator: '\n',
      itemMax: 500,
      maxItems: 10,
      optional: true,
      placeholder: '/2018/11/07/cloud-native-london-november-2018',
      hint: 'One site path per line, for redirect_from.',
    }),
    textInput(MEETUP.postName, 'The post’s file name, if not the usual', {
      initial: current?.postName,
      optional: true,
      placeholder: '2018-11-07-cloud-native-london-november-2018',
      hint: 'Without .md. Leave empty for the date, the group and the month.',
    }),
    staticSelect(
      MEETUP.textFormat,
      'How your own words are read',
      [
        option('plain', 'As typed: [label](https://…) is a link'),
        option('markdown', 'Markdown: emphasis, links and images'),
      ],
      {
        initial: current?.textFormat,
        optional: true,
        hint: 'Either way nothing typed can run HTML or Liquid on the site.',
      },
    ),
    ...sectionInputs(current?.sections ?? [], markdown),
    checkboxes(
      MEETUP.leaveOut,
      'Parts this post leaves out',
      LEAVE_OUT.map((part) => option(part, LEAVE_OUT_LABELS[part])),
      {
        checked: current?.leaveOut,
        hint: 'Parts roundup writes when you wrote none, which this post goes without.',
      },
    ),
    staticSelect(
      MEETUP.status,
      'Status',
      MEETUP_STATUSES.map((st) => option(st, STATUS_LABELS[st])),
      {
        initial: current?.status,
        optional: true,
        hint: current
          ? 'Drafts and “Mark published” change it too.'
          : 'Leave empty: held once its date has passed, planned before.',
      },
    ),
  );
  if (current)
    blocks.unshift(
      note('Editing the current meetup. Talks, photos and the next meetup have their own forms.'),
    );
  const metadata: MeetupModalMetadata = current ? { meetupId: current.id, status: current.status } : {};
  return modal(CALLBACK.meetup, current ? 'Edit the meetup' : 'New meetup', blocks, {
    submit: 'Save',
    privateMetadata: JSON.stringify(metadata),
  });
}

const ROUTES: Route[] = [
  [/^date/, MEETUP.date, 'The date'],
  [/^startTime/, MEETUP.startTime, 'The start time'],
  [/^venue\.url/, MEETUP.venueUrl, 'The venue’s website'],
  [/^venue/, MEETUP.venue, 'The venue'],
  [/^host\.from/, MEETUP.hostFrom, 'This'],
  [/^host\.role/, MEETUP.hostRole, 'The role'],
  [/^host/, MEETUP.host, 'The host'],
  [/^intro/, MEETUP.intro, 'The opening paragraph'],
  [/^sponsors\[(\d+)\]/, MEETUP.newSponsors, 'Sponsor'],
  [/^sponsors/, MEETUP.newSponsors, 'The sponsor list'],
  [/^headerPhoto/, MEETUP.headerPhotoUrl, 'The photo link'],
  [/^video/, MEETUP.video, 'The video link'],
  [/^extras\[(\d+)\]/, MEETUP.extras, 'Paragraph'],
  [/^extras/, MEETUP.extras, 'The paragraphs'],
  [/^sentences\.title/, MEETUP.title, 'The title'],
  [/^sentences\.talkOrder/, MEETUP.talkOrder, 'The sentence'],
  [/^sentences\.sponsors/, MEETUP.sponsorsSentence, 'The sentence'],
  [/^sentences\.closing/, MEETUP.closing, 'The sentence'],
  [/^status/, MEETUP.status, 'The status'],
  [/^description/, MEETUP.description, 'The description'],
  [/^location/, MEETUP.location, 'The place'],
  [/^tags\[(\d+)\]/, MEETUP.tags, 'Tag'],
  [/^tags/, MEETUP.tags, 'The list of tags'],
  [/^redirectFrom\[(\d+)\]/, MEETUP.redirectFrom, 'Address'],
  [/^redirectFrom/, MEETUP.redirectFrom, 'The list of addresses'],
  [/^postName/, MEETUP.postName, 'The file name'],
  [/^textFormat/, MEETUP.textFormat, 'This'],
  [/^leaveOut/, MEETUP.leaveOut, 'This'],
  [/^sections\[(\d+)\]\.heading/, MEETUP.sectionHeading, 'The heading'],
  [/^sections\[(\d+)\]\.after/, MEETUP.sectionAfter, 'This'],
  [/^sections\[(\d+)\]/, MEETUP.sectionText, 'The section'],
];

const PLACE_LABELS: Record<SectionPlace, string> = {
  intro: 'After the opening paragraph',
  sponsors: 'After the sponsors',
  talkOrder: 'After the sentence walking through the talks',
  talks: 'After the talks',
  extras: 'After the paragraphs after the talks',
  photos: 'After the photos',
  next: 'After the next meetup',
};

/**
 * The organiser's own sections, each a heading (`### ` before it for a smaller one), where it goes and its
 * paragraphs: the saved ones, then one empty while there is room for another.
 */
function sectionInputs(sections: readonly Section[], markdown: boolean): KnownBlock[] {
  const shown: Array<Section | undefined> = [...sections];
  if (shown.length < LIMITS.paragraphs) shown.push(undefined);
  return shown.flatMap((section, i) => {
    const n = i + 1;
    const heading =
      section?.heading && `${section.level > 2 ? `${'#'.repeat(section.level)} ` : ''}${section.heading}`;
    return [
      textInput(partBlockId(MEETUP.sectionHeading, n), `Section ${n} of your own: heading`, {
        initial: heading,
        optional: true,
        max: LIMITS.shortText + 5,
        ...(n === 1
          ? {
              hint: 'An announcement, an offer… Empty for paragraphs without a heading. ### before it for a smaller one.',
            }
          : {}),
      }),
      staticSelect(
        partBlockId(MEETUP.sectionAfter, n),
        `Section ${n}: where it goes`,
        SECTION_PLACES.map((place) => option(place, PLACE_LABELS[place])),
        { initial: section?.after ?? 'extras', optional: true },
      ),
      proseInput(partBlockId(MEETUP.sectionText, n), `Section ${n}: its paragraphs`, {
        ...(section?.text ? { initial: section.text } : {}),
        optional: true,
        markdown,
      }),
    ];
  });
}

function readSections(values: StateValues, current: Meetup | undefined): MeetupInput['sections'] {
  const sections: NonNullable<MeetupInput['sections']> = [];
  for (let n = 1; values[partBlockId(MEETUP.sectionText, n)] !== undefined; n++) {
    const typed = readText(values, partBlockId(MEETUP.sectionHeading, n))?.trim();
    const text = readProse(values, partBlockId(MEETUP.sectionText, n))?.replace(/\r\n?/g, '\n');
    if (!typed && !text) continue;
    const hashes = /^(#{2,4})\s+/.exec(typed ?? '');
    const heading = hashes ? typed?.slice(hashes[0].length) : typed;
    sections.push({
      ...(heading ? { heading } : {}),
      level: hashes ? (hashes[1] as string).length : 2,
      ...(text ? { text } : {}),
      after: readSelected(values, partBlockId(MEETUP.sectionAfter, n)) ?? 'extras',
    } as NonNullable<MeetupInput['sections']>[number]);
  }
  return sections.length > 0 || current?.sections?.length === 0 ? sections : undefined;
}

export function readMeetupModal(
  values: StateValues,
  roster: readonly Sponsor[],
  current: Meetup | undefined,
  /** The status the form showed (its metadata), when it edited a meetup. */
  shownStatus?: MeetupStatus,
): FormResult<MeetupForm> {
  const errors: Record<string, string> = {};
  const typed = parseNamedLinks(readText(values, MEETUP.newSponsors));
  if (!typed.ok) errors[MEETUP.newSponsors] = typed.error;
  const picked = readSelectedMany(values, MEETUP.sponsors);
  const known = (name: string) => roster.find((s) => s.name.toLowerCase() === name.trim().toLowerCase());
  const sponsors: Sponsor[] = sponsorChoices(roster, current).filter((s) => picked.includes(s.name));
  const newSponsors: Sponsor[] = [];
  for (const sponsor of typed.ok ? typed.items : []) {
    const existing = known(sponsor.name);
    const chosen = existing ?? sponsor;
    if (!existing) newSponsors.push(sponsor);
    if (!sponsors.some((s) => s.name.toLowerCase() === chosen.name.toLowerCase())) sponsors.push(chosen);
  }

  const [headerFile] = readFiles(values, MEETUP.headerPhotoFile);
  const headerUrl = readText(values, MEETUP.headerPhotoUrl);
  const keptFile =
    current?.headerPhoto?.stored || current?.headerPhoto?.slackFile ? current.headerPhoto : undefined;
  const headerPhoto = headerFile
    ? {
        slackFile: { id: headerFile.id, ...(headerFile.name ? { name: headerFile.name.slice(0, 300) } : {}) },
      }
    : headerUrl
      ? // The same link keeps what the form does not show, such as its description from `/roundup photo`.
        headerUrl === photoLinkOf(current?.headerPhoto)
        ? current?.headerPhoto
        : photoLink(headerUrl)
      : keptFile;

  const venueName = readText(values, MEETUP.venue);
  const venueUrl = readText(values, MEETUP.venueUrl);
  if (!venueName && venueUrl) errors[MEETUP.venue] = 'Name the venue whose website this is.';
  const hostName = readText(values, MEETUP.host);
  const hostFrom = readText(values, MEETUP.hostFrom);
  const hostRole = readText(values, MEETUP.hostRole);
  if (!hostName && (hostFrom || hostRole))
    errors[MEETUP.host] = 'Name the host, or leave the host fields empty.';
  const pickedStatus = readSelected(values, MEETUP.status);
  // Unchanged from what the form showed: whatever the status is now stays (see MeetupModalMetadata).
  const shown = shownStatus ?? current?.status;
  const status = pickedStatus !== undefined && pickedStatus !== shown ? pickedStatus : undefined;
  const extras = readProseParagraphs(values, MEETUP.extras);

  const lines = (text: string | undefined) => {
    const items = (text ?? '')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    return items.length > 0 ? items : undefined;
  };
  const leftOut = readSelectedMany(values, MEETUP.leaveOut);
  const input = {
    date: readDate(values, MEETUP.date),
    ...(status ? { status } : {}),
    startTime: readTime(values, MEETUP.startTime) ?? '18:30',
    ...(venueName
      ? {
          venue: {
            name: venueName,
            ...(venueUrl ? { url: venueUrl } : {}),
            returning: readSelectedMany(values, MEETUP.venueReturning).includes('yes'),
          },
        }
      : {}),
    ...(hostName
      ? {
          host: {
            name: hostName,
            ...(hostFrom ? { from: hostFrom } : {}),
            ...(hostRole ? { role: hostRole } : {}),
          },
        }
      : {}),
    intro: readProse(values, MEETUP.intro),
    sponsors,
    headerPhoto,
    video: readText(values, MEETUP.video),
    extras,
    sentences: {
      ...current?.sentences,
      title: readText(values, MEETUP.title),
      talkOrder: readProse(values, MEETUP.talkOrder),
      sponsors: readProse(values, MEETUP.sponsorsSentence),
      closing: readProse(values, MEETUP.closing),
    },
    description: readText(values, MEETUP.description)?.trim(),
    location: readText(values, MEETUP.location),
    tags: lines(readText(values, MEETUP.tags)),
    redirectFrom: lines(readTextParts(values, MEETUP.redirectFrom, '\n').text),
    postName: readText(values, MEETUP.postName)?.trim(),
    textFormat: readSelected(values, MEETUP.textFormat),
    leaveOut: leftOut.length > 0 || current?.leaveOut?.length === 0 ? leftOut : undefined,
    sections: readSections(values, current),
  };
  const checked = check(meetupSchema, input);
  if (!checked.ok) {
    const { route, describe } = routeProblem(ROUTES);
    return {
      ok: false,
      errors: { ...errorsFromProblems(checked.problems, route, MEETUP.date, describe), ...errors },
    };
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const m = checked.value;
  return {
    ok: true,
    value: {
      details: {
        date: m.date,
        ...(status ? { status: m.status } : {}),
        startTime: m.startTime,
        venue: m.venue,
        host: m.host,
        intro: m.intro,
        sponsors: m.sponsors,
        headerPhoto: m.headerPhoto,
        video: m.video,
        extras: m.extras,
        sentences: m.sentences,
        description: m.description,
        location: m.location,
        tags: m.tags,
        redirectFrom: m.redirectFrom,
        postName: m.postName,
        textFormat: m.textFormat,
        leaveOut: m.leaveOut,
        sections: m.sections,
      },
      newSponsors,
      ...(headerFile ? { headerFile } : {}),
    },
  };
}

/** The sponsors a meetup can pick: the roster, then any of the meetup's own that the roster no longer has. */
function sponsorChoices(roster: readonly Sponsor[], current: Meetup | undefined): Sponsor[] {
  const names = new Set(roster.map((s) => s.name));
  return [...roster, ...(current?.sponsors ?? []).filter((s) => !names.has(s.name))];
}
