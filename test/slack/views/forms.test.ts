import type { ModalView } from '@slack/types';
import {
  type Meetup,
  meetupSchema,
  type NextMeetup,
  type Talk,
  talkSchema,
} from '../../../src/domain/meetup';
import { actionIdOf, partBlockId, type StateValues } from '../../../src/slack/views/form';
import { MEETUP, NEXT, PHOTO, SETUP, TALK } from '../../../src/slack/views/ids';
import { buildMeetupForm, type MeetupDetails, readMeetupModal } from '../../../src/slack/views/meetup-modal';
import { buildNextForm, readNextModal } from '../../../src/slack/views/next-modal';
import { buildPhotoModal, readPhotoModal } from '../../../src/slack/views/photo-modal';
import { takeawaysToRichText } from '../../../src/slack/views/rich-text';
import { buildSetupForm, readSetupModal } from '../../../src/slack/views/setup-modal';
import { buildTalkForm, readTalkModal } from '../../../src/slack/views/talk-modal';
import { fullGroup, fullMeetup } from '../../store/fixtures';
import { loadRoundup } from '../../support/fixtures';
import { input, type StateValue } from '../../support/slack-requests';
import { inputBlocksOf, untouched } from '../../support/views';

const ORGANISER = 'U012ABCDEF';

type Json = Record<string, unknown>;

function inputBlocks(view: ModalView) {
  return inputBlocksOf(view as unknown as Json);
}

/**
 * `state.values` as Slack reports them when the modal is submitted: every input as it was opened, except the
 * blocks in `changes`, which the user edited. A change to a block the modal lacks is a mistake in the test.
 */
function submit(view: ModalView, changes: Record<string, StateValue> = {}): StateValues {
  const blocks = inputBlocks(view);
  for (const blockId of Object.keys(changes)) {
    if (!blocks.some((b) => b.block_id === blockId)) throw new Error(`the modal has no block ${blockId}`);
  }
  return Object.fromEntries(
    blocks.map((b) => [
      b.block_id,
      { [b.element.action_id as string]: changes[b.block_id] ?? untouched(b.element) },
    ]),
  ) as unknown as StateValues;
}

/** The limits past which Slack refuses to open the modal at all. */
function expectSlackToAcceptIt(view: ModalView): void {
  expect(view.blocks.length).toBeLessThanOrEqual(100);
  expect(view.title.text.length).toBeLessThanOrEqual(24);
  for (const button of [view.submit, view.close]) expect(button?.text.length ?? 0).toBeLessThanOrEqual(24);
  expect((view.private_metadata ?? '').length).toBeLessThanOrEqual(3000);

  const ids = view.blocks.flatMap((b) => (b.block_id ? [b.block_id] : []));
  expect(new Set(ids).size).toBe(ids.length);

  for (const block of inputBlocks(view)) {
    const { element } = block;
    expect((block.label.text as string).length).toBeLessThanOrEqual(2000);
    expect(((block.hint as Json | undefined)?.text as string | undefined)?.length ?? 0).toBeLessThanOrEqual(
      2000,
    );
    // The readers find each value by block id: the element's action id must be the block id + `_input`.
    expect(element.action_id).toBe(actionIdOf(block.block_id));
    expect(
      ((element.placeholder as Json | undefined)?.text as string | undefined)?.length ?? 0,
    ).toBeLessThanOrEqual(150);
    const options = (element.options as Array<{ text: { text: string }; value: string }> | undefined) ?? [];
    expect(options.length).toBeLessThanOrEqual(100);
    for (const o of options) {
      expect(o.text.text.length).toBeLessThanOrEqual(75);
      expect(o.value.length).toBeLessThanOrEqual(150);
    }
    const initial = element.initial_value as string | object | undefined;
    // A plain text's initial value (a rich text's is a block, which Slack bounds by the view's size).
    if (typeof initial === 'string') {
      expect(initial.length).toBeLessThanOrEqual((element.max_length as number | undefined) ?? 3000);
    }
  }
}

function blockIds(view: ModalView): string[] {
  return inputBlocks(view).map((b) => b.block_id);
}

function labelOf(view: ModalView, blockId: string): string | undefined {
  return inputBlocks(view).find((b) => b.block_id === blockId)?.label.text as string | undefined;
}

