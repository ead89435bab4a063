import type { KnownBlock, ModalView } from '@slack/types';
import type { EventDetails } from '../../import/ical';
import { escapeMrkdwn } from '../../render/slack-preview';
import { actionIdOf, type StateValues } from './form';
import { CALENDAR, MEETUP, NEXT } from './ids';

/**
 * A form's "fill in from the calendar link" as pure functions over its view: the link field and its button,
 * and the same form again with what the calendar said put into the fields the form maps to it, everything
 * the organiser had typed kept (copied from the view's state into initial values), and a note under the
 * link saying what happened.
 */

/** What a form field takes from the calendar: one of its details, or 'place' (venue and address in one). */
export type CalendarField = keyof EventDetails | 'place';
/** Block id of an input in the form -> what it is filled with. */
export type CalendarFillMapping = Record<string, CalendarField>;

/**
 * The meetup form's first step: its date, start time and venue from the calendar (the post names the
 * venue, not its street; "where it was" is the city, on a later step, and stays the organiser's to say).
 */
export const MEETUP_CALENDAR_FIELDS: CalendarFillMapping = {
  [MEETUP.date]: 'date',
  [MEETUP.startTime]: 'startTime',
  [MEETUP.venue]: 'venue',
};

/** The next-meetup form: its date, start time, venue (with the address, as people need it) and RSVP link. */
export const NEXT_CALENDAR_FIELDS: CalendarFillMapping = {
  [NEXT.date]: 'date',
  [NEXT.startTime]: 'startTime',
  [NEXT.venue]: 'place',
  [NEXT.rsvpUrl]: 'rsvpUrl',
};

/** The context block under the link: the error, or what was filled in. */
export const CALENDAR_NOTE_BLOCK = `${CALENDAR.link}_note`;

/** The link field and its button, to put in a form. */
export function calendarLinkBlocks(o: { initial?: string } = {}): KnownBlock[] {
  return [
    {
      type: 'input',
      block_id: CALENDAR.link,
      optional: true,
      label: { type: 'plain_text', text: 'Calendar link (.ics)', emoji: true },
      hint: {
        type: 'plain_text',
        text: "The event's or the group's iCal link on Meetup, or the event's .ics link on Luma.",
        emoji: true,
      },
      element: {
        type: 'url_text_input',
        action_id: actionIdOf(CALENDAR.link),
        ...(o.initial ? { initial_value: o.initial } : {}),
      },
    },
    {
      type: 'actions',
      block_id: CALENDAR.fill,
      elements: [
        {
          type: 'button',
          action_id: CALENDAR.fill,
          text: { type: 'plain_text', text: 'Fill in from the calendar link', emoji: true },
        },
      ],
    },
  ];
}

/** The link as typed, if any. */
export function readCalendarLink(
  values: StateValues | Record<string, Record<string, object>>,
): string | undefined {
  const state = values[CALENDAR.link]?.[actionIdOf(CALENDAR.link)] as { value?: string | null } | undefined;
  const link = state?.value?.trim();
  return link ? link : undefined;
}

/** The parts of a view (as Slack sends it back in a payload) that views.update takes. */
export interface ViewLike {
  type: string;
  title?: unknown;
  blocks: unknown[];
  close?: unknown;
  submit?: unknown;
  private_metadata?: string;
  callback_id?: string;
  clear_on_close?: boolean;
  notify_on_close?: boolean;
  external_id?: string;
}

/**
 * The view again, with what was typed kept and, after reading the calendar, either its details in the
 * mapped fields (a detail the calendar does not have leaves its field as typed) or `error` under the link.
 */
