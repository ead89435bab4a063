import {
  buildCalendarFilledView,
  CALENDAR_NOTE_BLOCK,
  calendarLinkBlocks,
  NEXT_CALENDAR_FIELDS,
  readCalendarLink,
} from '../../../src/slack/views/calendar-fill';
import {
  datePicker,
  modal,
  multiStaticSelect,
  option,
  staticSelect,
  textInput,
  timePicker,
} from '../../../src/slack/views/form';
import { CALENDAR, CALLBACK, NEXT } from '../../../src/slack/views/ids';
import { stateValues } from '../../support/bot';
import { input } from '../../support/slack-requests';

type Block = { block_id?: string; element?: Record<string, unknown>; elements?: Array<{ text?: string }> };

const form = () =>
  modal(
    CALLBACK.next,
    'Next meetup',
    [
      ...calendarLinkBlocks(),
      datePicker(NEXT.date, 'Date', { initial: '2026-01-01' }),
      timePicker(NEXT.startTime, 'Start time', { optional: true }),
      textInput(NEXT.venue, 'Venue', { optional: true }),
      textInput(NEXT.rsvpUrl, 'RSVP link', { optional: true }),
      staticSelect('kind', 'Kind', [option('talks', 'Talks'), option('social', 'Social')]),
      multiStaticSelect('extras', 'Extras', [option('pizza', 'Pizza')], { initial: ['pizza'] }),
    ],
    { submit: 'Save', privateMetadata: '{"meetupId":"m1"}' },
  );

const find = (blocks: unknown[], id: string) => (blocks as Block[]).find((b) => b.block_id === id);

describe('buildCalendarFilledView', () => {
  it("puts the next meetup's details in its fields, the venue with its address, and keeps every other choice", () => {
    const values = stateValues({
      [CALENDAR.link]: input.url('https://luma.com/ts-night-oct.ics'),
      [NEXT.date]: input.date('2026-02-02'),
      kind: input.staticSelect('social', 'Social'),
      extras: { type: 'multi_static_select', selected_options: [] },
    });
    const view = buildCalendarFilledView(
      { ...form(), blocks: form().blocks as unknown[] },
      values,
      NEXT_CALENDAR_FIELDS,
      {
        details: {
          date: '2026-10-15',
          startTime: '18:00',
          venue: 'Second Home',
          address: '68 Hanbury Street, London',
          rsvpUrl: 'https://luma.com/ts-night-oct',
        },
      },
    );
    expect(find(view.blocks, NEXT.date)?.element?.initial_date).toBe('2026-10-15');
    expect(find(view.blocks, NEXT.startTime)?.element?.initial_time).toBe('18:00');
    expect(find(view.blocks, NEXT.venue)?.element?.initial_value).toBe(
      'Second Home, 68 Hanbury Street, London',
    );
    expect(find(view.blocks, NEXT.rsvpUrl)?.element?.initial_value).toBe('https://luma.com/ts-night-oct');
    expect(find(view.blocks, 'kind')?.element?.initial_option).toMatchObject({ value: 'social' });
    expect(find(view.blocks, 'extras')?.element?.initial_options).toBeUndefined();
    expect(view).toMatchObject({ callback_id: CALLBACK.next, private_metadata: '{"meetupId":"m1"}' });
  });

  it('leaves a field as typed when the calendar lacks that detail, and shows one note however often it runs', () => {
    const values = stateValues({ [NEXT.startTime]: input.time('19:00') });
    const once = buildCalendarFilledView(
      { ...form(), blocks: form().blocks as unknown[] },
      values,
      NEXT_CALENDAR_FIELDS,
      { error: 'first' },
    );
    const twice = buildCalendarFilledView(
      { ...once, blocks: once.blocks as unknown[] },
      values,
      NEXT_CALENDAR_FIELDS,
      { details: { date: '2026-11-07' } },
    );
    expect(find(twice.blocks, NEXT.startTime)?.element?.initial_time).toBe('19:00');
    const notes = (twice.blocks as Block[]).filter((b) => b.block_id === CALENDAR_NOTE_BLOCK);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.elements?.[0]?.text).toBe(
      ':calendar: Filled in from the calendar: check the fields before saving.',
    );
  });

  it('escapes the error for mrkdwn', () => {
    const view = buildCalendarFilledView(
      { ...form(), blocks: form().blocks as unknown[] },
      {},
      NEXT_CALENDAR_FIELDS,
      { error: 'a <b> & c' },
    );
    expect(find(view.blocks, CALENDAR_NOTE_BLOCK)?.elements?.[0]?.text).toBe(':warning: a &lt;b&gt; &amp; c');
  });
});

describe('readCalendarLink', () => {
  it('is the typed link, trimmed, or nothing', () => {
    expect(readCalendarLink(stateValues({ [CALENDAR.link]: input.url(' https://x.test/a.ics ') }))).toBe(
      'https://x.test/a.ics',
    );
    expect(readCalendarLink(stateValues({ [CALENDAR.link]: input.url(null) }))).toBeUndefined();
    expect(readCalendarLink({})).toBeUndefined();
  });
});
