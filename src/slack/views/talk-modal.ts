import type { KnownBlock, ModalView } from '@slack/types';
import { LIMITS } from '../../domain/fields';
import { LINK_KINDS, PRONOUNS, type Talk, talkSchema } from '../../domain/meetup';
import { check } from '../../domain/validate';
import {
  checkbox,
  errorsFromProblems,
  type FormResult,
  fileInput,
  modal,
  note,
  option,
  partError,
  photoLink,
  photoLinkOf,
  type Route,
  readFiles,
  readSelected,
  readSelectedMany,
  readText,
  readTextParts,
  routeProblem,
  type StateValues,
  type SubmittedFile,
  staticSelect,
  textInput,
  textInputParts,
  urlInput,
} from './form';
import { CALLBACK, TALK } from './ids';
import {
  formatLabelledLinks,
  formatSpeakers,
  formatTakeaways,
  parseLabelledLinks,
  parseSpeakers,
  parseTakeaways,
} from './line-formats';

export interface TalkModalMetadata {
  meetupId: string;
  talkId?: string;
  /** Opened by a speaker from the DM of `/roundup ask`. */
  asked?: boolean;
  /** The talk list this form was opened from, refreshed after saving. */
  listViewId?: string;
}

export interface TalkForm {
  talk: Talk;
  photoFile?: SubmittedFile;
}

