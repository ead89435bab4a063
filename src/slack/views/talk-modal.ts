import type { KnownBlock, ModalView } from '@slack/types';
import { LIMITS } from '../../domain/fields';
import {
  formatLabelledLinks,
  parseLabelledLinks,
  parseSpeakers,
  parseTakeaways,
} from '../../domain/line-formats';
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
  partBlockId,
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
  proseInput,
  proseParagraphsInputs,
  readProse,
  readProseParagraphs,
  readRichText,
  richTextInput,
  richTextToTakeaways,
  takeawaysToRichText,
} from './rich-text';
import { type FormStep, stepView } from './steps';

export interface TalkModalMetadata {
  meetupId: string;
  /** Speaker rows shown beyond the talk's speakers ("Add a speaker"). */
  speakerRows?: number;
  /** The meetup as the form names it, for drawing its next steps. */
  meetupLabel?: string;
  talkId?: string;
  /** Opened by a speaker from the DM of `/roundup ask`. */
  asked?: boolean;
  /** The talk list this form was opened from, refreshed after saving. */
  listViewId?: string;
  /** The meetup's words are Markdown (`textFormat: 'markdown'`): the organiser's own words in plain inputs. */
  markdown?: boolean;
}

export interface TalkForm {
  talk: Talk;
  photoFile?: SubmittedFile;
}

/** The talk form's steps: who and what, then the takeaways and links, then the photo and the rest. */
export const TALK_STEPS: readonly FormStep[] = [
  { title: 'Who and what', startsAt: TALK.speaker },
  { title: 'Takeaways and links', startsAt: TALK.takeaways },
  { title: 'Photo and more', startsAt: TALK.after },
];

export interface TalkFormOptions {
  metadata: TalkModalMetadata;
  current?: Talk;
  meetupLabel: string;
}

/**
 * Add or edit a talk; for an asked speaker the same form, worded for them. One step at a time
 * (TALK_STEPS), each saved when the person goes on or back.
 */
export function buildTalkModal(options: TalkFormOptions & { step?: number }): ModalView {
  return stepView(buildTalkForm(options), TALK_STEPS, options.step ?? 0, {
    metadata: { ...options.metadata, meetupLabel: options.meetupLabel },
  });
}

/** How many speaker rows the form shows: the talk's speakers, or more once "Add a speaker" was pressed. */
export function speakerRowsOf(options: TalkFormOptions): number {
  const saved = options.current?.speakers.length ?? 0;
  return Math.min(LIMITS.speakers, Math.max(1, saved, options.metadata.speakerRows ?? 0));
}

