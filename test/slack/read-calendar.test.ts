import fs from 'node:fs';
import path from 'node:path';
import { WebClient } from '@slack/web-api';
import { readEventPage } from '../../src/services/event-page';
import { fetchPublic } from '../../src/services/safe-fetch';
import { registerCalendarFill } from '../../src/slack/listeners/actions/read-calendar';
import {
  CALENDAR_NOTE_BLOCK,
  type CalendarFillMapping,
  calendarLinkBlocks,
} from '../../src/slack/views/calendar-fill';
import { datePicker, modal, textInput, timePicker, usersSelect } from '../../src/slack/views/form';
import { CALENDAR, MEETUP, NEXT } from '../../src/slack/views/ids';
import { FAKE_DEFAULTS, type OpenedView, openedView, stateValues, TestBot } from '../support/bot';
import { EventsServer } from '../support/events-server';
import type { Json } from '../support/fake-slack';
import { loadRoundup } from '../support/fixtures';
import { setupValues } from '../support/organiser-evening';
import { blockActionsPayload, input, interactionBody, type StateValue } from '../support/slack-requests';

/**
 * "Fill in from the calendar link", end to end: a form of the test's own with the link, the button and the
 * fields a meetup form has, opened through the fake Slack; the click reads the Meetup-style feed from the
 * local https server and the form comes back filled in, or with the error under the link, and nothing
 * typed is lost.
 */

const CALLBACK_ID = 'calendar_test_modal';
const INTRO = 'calendar_test_intro';
const HOSTS = 'calendar_test_hosts';
const mapping: CalendarFillMapping = {
  [MEETUP.date]: 'date',
  [MEETUP.startTime]: 'startTime',
  [MEETUP.venue]: 'venue',
  [MEETUP.location]: 'address',
  [NEXT.rsvpUrl]: 'rsvpUrl',
};
const feed = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'ical', 'meetup-group.ics'), 'utf8');

let bot: TestBot;
let events: EventsServer;

beforeEach(async () => {
  events = await EventsServer.start();
  events.serve('/london-typescript/events/ical/', feed);
  events.serve('/london-typescript/', '<!doctype html><title>London TypeScript</title>', 'text/html');
  bot = await TestBot.start({ now: () => new Date('2026-03-01T12:00:00Z') });
  const organisers = bot.slack.addChannel({ name: 'organisers', isPrivate: true });
  const setup = await bot.submit(
    await bot.open('setup'),
    setupValues(loadRoundup('2018-11-cloud-native-london'), organisers, FAKE_DEFAULTS.userId),
  );
  expect(setup.status).toBe(200);
  registerCalendarFill(bot.bot.app, bot.bot.deps, {
    callbackId: CALLBACK_ID,
    mapping,
    // The test seam: the local server's name and certificate; every other rule as in production.
    readEventPage: (url, o) =>
      readEventPage(url, {
        ...o,
        fetch: (u, fo) =>
          fetchPublic(u, { ...fo, ...events.fetchOptions({ 'internal.test': ['10.0.0.9'] }) }),
      }),
  });
});

afterEach(async () => {
  await bot.stop();
  await events.stop();
});

/** The form, opened by the bot's own Slack client with a trigger id, as a command would. */
async function openForm(): Promise<OpenedView> {
  const client = new WebClient(bot.slack.botToken, {
    slackApiUrl: bot.slack.apiUrl,
    retryConfig: { retries: 0 },
  });
  const triggerId = bot.slack.issueTriggerId();
  await client.views.open({
    trigger_id: triggerId,
    view: modal(
      CALLBACK_ID,
      'New meetup',
      [
        ...calendarLinkBlocks(),
        datePicker(MEETUP.date, 'Date'),
        timePicker(MEETUP.startTime, 'Start time', { optional: true }),
        textInput(MEETUP.venue, 'Venue', { optional: true }),
        textInput(MEETUP.location, 'Address', { optional: true }),
        textInput(NEXT.rsvpUrl, 'RSVP link', { optional: true }),
        textInput(INTRO, 'Intro', {
          optional: true,
          multiline: true,
          initial: 'Written when the form opened',
        }),
        usersSelect(HOSTS, 'Hosts', { optional: true }),
      ],
      { submit: 'Save' },
    ),
  });
  return bot.viewOpenedWith(triggerId);
}

/** Press the button in `view` with `values` typed, as Slack sends it: the view with its blocks and state. */
async function pressFill(view: OpenedView, values: Record<string, StateValue>): Promise<OpenedView> {
  const before = bot.slack.callsTo('views.update').length;
  const payload = blockActionsPayload({
    actionId: CALENDAR.fill,
    blockId: CALENDAR.fill,
    triggerId: bot.slack.issueTriggerId({ viewId: view.id }),
    view: {
      id: view.id,
      callback_id: view.callbackId,
      private_metadata: view.privateMetadata,
      hash: view.hash,
      title: view.view.title,
      submit: view.view.submit,
      close: view.view.close,
      blocks: view.view.blocks,
      state: { values: stateValues(values) },
    },
  });
  const reply = await bot.post(interactionBody(payload));
  expect(reply.status).toBe(200);
  await bot.settled();
  const update = await bot.slack.waitForCall(
    'views.update',
    (c) => c.args.view_id === view.id && bot.slack.callsTo('views.update').indexOf(c) >= before,
  );
  expect(update.status).toBe(200);
  return openedView(update);
}