/** Add or edit a talk; for an asked speaker the same form, worded for them. */
export function buildTalkModal(options: {
  metadata: TalkModalMetadata;
  current?: Talk;
  meetupLabel: string;
}): ModalView {
  const { current, metadata } = options;
  const [first, ...others] = current?.speakers ?? [];
  const photo = current?.photo;
  const blocks: KnownBlock[] = [
    note(
      metadata.asked
        ? `Thanks for speaking at *${options.meetupLabel}*! What you save here goes into the roundup post; the organisers review it before it is published.`
        : `A talk at *${options.meetupLabel}*.`,
    ),
    textInput(TALK.speaker, 'Speaker’s name', {
      initial: first?.name,
      max: 100,
      placeholder: 'Alessandro De Maria',
    }),
    textInput(TALK.company, 'Speaker’s company', {
      initial: first?.company,
      optional: true,
      max: 100,
      hint: 'As it reads after “from”: DeepMind Health, the Financial Times.',
    }),
    staticSelect(
      TALK.pronouns,
      'Pronouns',
      PRONOUNS.map((p) => option(p, { he: 'he / his', she: 'she / her', they: 'they / their' }[p])),
      {
        initial: first?.pronouns,
        optional: true,
        hint: 'For “his slides”, “her takeaways”. Unset reads “their”.',
      },
    ),
    textInput(TALK.moreSpeakers, 'Other speakers', {
      initial: formatSpeakers(others),
      multiline: true,
      optional: true,
      hint: 'One per line: name, then | and their company, then | and he, she or they if you like.',
    }),
    textInput(TALK.title, 'Title of the talk', { initial: current?.title, max: 200 }),
    textInput(TALK.topic, 'What it was about, as a phrase', {
      initial: current?.topic,
      optional: true,
      max: 200,
      placeholder: 'managing deployments with Kapitan',
      hint: 'Used in the sentence that walks through the evening’s talks.',
    }),
    // Up to 50 takeaways of up to 1,000 characters outgrow one input: they continue in more.
    ...textInputParts(TALK.takeaways, 'Takeaways', {
      items: current?.takeaways.length ? formatTakeaways(current.takeaways).split('\n') : [],
      separator: '\n',
      itemMax: LIMITS.takeaway + '  '.length * (LIMITS.takeawayDepth - 1),
      maxItems: LIMITS.takeawaysInAll,
      optional: true,
      hint: 'One per line. Indent a line with spaces to make it a point under the line above.',
    }),
    urlInput(TALK.link, 'Link on the title', {
      initial: current?.link?.url,
      optional: true,
      hint: 'The video (at the talk’s start, if you can), the slides or a page.',
    }),
    staticSelect(
      TALK.linkKind,
      'That link is to',
      LINK_KINDS.map((k) => option(k, { video: 'a video', slides: 'slides', page: 'a page' }[k])),
      { initial: current?.link?.kind ?? 'video', optional: true },
    ),
    ...textInputParts(TALK.links, 'More links, after the takeaways', {
      items: (current?.links ?? []).map((l) => formatLabelledLinks([l])),
      separator: '\n',
      itemMax: LIMITS.shortText + ' | '.length + LIMITS.url,
      maxItems: LIMITS.links,
      optional: true,
      hint: 'One per line: label, then | and the link. A link on its own reads “See their slides here”.',
    }),
    // Up to ten paragraphs of up to 3,000 characters: they continue in more inputs, as the meetup's do.
    ...textInputParts(TALK.after, 'Paragraphs after the links', {
      items: current?.after ?? [],
      separator: '\n\n',
      itemMax: LIMITS.paragraph,
      maxItems: LIMITS.paragraphs,
      optional: true,
      hint: 'Your own words after the takeaways and links. Separate paragraphs with a blank line.',
    }),
    fileInput(TALK.photoFile, 'Speaker photo', {
      hint:
        photo?.stored || photo?.slackFile
          ? 'A photo is uploaded; add another to replace it.'
          : 'JPEG, PNG, GIF or WebP, up to 10 MB.',
    }),
    textInput(TALK.photoUrl, '…or a link to a photo', {
      initial: photoLinkOf(photo),
      optional: true,
      hint: 'A web address, or a path in the group’s site such as /images/speaker.jpeg.',
    }),
    textInput(TALK.photoAlt, 'What the photo shows', {
      initial: photo?.alt,
      optional: true,
      max: LIMITS.shortText,
      hint: 'Its description for those who cannot see it. Leave empty and roundup names the speaker.',
    }),
    checkbox(TALK.photoNoAlt, 'No description', option('yes', 'Leave the description out: ![](…)'), {
      checked: photo?.alt === '',
    }),
  ];
  if (!metadata.asked) {
    blocks.push(
      textInput(TALK.lead, 'Your own sentence introducing the talk', {
        initial: current?.lead,
        multiline: true,
        optional: true,
        hint: 'Leave empty and roundup writes one. {who}, {title} and {their} are filled in.',
      }),
    );
  }
  return modal(
    CALLBACK.talk,
    metadata.asked ? 'Your talk' : current ? 'Edit the talk' : 'Add a talk',
    blocks,
    {
      submit: 'Save',
      privateMetadata: JSON.stringify(metadata),
    },
  );
}

const ROUTES: Route[] = [
  [/^speakers\[0\]\.name/, TALK.speaker, 'The name'],
  [/^speakers\[0\]\.company/, TALK.company, 'The company'],
  [/^speakers\[0\]\.pronouns/, TALK.pronouns, 'This'],
  [/^speakers\[(\d+)\]/, TALK.moreSpeakers, 'Speaker'],
  [/^speakers/, TALK.moreSpeakers, 'The speaker list'],
  [/^title/, TALK.title, 'The title'],
  [/^topic/, TALK.topic, 'The phrase'],
  [/^link\.kind/, TALK.linkKind, 'This'],
  // Not `links`, which has its own block below.
  [/^link(?:\.|$)/, TALK.link, 'The link'],
  [/^links\[(\d+)\]/, TALK.links, 'Link'],
  [/^links/, TALK.links, 'The list of links'],
  [/^takeaways\[(\d+)\]/, TALK.takeaways, 'Takeaway'],
  [/^takeaways/, TALK.takeaways, 'The list of takeaways'],
  [/^photo\.alt/, TALK.photoAlt, 'The description'],
  [/^photo/, TALK.photoUrl, 'The photo link'],
  [/^lead/, TALK.lead, 'The sentence'],
  [/^after\[(\d+)\]/, TALK.after, 'Paragraph'],
  [/^after/, TALK.after, 'The paragraphs'],
];