function accepted<T>(result: { ok: true; value: T } | { ok: false; errors: Record<string, string> }): T {
  if (!result.ok) throw new Error(`expected the form to be accepted, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

function refused(
  result: { ok: true } | { ok: false; errors: Record<string, string> },
): Record<string, string> {
  if (result.ok) throw new Error('expected the form to be refused');
  return result.errors;
}

const tooLong = (n: number) => 'x'.repeat(n + 1);

// -----------------------------------------------------------------------------------------------------------

describe('the talk modal', () => {
  const metadata = { meetupId: 'M1', talkId: 'T1' };
  /** Two speakers, a link, labelled links, takeaways three levels deep, an uploaded photo, a lead. */
  const fullTalk = (): Talk => fullMeetup().talks[0] as Talk;
  const openFor = (current?: Talk, asked = false) =>
    buildTalkForm({ metadata: { ...metadata, asked }, current, meetupLabel: 'the March 2019 meetup' });

  it('reads a full talk back unchanged when saved as opened', () => {
    const view = openFor(fullTalk());

    const form = accepted(readTalkModal(submit(view), fullTalk(), false));

    expect(form.talk).toEqual(fullTalk());
    expect(form).not.toHaveProperty('photoFile');
  });

  it('reads a talk whose photo is a link back unchanged', () => {
    const talk = loadRoundup('2018-11-cloud-native-london').meetup.talks[1] as Talk;
    expect(accepted(readTalkModal(submit(openFor(talk)), talk, false)).talk).toEqual(talk);
  });

  it("keeps the organisers' lead sentence, which an asked speaker's form does not show", () => {
    const view = openFor(fullTalk(), true);
    expect(blockIds(view)).not.toContain(TALK.lead);
    expect(view.title.text).toBe('Your talk');

    const form = accepted(
      readTalkModal(submit(view, { [TALK.title]: input.text('Engines, revised') }), fullTalk(), true),
    );

    expect(form.talk).toEqual({ ...fullTalk(), title: 'Engines, revised' });
    expect(form.talk.lead).toBe('{who} started us off with {title}.');
  });

  it('reads what is typed into a blank form as the talk', () => {
    // Two more speaker rows, as "Add a speaker" twice draws them.
    const view = buildTalkForm({ metadata: { meetupId: 'M1', speakerRows: 3 }, meetupLabel: 'the meetup' });
    expect(view.title.text).toBe('Add a talk');

    const form = accepted(
      readTalkModal(
        submit(view, {
          [TALK.speaker]: input.text('Tom Wilkie'),
          [TALK.company]: input.text('Grafana Labs'),
          [TALK.pronouns]: input.staticSelect('he'),
          [partBlockId(TALK.speaker, 2)]: input.text('Goutham Veeramachaneni'),
          [partBlockId(TALK.company, 2)]: input.text('Grafana Labs'),
          [partBlockId(TALK.speaker, 3)]: input.text('Bryan Boreham'),
          [TALK.title]: input.text('Cortex'),
          [TALK.takeaways]: input.text('- Cortex scales Prometheus\n  - horizontally\n- It is in the CNCF'),
          [TALK.link]: input.text('https://www.youtube.com/watch?v=abc&t=120'),
          [TALK.links]: input.text('https://example.com/slides.pdf'),
          [TALK.photoFile]: input.files([{ id: 'F0PHOTO001', name: 'tom.jpg' }]),
        }),
        undefined,
        false,
      ),
    );

    expect(form.talk).toEqual(
      talkSchema.parse({
        speakers: [
          { name: 'Tom Wilkie', company: 'Grafana Labs', pronouns: 'he' },
          { name: 'Goutham Veeramachaneni', company: 'Grafana Labs' },
          { name: 'Bryan Boreham' },
        ],
        title: 'Cortex',
        // The link kind is preset to a video.
        link: { url: 'https://www.youtube.com/watch?v=abc&t=120', kind: 'video' },
        // A link on its own line gets the default label.
        links: [{ url: 'https://example.com/slides.pdf' }],
        takeaways: [{ text: 'Cortex scales Prometheus', items: ['horizontally'] }, 'It is in the CNCF'],
        photo: { slackFile: { id: 'F0PHOTO001', name: 'tom.jpg' } },
      }),
    );
    expect(form.photoFile?.id).toBe('F0PHOTO001');
  });

  it.each([
    ['a blank form', undefined, false],
    ['a full talk', fullMeetup().talks[0], false],
    ["an asked speaker's form", fullMeetup().talks[0], true],
  ])('is a modal Slack accepts, for %s', (_name, current, asked) => {
    const view = openFor(current, asked);
    expectSlackToAcceptIt(view);
    expect(view.title.text).toBe(asked ? 'Your talk' : current ? 'Edit the talk' : 'Add a talk');
  });

  describe('puts each problem under its own field, in a sentence naming it', () => {
    const read = (changes: Record<string, StateValue>) =>
      refused(readTalkModal(submit(openFor(fullTalk()), changes), fullTalk(), false));

    it('a takeaway that is too long, counted as a takeaway and not as a line', () => {
      const takeaways = `First\n  under the first\n${tooLong(1000)}\nThird`;
      expect(read({ [TALK.takeaways]: input.text(takeaways) })).toEqual({
        [TALK.takeaways]: 'Takeaway 2 is longer than 1000 characters.',
      });
    });

    it('takeaways nested four levels deep', () => {
      expect(read({ [TALK.takeaways]: input.text('One\n  Two\n    Three\n      Four') })).toEqual({
        [TALK.takeaways]: 'Line 4 nests more than 3 levels deep.',
      });
    });

    it('a missing name and title', () => {
      expect(read({ [TALK.speaker]: input.text(null), [TALK.title]: input.text('  ') })).toEqual({
        [TALK.speaker]: 'The name is missing.',
        [TALK.title]: 'The title is missing.',
      });
    });

    it('another speaker without a name, or with one too long, under that speaker’s row', () => {
      expect(
        read({
          [partBlockId(TALK.speaker, 2)]: input.text(null),
          [partBlockId(TALK.company, 2)]: input.text('A'),
        }),
      ).toEqual({ [partBlockId(TALK.speaker, 2)]: 'Speaker 2 is missing.' });
      expect(read({ [partBlockId(TALK.speaker, 2)]: input.text(tooLong(100)) })).toEqual({
        [partBlockId(TALK.speaker, 2)]: 'Speaker 2 is longer than 100 characters.',
      });
    });

    it('links that are not web addresses', () => {
      expect(read({ [TALK.link]: input.text('youtube.com/watch?v=abc') })).toEqual({
        [TALK.link]: 'The link must be a full web address starting with https:// or http://.',
      });
      expect(
        read({ [TALK.links]: input.text('Code | https://x.example/\nSlides | slides.example') }),
      ).toEqual({
        [TALK.links]: 'Link 2 must be a full web address starting with https:// or http://.',
      });
      expect(read({ [TALK.links]: input.text('Slides') })).toEqual({
        [TALK.links]: 'Line 1 has no link; write "Label | https://…".',
      });
      expect(read({ [TALK.photoUrl]: input.text('photo.jpg') })).toEqual({
        [TALK.photoUrl]: 'The photo link must be a full web address starting with https:// or http://.',
      });
    });

    it('a lead sentence using a placeholder it cannot fill', () => {
      expect(read({ [TALK.lead]: input.text('{who} on {date}') })[TALK.lead]).toMatch(
        /^The sentence uses \{date\}, which is not a placeholder here; use \{who\}, /,
      );
    });

    it('problems in several fields at once', () => {
      expect(
        Object.keys(
          read({ [TALK.title]: input.text(null), [TALK.links]: input.text('no link here') }),
        ).sort(),
      ).toEqual([TALK.links, TALK.title].sort());
    });
  });
});

// -----------------------------------------------------------------------------------------------------------

describe('the meetup modal', () => {
  const roster = fullGroup().sponsors; // StorageOS (with its website), Pusher
  const today = '2019-03-01';
  /** A meetup as the Slack forms can make it: venue, host, intro, roster sponsors, uploaded header photo. */
  const current = (changes: Partial<Meetup> = {}): Meetup & { id: string } => {
    const { role: _role, ...host } = fullMeetup().host ?? { name: '' };
    return { ...fullMeetup(), host, sponsors: roster, id: 'M1', ...changes };
  };
  const detailsOf = (m: Meetup): MeetupDetails => ({
    date: m.date,
    startTime: m.startTime,
    venue: m.venue,
    host: m.host,
    intro: m.intro,
    sponsors: m.sponsors,
    headerPhoto: m.headerPhoto,
    video: m.video,
    extras: m.extras,
    sentences: m.sentences,
  });

  it('reads a meetup back unchanged when saved as opened', () => {
    const view = buildMeetupForm({ current: current(), roster, today });

    const form = accepted(readMeetupModal(submit(view), roster, current()));

    expect(form.details).toEqual(detailsOf(current()));
    expect(form.newSponsors).toEqual([]);
    expect(form).not.toHaveProperty('headerFile');
  });

  it('reads a returning venue and a header photo given as a link with its description back unchanged', () => {
    const meetup = current({
      venue: { name: 'Entrepreneur First', url: 'https://www.joinef.com/', returning: true },
      headerPhoto: { role: 'header', url: 'https://example.com/crowd.jpg', alt: 'A packed room' },
    });
    const view = buildMeetupForm({ current: meetup, roster, today });

    expect(accepted(readMeetupModal(submit(view), roster, meetup)).details).toEqual(detailsOf(meetup));
  });

  it('adds a sponsor typed in to the night and to the roster, and matches a roster name typed again', () => {
    const meetup = current({ sponsors: [{ name: 'Pusher' }] });
    const view = buildMeetupForm({ current: meetup, roster, today });

    const form = accepted(
      readMeetupModal(
        submit(view, {
          [MEETUP.newSponsors]: input.text('Contino | https://www.contino.io/\nstorageos'),
        }),
        roster,
        meetup,
      ),
    );

    expect(form.details.sponsors).toEqual([
      { name: 'Pusher' },
      { name: 'Contino', url: 'https://www.contino.io/' },
      { name: 'StorageOS', url: 'https://storageos.com/' },
    ]);
    expect(form.newSponsors).toEqual([{ name: 'Contino', url: 'https://www.contino.io/' }]);
  });

  it('offers the roster to pick from, with the night’s sponsors picked', () => {
    const view = buildMeetupForm({ current: current({ sponsors: [{ name: 'Pusher' }] }), roster, today });
    const picker = inputBlocks(view).find((b) => b.block_id === MEETUP.sponsors)?.element ?? {};
    expect((picker.options as Array<{ value: string }>).map((o) => o.value)).toEqual(['StorageOS', 'Pusher']);
    expect((picker.initial_options as Array<{ value: string }>).map((o) => o.value)).toEqual(['Pusher']);
  });

  it('opens blank on today at 18:30, asking for sponsors by name when there is no roster', () => {
    const view = buildMeetupForm({ roster: [], today });
    expect(view.title.text).toBe('New meetup');
    expect(blockIds(view)).not.toContain(MEETUP.sponsors);
    expect(labelOf(view, MEETUP.newSponsors)).toBe('Sponsors of the night');

    const form = accepted(readMeetupModal(submit(view), [], undefined));

    expect(form.details).toEqual(detailsOf(meetupSchema.parse({ date: today })));
  });

  it.each([
    ['a new meetup', undefined, []],
    ['the full meetup', current(), roster],
  ])('is a modal Slack accepts, for %s', (_name, meetup, sponsors) => {
    const view = buildMeetupForm({ current: meetup, roster: sponsors, today });
    expectSlackToAcceptIt(view);
    expect(view.title.text).toBe(meetup ? 'Edit the meetup' : 'New meetup');
  });

  describe('puts each problem under its own field, in a sentence naming it', () => {
    const read = (changes: Record<string, StateValue>) =>
      refused(readMeetupModal(submit(buildMeetupForm({ roster: [], today }), changes), [], undefined));

    it('a missing date', () => {
      expect(read({ [MEETUP.date]: input.date(null) })).toEqual({ [MEETUP.date]: 'The date is missing.' });
    });

    it("a venue's website without the venue, or not a web address", () => {
      expect(read({ [MEETUP.venueUrl]: input.text('https://www.joinef.com/') })).toEqual({
        [MEETUP.venue]: 'Name the venue whose website this is.',
      });
      expect(
        read({
          [MEETUP.venue]: input.text('Entrepreneur First'),
          [MEETUP.venueUrl]: input.text('joinef.com'),
        }),
      ).toEqual({
        [MEETUP.venueUrl]:
          'The venue’s website must be a full web address starting with https:// or http://.',
      });
    });

    it('where the host is from, without the host', () => {
      expect(read({ [MEETUP.hostFrom]: input.text('Docker London') })).toEqual({
        [MEETUP.host]: 'Name the host, or leave the host fields empty.',
      });
    });

    it('a sponsor typed in wrongly', () => {
      expect(read({ [MEETUP.newSponsors]: input.text('Pusher | pusher.com') })).toEqual({
        [MEETUP.newSponsors]: 'Sponsor 1 must be a full web address starting with https:// or http://.',
      });
      expect(read({ [MEETUP.newSponsors]: input.text('Pusher\n| https://pusher.com/') })).toEqual({
        [MEETUP.newSponsors]: 'Line 2 has a link but no name; write "Name | https://…".',
      });
    });

    it('links that are not web addresses', () => {
      expect(
        read({ [MEETUP.video]: input.text('youtu.be/abc'), [MEETUP.headerPhotoUrl]: input.text('x.jpg') }),
      ).toEqual({
        [MEETUP.video]: 'The video link must be a full web address starting with https:// or http://.',
        [MEETUP.headerPhotoUrl]:
          'The photo link must be a full web address starting with https:// or http://.',
      });
    });

    it('a paragraph after the talks using a placeholder, counted as a paragraph', () => {
      expect(read({ [MEETUP.extras]: input.text('We drew a prize.\n\nSee you in {month}!') })).toEqual({
        [MEETUP.extras]: 'Paragraph 2 uses {month}, but this text takes no placeholders.',
      });
    });
  });
});

// -----------------------------------------------------------------------------------------------------------

describe('the setup modal', () => {
  it('reads a group back unchanged when saved as opened', () => {
    const view = buildSetupForm(fullGroup(), ORGANISER);
    expect(accepted(readSetupModal(submit(view), ORGANISER, fullGroup()))).toEqual(fullGroup());
  });

  it('opens blank with the one setting it up as organiser, London time and the classic template', () => {
    const view = buildSetupForm(undefined, ORGANISER);

    const group = accepted(
      readSetupModal(
        submit(view, {
          [SETUP.name]: input.text('Cloud Native London'),
          [SETUP.signature]: input.text('Cheryl (@oicheryl)'),
          [SETUP.organisersChannel]: input.conversation('C0ORGANISE'),
          [SETUP.sponsors]: input.text('StorageOS | https://storageos.com/\n\nPusher'),
        }),
        ORGANISER,
        undefined,
      ),
    );

    expect(group).toEqual({
      name: 'Cloud Native London',
      timeZone: 'Europe/London',
      signature: 'Cheryl (@oicheryl)',
      organisers: [ORGANISER],
      organisersChannel: 'C0ORGANISE',
      communityChannels: [],
      template: 'classic',
      sponsors: [{ name: 'StorageOS', url: 'https://storageos.com/' }, { name: 'Pusher' }],
      // The default plan, shown in the form as three lines and read back.
      reminderPlan: [
        { daysBefore: 7, time: '10:00' },
        { daysBefore: 1, time: '10:00' },
        { daysBefore: 0, time: '09:00' },
      ],
    });
  });

  it.each([
    ['a new group', undefined],
    ['a full group', fullGroup()],
  ])('is a modal Slack accepts, for %s', (_name, group) => {
    const view = buildSetupForm(group, ORGANISER);
    expectSlackToAcceptIt(view);
    expect(view.title.text).toBe('Set up roundup');
  });

  describe('puts each problem under its own field, in a sentence naming it', () => {
    const read = (changes: Record<string, StateValue>) =>
      refused(
        readSetupModal(submit(buildSetupForm(fullGroup(), ORGANISER), changes), ORGANISER, fullGroup()),
      );

    it('missing answers on a blank form', () => {
      const view = buildSetupForm(undefined, ORGANISER);
      expect(refused(readSetupModal(submit(view), ORGANISER, undefined))).toEqual({
        [SETUP.name]: 'The group name is missing.',
        [SETUP.signature]: 'The signature is missing.',
        [SETUP.organisersChannel]: 'Pick the channel where drafts should be posted.',
      });
    });

    it('a time zone that does not exist', () => {
      expect(read({ [SETUP.timeZone]: input.externalSelect('Europe/Londn') })).toEqual({
        [SETUP.timeZone]:
          'The time zone must be an IANA time zone such as Europe/London or Pacific/Auckland.',
      });
    });

    it('organisers without the one saving', () => {
      expect(read({ [SETUP.organisers]: input.users(['U034GHIJKL']) })).toEqual({
        [SETUP.organisers]: 'Keep yourself in the list, or ask another organiser to make this change.',
      });
    });

    it('a sponsor on the roster written wrongly', () => {
      expect(read({ [SETUP.sponsors]: input.text('Pusher\nStorageOS | storageos.com') })).toEqual({
        [SETUP.sponsors]: 'Sponsor 2 must be a full web address starting with https:// or http://.',
      });
      expect(read({ [SETUP.sponsors]: input.text('Pusher\n\nhttps://storageos.com/') })).toEqual({
        [SETUP.sponsors]: 'Line 3 has a link but no name; write "Name | https://…".',
      });
    });
  });
});

// -----------------------------------------------------------------------------------------------------------

describe('the next-meetup modal', () => {
  const november = loadRoundup('2018-11-cloud-native-london').meetup;
  const next = (): NextMeetup => ({
    ...(november.next as NextMeetup),
    text: 'Join us on {date} at {venue}.',
  });
  const open = (current?: NextMeetup) =>
    buildNextForm({ meetupId: 'M1', current, timeZone: 'Europe/London' });

  it('reads the next meetup back unchanged when saved as opened, keeping its own paragraph', () => {
    expect(accepted(readNextModal(submit(open(next())), november.date))).toEqual(next());
  });

  it('opens blank with no start time, which may stay empty, until one is saved', () => {
    const picker = inputBlocks(open()).find((b) => b.block_id === NEXT.startTime);
    expect(picker?.optional).toBe(true);
    expect(picker?.element).not.toHaveProperty('initial_time');
    const form = accepted(
      readNextModal(submit(open(), { [NEXT.date]: input.date('2018-12-12') }), november.date),
    );
    expect(form).toEqual({
      date: '2018-12-12',
      companies: [],
      channels: [],
      cancelled: false,
    });
  });

  it.each([
    ['a blank form', undefined],
    ['the November next meetup', loadRoundup('2018-11-cloud-native-london').meetup.next],
  ])('is a modal Slack accepts, for %s', (_name, current) => {
    const view = open(current);
    expectSlackToAcceptIt(view);
    expect(view.title.text).toBe('The next meetup');
  });

  describe('puts each problem under its own field, in a sentence naming it', () => {
    const read = (changes: Record<string, StateValue>) =>
      refused(readNextModal(submit(open(next()), changes), november.date));

    it('a date not after this meetup, or none', () => {
      expect(read({ [NEXT.date]: input.date('2018-11-07') })).toEqual({
        [NEXT.date]: 'The next meetup must come after this one (2018-11-07).',
      });
      expect(read({ [NEXT.date]: input.date(null) })).toEqual({ [NEXT.date]: 'The date is missing.' });
    });

    it('an RSVP link that is not a web address', () => {
      expect(read({ [NEXT.rsvpUrl]: input.text('meetup.com/Cloud-Native-London') })).toEqual({
        [NEXT.rsvpUrl]: 'The RSVP link must be a full web address starting with https:// or http://.',
      });
    });

    it('too many companies, or one too long', () => {
      const eleven = Array.from({ length: 11 }, (_, i) => `Company ${i + 1}`).join('\n');
      expect(read({ [NEXT.companies]: input.text(eleven) })).toEqual({
        [NEXT.companies]: 'The list has more than 10 companies.',
      });
      expect(read({ [NEXT.companies]: input.text(`Paybase\n${tooLong(100)}`) })).toEqual({
        [NEXT.companies]: 'Company 2 is longer than 100 characters.',
      });
    });

    it('a note using a placeholder', () => {
      expect(read({ [NEXT.notes]: input.text('Hosted by {venue}.') })).toEqual({
        [NEXT.notes]: 'The note uses {venue}, but this text takes no placeholders.',
      });
    });
  });
});

// -----------------------------------------------------------------------------------------------------------

describe('the photo modal', () => {
  const view = buildPhotoModal({ meetupId: 'M1', meetupLabel: 'the November 2018 meetup' });
  const read = (changes: Record<string, StateValue>) => readPhotoModal(submit(view, changes));

  it('is a modal Slack accepts, set to add photos of the evening', () => {
    expectSlackToAcceptIt(view);
    expect(view.title.text).toBe('Add photos');
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ meetupId: 'M1' });
  });

  it('reads uploaded files and links (blank lines skipped) as photos of the evening', () => {
    const form = accepted(
      read({
        [PHOTO.files]: input.files([
          { id: 'F0PHOTO001', name: 'crowd.jpg', mimetype: 'image/jpeg', size: 1234 },
        ]),
        [PHOTO.urls]: input.text('https://example.com/a.jpg\r\n\r\n  https://example.com/b.jpg  '),
        [PHOTO.alt]: input.text('The audience'),
      }),
    );
    expect(form).toEqual({
      kind: 'other',
      files: [expect.objectContaining({ id: 'F0PHOTO001', name: 'crowd.jpg', size: 1234 })],
      urls: ['https://example.com/a.jpg', 'https://example.com/b.jpg'],
      alt: 'The audience',
    });
  });

  it('asks for a photo when none is given', () => {
    expect(refused(read({}))).toEqual({ [PHOTO.files]: 'Upload a photo here, or give a link below.' });
  });

  it('takes one header photo only', () => {
    expect(
      refused(
        read({
          [PHOTO.role]: input.staticSelect('header'),
          [PHOTO.urls]: input.text('https://example.com/a.jpg\nhttps://example.com/b.jpg'),
        }),
      ),
    ).toEqual({ [PHOTO.role]: 'A post has one header photo; add one file or one link.' });
    expect(
      accepted(
        read({
          [PHOTO.role]: input.staticSelect('header'),
          [PHOTO.urls]: input.text('https://e.example/h.jpg'),
        }),
      ),
    ).toEqual({ kind: 'header', files: [], urls: ['https://e.example/h.jpg'] });
  });

  it('names the line, as typed, of a link that is not a web address', () => {
    expect(
      refused(read({ [PHOTO.urls]: input.text('https://example.com/a.jpg\n\nexample.com/b.jpg') })),
    ).toEqual({
      [PHOTO.urls]: 'Line 3 must be a full web address starting with https:// or http://.',
    });
  });
});

describe('what a form has no field for survives an edit', () => {
  const roster = fullGroup().sponsors;
  const today = '2019-03-01';

  it('shows the host’s role and keeps it, and a sponsor no longer on the roster', () => {
    const meetup = {
      ...fullMeetup(),
      id: 'M1',
      host: { name: 'Cheryl Hung', from: 'the CNCF', role: 'VP Ecosystem at CNCF' },
      sponsors: [...roster, { name: 'Gone Ltd', url: 'https://gone.example.com/' }],
    };
    const view = buildMeetupForm({ current: meetup, roster, today });
    const same = accepted(readMeetupModal(submit(view), roster, meetup)).details;
    expect(same.host).toEqual(meetup.host);
    expect(same.sponsors).toEqual(meetup.sponsors);

    const other = accepted(
      readMeetupModal(submit(view, { [MEETUP.host]: input.text('Someone Else') }), roster, meetup),
    ).details;
    expect(other.host).toEqual({ name: 'Someone Else', from: 'the CNCF', role: 'VP Ecosystem at CNCF' });
    const noRole = accepted(
      readMeetupModal(submit(view, { [MEETUP.hostRole]: input.text(null) }), roster, meetup),
    ).details;
    expect(noRole.host).toEqual({ name: 'Cheryl Hung', from: 'the CNCF' });
  });

  it('keeps later speakers’ pronouns and a linked photo’s description', () => {
    const talk: Talk = talkSchema.parse({
      speakers: [
        { name: 'Ada', pronouns: 'she' },
        { name: 'Grace', company: 'Navy', pronouns: 'she' },
      ],
      title: 'Compilers',
      photo: { url: 'https://example.com/ada.jpg', alt: 'Ada at the lectern' },
    });
    const view = buildTalkForm({
      metadata: { meetupId: 'M1', talkId: 'T1' },
      current: talk,
      meetupLabel: 'x',
    });
    expect(accepted(readTalkModal(submit(view), talk, false)).talk).toEqual(talk);
  });

  it('moves the status only when the organiser picks another than the form showed', () => {
    const meetup = { ...fullMeetup(), id: 'M1', status: 'held' as const };
    const view = buildMeetupForm({ current: meetup, roster, today });
    // A draft moved the meetup on while the form was open: saved untouched, it stays drafted.
    const drafted = { ...meetup, status: 'drafted' as const };
    expect(accepted(readMeetupModal(submit(view), roster, drafted, 'held')).details.status).toBeUndefined();
    const picked = submit(view, { [MEETUP.status]: input.staticSelect('published') });
    expect(accepted(readMeetupModal(picked, roster, drafted, 'held')).details.status).toBe('published');
  });

  it('a photo with no description, and a description without a photo refused', () => {
    const talk: Talk = talkSchema.parse({
      speakers: [{ name: 'Ada' }, { name: 'Grace', pronouns: 'they' }],
      title: 'Compilers',
      photo: { url: 'https://example.com/ada.jpg', alt: '' },
    });
    const view = buildTalkForm({
      metadata: { meetupId: 'M1', talkId: 'T1' },
      current: talk,
      meetupLabel: 'x',
    });
    expect(accepted(readTalkModal(submit(view), talk, false)).talk).toEqual(talk);
    const orphan = submit(view, {
      [TALK.photoUrl]: input.text(null),
      [TALK.photoNoAlt]: input.checkboxes([]),
      [TALK.photoAlt]: input.text('Ada'),
    });
    expect(readTalkModal(orphan, talk, false)).toEqual({
      ok: false,
      errors: { [TALK.photoAlt]: 'Upload the photo or give its link, or leave its description empty.' },
    });
  });

  it('a photo given by its path in the site, read back as a path', () => {
    const talk: Talk = talkSchema.parse({
      speakers: [{ name: 'Ada' }],
      title: 'Compilers',
      photo: { path: '/images/2019-05-01-meetup-1.jpeg', alt: 'Ada' },
    });
    const view = buildTalkForm({
      metadata: { meetupId: 'M1', talkId: 'T1' },
      current: talk,
      meetupLabel: 'x',
    });
    expect(accepted(readTalkModal(submit(view), talk, false)).talk).toEqual(talk);
    const moved = submit(view, { [TALK.photoUrl]: input.text('/images/other.png') });
    expect(accepted(readTalkModal(moved, talk, false)).talk.photo).toEqual({
      role: 'talk',
      path: '/images/other.png',
      alt: 'Ada',
    });
  });

  it('keeps a template file of the group’s own', () => {
    const group = { ...fullGroup(), template: 'site/_templates/roundup.liquid' };
    const view = buildSetupForm(group, ORGANISER);
    expect(accepted(readSetupModal(submit(view), ORGANISER, group)).template).toBe(
      'site/_templates/roundup.liquid',
    );
  });
});

// -----------------------------------------------------------------------------------------------------------

describe('long lists, over as many inputs as they need', () => {
  const longUrl = (name: string) => `https://example.org/${name}/${'x'.repeat(1500)}`;
  const roster = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ name: `Sponsor ${i + 1}`, url: longUrl(`s${i + 1}`) }));
  const setupWith = (sponsors: Array<{ name: string; url?: string }>) => ({ ...fullGroup(), sponsors });

  it('splits a roster between sponsors, each input within 3,000 characters, with room for one more', () => {
    const view = buildSetupForm(setupWith(roster(4)), ORGANISER);
    const parts = blockIds(view).filter((id) => id.startsWith(SETUP.sponsors));
    // One sponsor of 1,500 characters a part, and an empty part for the next.
    expect(parts).toEqual([
      SETUP.sponsors,
      `${SETUP.sponsors}_2`,
      `${SETUP.sponsors}_3`,
      `${SETUP.sponsors}_4`,
      `${SETUP.sponsors}_5`,
    ]);
    expect(labelOf(view, `${SETUP.sponsors}_2`)).toBe('Sponsor roster (continued)');
    expectSlackToAcceptIt(view);
    const initial = (id: string) =>
      inputBlocks(view).find((b) => b.block_id === id)?.element.initial_value as string | undefined;
    expect(initial(`${SETUP.sponsors}_5`)).toBeUndefined();

    const typed = accepted(
      readSetupModal(
        submit(view, { [`${SETUP.sponsors}_5`]: input.text('Pusher | https://pusher.com/') }),
        ORGANISER,
        setupWith(roster(4)),
      ),
    );
    expect(typed.sponsors).toEqual([...roster(4), { name: 'Pusher', url: 'https://pusher.com/' }]);
  });

  it('keeps a short roster in one input, as before', () => {
    expect(
      blockIds(buildSetupForm(fullGroup(), ORGANISER)).filter((id) => id.startsWith(SETUP.sponsors)),
    ).toEqual([SETUP.sponsors]);
  });

  it('puts a line error under the input it was typed in, with its line there', () => {
    const view = buildSetupForm(setupWith(roster(2)), ORGANISER);
    expect(
      refused(
        readSetupModal(
          submit(view, {
            [`${SETUP.sponsors}_2`]: input.text(`Sponsor 2 | ${longUrl('s2')}\n| https://pusher.com/`),
          }),
          ORGANISER,
          setupWith(roster(2)),
        ),
      ),
    ).toEqual({ [`${SETUP.sponsors}_2`]: 'Line 2 has a link but no name; write "Name | https://…".' });
  });

  it('reads takeaways from a nested rich-text list, and refuses more than fifty in all', () => {
    const talk = fullMeetup().talks[0] as Talk;
    const open = buildTalkForm({
      metadata: { meetupId: 'M1' },
      current: talk,
      meetupLabel: 'the March 2019 meetup',
    });
    const nested = takeawaysToRichText([
      {
        text: 'First',
        items: [
          { text: 'under the first', items: [] },
          { text: 'also under the first', items: [] },
        ],
      },
      { text: 'Second', items: [] },
    ]);
    const form = accepted(
      readTalkModal(
        submit(open, {
          [TALK.speaker]: input.text('Ada'),
          [TALK.title]: input.text('Engines'),
          [TALK.takeaways]: input.richText(nested),
        }),
        talk,
        false,
      ),
    );
    expect(form.talk.takeaways).toEqual([
      {
        text: 'First',
        items: [
          { text: 'under the first', items: [] },
          { text: 'also under the first', items: [] },
        ],
      },
      { text: 'Second', items: [] },
    ]);

    const fiftyOne = Array.from({ length: 17 }, (_, i) => `Point ${i + 1}\n  under\n    deeper`).join('\n');
    expect(
      refused(
        readTalkModal(
          submit(
            buildTalkForm({
              metadata: { meetupId: 'M1' },
              current: talk,
              meetupLabel: 'the March 2019 meetup',
            }),
            {
              [TALK.takeaways]: input.text(fiftyOne),
            },
          ),
          talk,
          false,
        ),
      ),
    ).toEqual({
      [TALK.takeaways]: 'The list of takeaways has more than 50 takeaways in all, nested ones included.',
    });
  });
});