type Block = { block_id?: string; type: string; element?: Json; elements?: Json[] };
const blocksOf = (view: OpenedView) => view.view.blocks as Block[];
const elementOf = (view: OpenedView, blockId: string) =>
  (blocksOf(view).find((b) => b.block_id === blockId)?.element ?? {}) as Record<string, unknown>;
const noteOf = (view: OpenedView) => {
  const blocks = blocksOf(view);
  const at = blocks.findIndex((b) => b.block_id === CALENDAR_NOTE_BLOCK);
  return {
    text: (blocks[at]?.elements?.[0] as { text?: string } | undefined)?.text,
    after: blocks[at - 1]?.block_id,
  };
};

describe('Fill in from the calendar link', () => {
  it('fills the date, time, venue, address and RSVP link from the next event of a Meetup feed, keeping what was typed', async () => {
    const form = await openForm();
    const filled = await pressFill(form, {
      [CALENDAR.link]: input.url(events.url('/london-typescript/events/ical/')),
      [MEETUP.venue]: input.text('Somewhere I typed'),
      [INTRO]: input.text('An intro I typed'),
      [HOSTS]: input.users(['U0HOST0001']),
    });

    expect(elementOf(filled, MEETUP.date).initial_date).toBe('2026-03-24');
    expect(elementOf(filled, MEETUP.startTime).initial_time).toBe('18:30');
    expect(elementOf(filled, MEETUP.venue).initial_value).toBe('The Office Group, Thomas House');
    expect(elementOf(filled, MEETUP.location).initial_value).toBe('84 Eccleston Square, London SW1V 1PX');
    expect(elementOf(filled, NEXT.rsvpUrl).initial_value).toBe(
      'https://www.meetup.com/london-typescript/events/313000002/',
    );
    // Everything else as typed, the link included.
    expect(elementOf(filled, INTRO).initial_value).toBe('An intro I typed');
    expect(elementOf(filled, HOSTS).initial_users).toEqual(['U0HOST0001']);
    expect(elementOf(filled, CALENDAR.link).initial_value).toBe(
      events.url('/london-typescript/events/ical/'),
    );
    expect(noteOf(filled)).toEqual({
      text: ':calendar: Filled in from “March talks: compilers, bundlers &amp; you”: check the fields before saving.',
      after: CALENDAR.fill,
    });
    expect(filled.callbackId).toBe(CALLBACK_ID);
    expect(events.connections).toBe(1);
  });

  it('shows a private address as an error under the link, connects to nothing, and keeps what was typed', async () => {
    const form = await openForm();
    const refused = await pressFill(form, {
      [CALENDAR.link]: input.url(`https://internal.test:${events.port}/london-typescript/events/ical/`),
      [MEETUP.date]: input.date('2026-05-05'),
      [MEETUP.venue]: input.text('Somewhere I typed'),
      [INTRO]: input.text(null),
    });
    expect(noteOf(refused)).toEqual({
      text: ':warning: That address is on a private network: roundup only reads public event pages',
      after: CALENDAR.fill,
    });
    expect(elementOf(refused, MEETUP.date).initial_date).toBe('2026-05-05');
    expect(elementOf(refused, MEETUP.venue).initial_value).toBe('Somewhere I typed');
    // Emptied by the organiser: stays empty rather than coming back as it was opened.
    expect(elementOf(refused, INTRO).initial_value).toBeUndefined();
    expect(events.connections).toBe(0);
  });

  it('replaces the error with the filled-in note once a calendar link works', async () => {
    const form = await openForm();
    const notCalendar = await pressFill(form, {
      [CALENDAR.link]: input.url(events.url('/london-typescript/')),
    });
    expect(noteOf(notCalendar).text).toMatch(
      /^:warning: That link is not a calendar \(\.ics\) file: on Meetup use /,
    );

    const filled = await pressFill(notCalendar, {
      [CALENDAR.link]: input.url(events.url('/london-typescript/events/ical/')),
    });
    expect(blocksOf(filled).filter((b) => b.block_id === CALENDAR_NOTE_BLOCK)).toHaveLength(1);
    expect(noteOf(filled).text).toMatch(/^:calendar: Filled in from/);
    expect(elementOf(filled, MEETUP.date).initial_date).toBe('2026-03-24');
  });

  it('asks for the link when none was typed', async () => {
    const form = await openForm();
    const asked = await pressFill(form, { [CALENDAR.link]: input.url(null) });
    expect(noteOf(asked).text).toBe(
      ":warning: Paste the event's calendar (.ics) link first, then press the button again",
    );
    expect(events.connections).toBe(0);
  });
});