export function readTalkModal(
  values: StateValues,
  current: Talk | undefined,
  asked: boolean,
): FormResult<TalkForm> {
  const errors: Record<string, string> = {};
  const more = parseSpeakers(readText(values, TALK.moreSpeakers));
  if (!more.ok) errors[TALK.moreSpeakers] = more.error;
  const linkParts = readTextParts(values, TALK.links, '\n');
  const links = parseLabelledLinks(linkParts.text);
  if (!links.ok) Object.assign(errors, partError(linkParts, links));
  const takeawayParts = readTextParts(values, TALK.takeaways, '\n');
  const takeaways = parseTakeaways(takeawayParts.text);
  if (!takeaways.ok) Object.assign(errors, partError(takeawayParts, takeaways));

  const company = readText(values, TALK.company);
  const pronouns = readSelected(values, TALK.pronouns);
  const [photoFile] = readFiles(values, TALK.photoFile);
  const photoUrl = readText(values, TALK.photoUrl);
  const keptFile = current?.photo?.stored || current?.photo?.slackFile ? current.photo : undefined;
  const linkUrl = readText(values, TALK.link);
  const noAlt = readSelectedMany(values, TALK.photoNoAlt).includes('yes');
  const photoAlt = noAlt ? '' : readText(values, TALK.photoAlt);
  if (noAlt && readText(values, TALK.photoAlt))
    errors[TALK.photoAlt] = 'Give a description or tick “No description”, not both.';
  else if (photoAlt !== undefined && !photoFile && !photoUrl && !keptFile)
    errors[TALK.photoAlt] = 'Upload the photo or give its link, or leave its description empty.';
  const input = {
    speakers: [
      {
        name: readText(values, TALK.speaker),
        ...(company ? { company } : {}),
        ...(pronouns ? { pronouns } : {}),
      },
      ...(more.ok ? more.items : []),
    ],
    title: readText(values, TALK.title),
    topic: readText(values, TALK.topic),
    ...(linkUrl ? { link: { url: linkUrl, kind: readSelected(values, TALK.linkKind) ?? 'video' } } : {}),
    links: links.ok ? links.items : [],
    takeaways: takeaways.ok ? takeaways.items : [],
    photo: withAlt(
      photoFile
        ? {
            slackFile: {
              id: photoFile.id,
              ...(photoFile.name ? { name: photoFile.name.slice(0, 300) } : {}),
            },
          }
        : photoUrl
          ? photoLinkOf(current?.photo) === photoUrl
            ? current?.photo
            : photoLink(photoUrl)
          : keptFile,
      photoAlt,
    ),
    after: paragraphsOf(readTextParts(values, TALK.after, '\n\n').text),
    // A speaker's form does not show the organisers' own sentence; keep it.
    lead: asked ? current?.lead : readText(values, TALK.lead),
  };
  const checked = check(talkSchema, input);
  if (!checked.ok) {
    const { route, describe } = routeProblem(ROUTES);
    return {
      ok: false,
      errors: { ...errorsFromProblems(checked.problems, route, TALK.title, describe), ...errors },
    };
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { talk: checked.value, ...(photoFile ? { photoFile } : {}) } };
}

/** The photo with the description typed in the form (none typed: roundup's own, from the speaker's name). */
function withAlt<P extends object>(photo: P | undefined, alt: string | undefined) {
  if (!photo) return undefined;
  const { alt: _old, ...rest } = photo as P & { alt?: string };
  return alt !== undefined ? { ...rest, alt } : rest;
}

/** Paragraphs separated by blank lines; none typed reads as none. */
function paragraphsOf(text: string | undefined): string[] | undefined {
  const paragraphs = (text ?? '')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return paragraphs.length > 0 ? paragraphs : undefined;
}
