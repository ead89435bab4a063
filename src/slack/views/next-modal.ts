import type { ModalView } from '@slack/types';
import { type NextMeetup, nextMeetupSchema } from '../../domain/meetup';
import { check } from '../../domain/validate';
import { calendarLinkBlocks } from './calendar-fill';
import {
  conversationsSelect,
  datePicker,
  errorsFromProblems,
  type FormResult,
  modal,
  note,
  type Route,
  readConversations,
  readDate,
  readText,
  readTime,
  routeProblem,
  type StateValues,
  textInput,
  timePicker,
  urlInput,
} from './form';
import { CALENDAR, CALLBACK, NEXT } from './ids';
import { proseInput, readProse } from './rich-text';
import { type FormStep, stepView } from './steps';

export interface NextModalMetadata {
  meetupId: string;
}

/** The next-meetup form's steps: when and where, then the post's closing section and the reminders. */
export const NEXT_STEPS: readonly FormStep[] = [
  { title: 'When and where', startsAt: CALENDAR.link },
  { title: 'The post’s closing, the reminders', startsAt: NEXT.notes },
];

export interface NextFormOptions {
  meetupId: string;
  current?: NextMeetup;
  timeZone: string;
  /** The group's community channels, where reminders go unless other channels are picked. */
  communityChannels?: readonly string[];
  /** The meetup's words are Markdown (`textFormat: 'markdown'`): the note and paragraph in plain inputs. */
  markdown?: boolean;
}

/** `/roundup next`: the next meetup, which closes the post and drives the reminders, in NEXT_STEPS. */
export function buildNextModal(options: NextFormOptions & { step?: number }): ModalView {
  return stepView(buildNextForm(options), NEXT_STEPS, options.step ?? 0, {
    metadata: { meetupId: options.meetupId } satisfies NextModalMetadata,
  });
}

/** The whole next-meetup form, prefilled from what is saved (its steps are views of it). */
export function buildNextForm(options: NextFormOptions): ModalView {
  const { current } = options;
  const metadata: NextModalMetadata = { meetupId: options.meetupId };
  return modal(
    CALLBACK.next,
    'The next meetup',
    [
      note(`Times are in the group’s time zone, ${options.timeZone}. This fills the post’s closing section.`),
      // The event's calendar link fills in the date, time, venue and RSVP link.
      ...calendarLinkBlocks(),
      datePicker(NEXT.date, 'Date', { initial: current?.date }),
      // Empty until a time is given: a guessed one would go out in every reminder as if it were known.
      timePicker(NEXT.startTime, 'Start time', { initial: current?.startTime, optional: true }),
      textInput(NEXT.venue, 'Venue / host', {
        initial: current?.venue,
        optional: true,
        placeholder: 'Monzo',
        max: 200,
      }),
      textInput(NEXT.companies, 'Speakers’ companies known so far', {
        initial: current?.companies.join('\n'),
        multiline: true,
        optional: true,
        hint: 'One per line: Paybase, Double Negative…',
      }),
      urlInput(NEXT.rsvpUrl, 'RSVP link', { initial: current?.rsvpUrl, optional: true }),
      proseInput(NEXT.notes, 'A note for the community', {
        initial: current?.notes,
        optional: true,
        markdown: options.markdown === true,
        placeholder: 'Note that we’ll be hosted by Monzo for our last meetup of 2018.',
      }),
      textInput(NEXT.heading, 'The section’s heading, if not the usual', {
        initial: current?.heading,
        optional: true,
        max: 200,
        hint: 'Leave empty for the group’s name and the month.',
      }),
      proseInput(NEXT.text, 'Your own next-meetup paragraph', {
        initial: current?.text,
        optional: true,
        markdown: options.markdown === true,
        hint: 'Leave empty and roundup writes it. {date}, {dateOrdinal}, {companies}, {venue}, {rsvp}, {group} and {month} are filled in.',
      }),
      conversationsSelect(NEXT.channels, 'Channels to remind', {
        initial: current?.channels,
        optional: true,
        hint: options.communityChannels?.length
          ? 'Leave empty to remind the community channels chosen in setup.'
          : 'Reminders go to these channels (or to the community channels chosen in setup).',
      }),
    ],
    { submit: 'Save', privateMetadata: JSON.stringify(metadata) },
  );
}

const ROUTES: Route[] = [
  [/^date/, NEXT.date, 'The date'],
  [/^startTime/, NEXT.startTime, 'The start time'],
  [/^venue/, NEXT.venue, 'The venue'],
  [/^companies\[(\d+)\]/, NEXT.companies, 'Company'],
  [/^companies/, NEXT.companies, 'The list'],
  [/^rsvpUrl/, NEXT.rsvpUrl, 'The RSVP link'],
  [/^notes/, NEXT.notes, 'The note'],
  [/^text/, NEXT.text, 'The paragraph'],
  [/^heading/, NEXT.heading, 'The heading'],
  [/^channels/, NEXT.channels, 'The channel list'],
];

export function readNextModal(values: StateValues, meetupDate: string): FormResult<NextMeetup> {
  const date = readDate(values, NEXT.date);
  // Shown together with any other field's error, so one submit reports everything to fix.
  const errors: Record<string, string> =
    date && date <= meetupDate
      ? { [NEXT.date]: `The next meetup must come after this one (${meetupDate}).` }
      : {};
  const input = {
    date,
    startTime: readTime(values, NEXT.startTime),
    venue: readText(values, NEXT.venue),
    companies: (readText(values, NEXT.companies) ?? '')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean),
    rsvpUrl: readText(values, NEXT.rsvpUrl),
    notes: readProse(values, NEXT.notes),
    heading: readText(values, NEXT.heading),
    text: readProse(values, NEXT.text),
    channels: readConversations(values, NEXT.channels),
    cancelled: false,
  };
  const checked = check(nextMeetupSchema, input);
  if (!checked.ok) {
    const { route, describe } = routeProblem(ROUTES);
    return {
      ok: false,
      errors: { ...errorsFromProblems(checked.problems, route, NEXT.date, describe), ...errors },
    };
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: checked.value };
}