export function buildCalendarFilledView(
  view: ViewLike,
  /** `view.state.values`, as Slack sends them. */
  values: StateValues | Record<string, Record<string, object>>,
  mapping: CalendarFillMapping,
  outcome: { details: EventDetails } | { error: string },
): ModalView {
  const blocks = (structuredClone(view.blocks) as Block[]).filter((b) => b.block_id !== CALENDAR_NOTE_BLOCK);
  for (const block of blocks) {
    for (const element of elementsOf(block)) {
      const state =
        element.action_id && block.block_id ? values[block.block_id]?.[element.action_id] : undefined;
      if (state) keepTyped(element, state as unknown as Record<string, unknown>);
    }
  }
  if ('details' in outcome) {
    for (const block of blocks) {
      const field = block.type === 'input' && block.block_id ? mapping[block.block_id] : undefined;
      const value = field ? detailOf(outcome.details, field) : undefined;
      if (block.element && value !== undefined) fill(block.element, value);
    }
  }
  const at = blocks.findIndex((b) => b.block_id === CALENDAR.link);
  const note = noteBlock(outcome) as unknown as Block;
  // Under the link's button when there is one, else under the link.
  const after = blocks[at + 1]?.block_id === CALENDAR.fill ? at + 1 : at;
  if (at >= 0) blocks.splice(after + 1, 0, note);
  else blocks.unshift(note);

  return {
    type: 'modal',
    callback_id: view.callback_id ?? '',
    title: view.title as ModalView['title'],
    blocks: blocks as unknown as KnownBlock[],
    ...(view.submit ? { submit: view.submit as ModalView['submit'] } : {}),
    ...(view.close ? { close: view.close as ModalView['close'] } : {}),
    ...(view.private_metadata ? { private_metadata: view.private_metadata } : {}),
    ...(view.clear_on_close ? { clear_on_close: true } : {}),
    ...(view.notify_on_close ? { notify_on_close: true } : {}),
    ...(view.external_id ? { external_id: view.external_id } : {}),
  };
}

type Element = Record<string, unknown> & { type?: string; action_id?: string };
type Block = Record<string, unknown> & {
  type?: string;
  block_id?: string;
  element?: Element;
  elements?: Element[];
  accessory?: Element;
};

function elementsOf(block: Block): Element[] {
  if (block.type === 'input' && block.element) return [block.element];
  if (block.type === 'actions' && Array.isArray(block.elements)) return block.elements;
  if (block.type === 'section' && block.accessory) return [block.accessory];
  return [];
}

/** Each element type's state, as the initial value that shows it again. */
const KEEP: Array<[state: string, initial: string]> = [
  ['value', 'initial_value'],
  ['rich_text_value', 'initial_value'],
  ['selected_date', 'initial_date'],
  ['selected_time', 'initial_time'],
  ['selected_date_time', 'initial_date_time'],
  ['selected_option', 'initial_option'],
  ['selected_options', 'initial_options'],
  ['selected_user', 'initial_user'],
  ['selected_users', 'initial_users'],
  ['selected_conversation', 'initial_conversation'],
  ['selected_conversations', 'initial_conversations'],
  ['selected_channel', 'initial_channel'],
  ['selected_channels', 'initial_channels'],
];

function keepTyped(element: Element, state: Record<string, unknown>): void {
  for (const [from, to] of KEEP) {
    if (!(from in state)) continue;
    const value = state[from];
    // Emptied by the person: the field shows empty again, not what it started with.
    const empty =
      value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length);
    if (empty) delete element[to];
    else element[to] = value;
  }
}

function fill(element: Element, value: string): void {
  switch (element.type) {
    case 'datepicker':
      element.initial_date = value;
      return;
    case 'timepicker':
      element.initial_time = value;
      return;
    case 'plain_text_input':
    case 'url_text_input':
      element.initial_value = value;
      return;
  }
}

function detailOf(details: EventDetails, field: CalendarField): string | undefined {
  if (field === 'place') {
    const parts = [details.venue, details.address].filter(Boolean);
    return parts.length ? parts.join(', ') : undefined;
  }
  return details[field];
}

function noteBlock(outcome: { details: EventDetails } | { error: string }): KnownBlock {
  const text =
    'error' in outcome
      ? `:warning: ${escapeMrkdwn(outcome.error)}`
      : `:calendar: Filled in from ${outcome.details.title ? `“${escapeMrkdwn(outcome.details.title)}”` : 'the calendar'}: check the fields before saving.`;
  return { type: 'context', block_id: CALENDAR_NOTE_BLOCK, elements: [{ type: 'mrkdwn', text }] };
}