/** The whole talk form, prefilled from what is saved (its steps are views of it). */
export function buildTalkForm(options: TalkFormOptions): ModalView {
  const { current, metadata } = options;
  const speakers = current?.speakers ?? [];
  const rows = speakerRowsOf(options);
  const photo = current?.photo;
  const blocks: KnownBlock[] = [
    note(
      metadata.asked
        ? `Thanks for speaking at *${options.meetupLabel}*! What you save here goes into the roundup post; the organisers review it before it is published.`
        : `A talk at *${options.meetupLabel}*.`,
    ),
    ...Array.from({ length: rows }, (_, i) => speakerRow(i + 1, speakers[i])).flat(),
    ...(rows < LIMITS.speakers
      ? [
          {
            type: 'actions',
            block_id: TALK.addSpeaker,
            elements: [
              {
                type: 'button',
                action_id: TALK.addSpeaker,
                text: { type: 'plain_text', text: 'Add a speaker', emoji: true },
                value: String(rows + 1),
              },
            ],
          } as KnownBlock,
        ]
      : []),
    textInput(TALK.title, 'Title of the talk', { initial: current?.title, max: 200 }),
    textInput(TALK.topic, 'What it was about, as a phrase', {
      initial: current?.topic,
      optional: true,
      max: 200,
      placeholder: 'managing deployments with Kapitan',
      hint: 'Used in the sentence that walks through the evening’s talks.',
    }),
    richTextInput(TALK.takeaways, 'Takeaways', {
      initial: current?.takeaways.length ? takeawaysToRichText(current.takeaways) : undefined,
      optional: true,
      hint: 'A bulleted list: each point a takeaway, an indented point one under it. Links and bold as in Slack.',
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
    ...(metadata.asked
      ? []
      : [
          proseInput(TALK.lead, 'Your own sentence introducing the talk', {
            initial: current?.lead,
            optional: true,
            markdown: metadata.markdown === true,
            hint: 'Leave empty and roundup writes one. {who}, {title} and {their} are filled in.',
          }),
        ]),
    ...proseParagraphsInputs(TALK.after, 'Paragraphs after the links', {
      items: current?.after ?? [],
      itemMax: LIMITS.paragraph,
      maxItems: LIMITS.paragraphs,
      optional: true,
      markdown: metadata.markdown === true,
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

/** Speaker `n`'s name, company and pronouns (the first speaker's blocks are the plain ids). */
function speakerRow(n: number, speaker: Talk['speakers'][number] | undefined): KnownBlock[] {
  return [
    textInput(partBlockId(TALK.speaker, n), n === 1 ? 'Speaker’s name' : `Speaker ${n}: name`, {
      initial: speaker?.name,
      max: 100,
      optional: n > 1,
      ...(n === 1 ? { placeholder: 'Alessandro De Maria' } : {}),
    }),
    textInput(partBlockId(TALK.company, n), n === 1 ? 'Speaker’s company' : `Speaker ${n}: company`, {
      initial: speaker?.company,
      optional: true,
      max: 100,
      ...(n === 1 ? { hint: 'As it reads after “from”: DeepMind Health, the Financial Times.' } : {}),
    }),
    staticSelect(
      partBlockId(TALK.pronouns, n),
      n === 1 ? 'Pronouns' : `Speaker ${n}: pronouns`,
      PRONOUNS.map((p) => option(p, { he: 'he / his', she: 'she / her', they: 'they / their' }[p])),
      {
        initial: speaker?.pronouns,
        optional: true,
        ...(n === 1 ? { hint: 'For “his slides”, “her takeaways”. Unset reads “their”.' } : {}),
      },
    ),
  ];
}

/** The speakers typed in the rows (an empty row after the first is skipped), and the row each came from. */
function readSpeakerRows(values: StateValues) {
  const speakers: Array<{ name?: string; company?: string; pronouns?: string }> = [];
  const rows: number[] = [];
  for (let n = 1; n <= LIMITS.speakers && values[partBlockId(TALK.speaker, n)] !== undefined; n++) {
    const name = readText(values, partBlockId(TALK.speaker, n));
    const company = readText(values, partBlockId(TALK.company, n));
    const pronouns = readSelected(values, partBlockId(TALK.pronouns, n));
    if (n > 1 && !name && !company && !pronouns) continue;
    speakers.push({ name, ...(company ? { company } : {}), ...(pronouns ? { pronouns } : {}) });
    rows.push(n);
  }
  return { speakers, rows };
}

const ROUTES: Route[] = [
  [/^speakers\[0\]\.name/, TALK.speaker, 'The name'],
  [/^speakers\[0\]\.company/, TALK.company, 'The company'],
  [/^speakers\[0\]\.pronouns/, TALK.pronouns, 'This'],
  [/^speakers\[(\d+)\]/, TALK.moreSpeakers, 'Speaker'],
  [/^speakers/, TALK.speaker, 'The speaker list'],
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
  const typed = readSpeakerRows(values);
  // A form opened before the speakers had rows lists the others one per line.
  const more = parseSpeakers(readText(values, TALK.moreSpeakers));
  if (!more.ok) errors[TALK.moreSpeakers] = more.error;
  const linkParts = readTextParts(values, TALK.links, '\n');
  const links = parseLabelledLinks(linkParts.text);
  if (!links.ok) Object.assign(errors, partError(linkParts, links));
  const takeaways = readTakeaways(values);
  if (!takeaways.ok) Object.assign(errors, takeaways.errors);

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
    speakers: [...typed.speakers, ...(more.ok ? more.items : [])],
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
    after: paragraphsOf(readProseParagraphs(values, TALK.after)),
    // A speaker's form does not show the organisers' own sentence; keep it.
    lead: asked ? current?.lead : readProse(values, TALK.lead),
  };
  const checked = check(talkSchema, input);
  if (!checked.ok) {
    const { route, describe } = routeProblem(ROUTES);
    // A speaker's problem goes under the row it was typed in.
    const rowRoute = (path: string) => {
      const m = /^speakers\[(\d+)\]\.(name|company|pronouns)/.exec(path);
      const row = m ? typed.rows[Number(m[1])] : undefined;
      if (!m || row === undefined) return route(path);
      const field = { name: TALK.speaker, company: TALK.company, pronouns: TALK.pronouns }[m[2] as 'name'];
      return partBlockId(field, row);
    };
    return {
      ok: false,
      errors: { ...errorsFromProblems(checked.problems, rowRoute, TALK.title, describe), ...errors },
    };
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { talk: checked.value, ...(photoFile ? { photoFile } : {}) } };
}

/** The takeaways: a rich-text list, or (a form opened before the list) lines indented under each other. */
function readTakeaways(
  values: StateValues,
): { ok: true; items: Talk['takeaways'] } | { ok: false; errors: Record<string, string> } {
  const rich = readRichText(values, TALK.takeaways);
  if (rich) {
    const read = richTextToTakeaways(rich);
    return read.ok ? read : { ok: false, errors: { [TALK.takeaways]: read.error } };
  }
  const parts = readTextParts(values, TALK.takeaways, '\n');
  const lines = parseTakeaways(parts.text);
  return lines.ok ? lines : { ok: false, errors: partError(parts, lines) };
}

/** The photo with the description typed in the form (none typed: roundup's own, from the speaker's name). */
function withAlt<P extends object>(photo: P | undefined, alt: string | undefined) {
  if (!photo) return undefined;
  const { alt: _old, ...rest } = photo as P & { alt?: string };
  return alt !== undefined ? { ...rest, alt } : rest;
}

/** None typed reads as none. */
function paragraphsOf(paragraphs: string[]): string[] | undefined {
  return paragraphs.length > 0 ? paragraphs : undefined;
}
