import { LIMITS } from '../../src/domain/fields';
import {
  type Group,
  groupSchema,
  type Meetup,
  meetupSchema,
  type Takeaway,
  type Talk,
  talkSchema,
} from '../../src/domain/meetup';
import { SLACK_INPUT_MAX } from '../../src/slack/views/form';
import { MEETUP, SETUP, TALK } from '../../src/slack/views/ids';
import { FAKE_DEFAULTS, type OpenedView, TestBot } from '../support/bot';
import type { Json } from '../support/fake-slack';
import { inputBlocksOf, valuesAsOpened } from '../support/views';

/**
 * Every field filled to the most the model allows, then each form reopened over HTTP: the fake Slack refuses a
 * view as Slack would (an initial value over 3,000 characters, more than 100 options ...), so each form must
 * open, and saved as opened it must give back exactly what was stored.
 */

const TEAM = FAKE_DEFAULTS.teamId;

/** `prefix`, then filler to exactly `length` characters. */
const fill = (prefix: string, length: number) => prefix + 'x'.repeat(length - prefix.length);
const url = (prefix: string) => fill(`https://example.org/${prefix}/`, LIMITS.url);

function takeawaysToTheLimit(): Takeaway[] {
  // Ten points, each with one under it and three under that: fifty in all, three levels deep.
  const leaf = (name: string): Takeaway => ({ text: fill(`Takeaway ${name} `, LIMITS.takeaway), items: [] });
  return Array.from({ length: LIMITS.takeawaysInAll / 5 }, (_, i) => ({
    ...leaf(`${i + 1}`),
    items: [{ ...leaf(`${i + 1}.1`), items: [1, 2, 3].map((j) => leaf(`${i + 1}.1.${j}`)) }],
  }));
}

function talkToTheLimit(n: number): Talk {
  return talkSchema.parse({
    speakers: Array.from({ length: LIMITS.speakers }, (_, i) => ({
      name: fill(`Speaker ${n}.${i + 1} `, LIMITS.name),
      company: fill(`Company ${n}.${i + 1} `, LIMITS.name),
      pronouns: i === 0 ? 'they' : 'she',
    })),
    title: fill(`Talk ${n} `, LIMITS.shortText),
    topic: fill(`topic ${n} `, LIMITS.shortText),
    link: { url: url(`talk-${n}`), kind: 'slides' },
    links: Array.from({ length: LIMITS.links }, (_, i) => ({
      label: fill(`Link ${i + 1} `, LIMITS.shortText),
      url: url(`link-${n}-${i + 1}`),
    })),
    takeaways: takeawaysToTheLimit(),
    photo: { url: url(`photo-${n}`), alt: fill('A speaker ', LIMITS.shortText) },
    lead: fill('{who} opened with {title} ', LIMITS.sentence),
    after: Array.from({ length: LIMITS.paragraphs }, (_, i) =>
      fill(`After ${n}.${i + 1} `, LIMITS.paragraph),
    ),
  });
}

function groupToTheLimit(channels: string[]): Group {
  const [organisersChannel, ...community] = channels;
  return groupSchema.parse({
    name: fill('Cloud Native ', LIMITS.name),
    timeZone: 'America/Argentina/Buenos_Aires',
    signature: fill('Cheryl ', LIMITS.name),
    location: fill('London ', LIMITS.name),
    organisers: [
      FAKE_DEFAULTS.userId,
      ...Array.from({ length: LIMITS.organisers - 1 }, (_, i) => `U0ORG${String(i).padStart(4, '0')}`),
    ],
    organisersChannel,
    communityChannels: community.slice(0, LIMITS.channels),
    template: fill('templates/our-own-', 150),
    sponsors: Array.from({ length: LIMITS.sponsors }, (_, i) => ({
      name: fill(`Roster sponsor ${i + 1} `, LIMITS.name),
      url: url(`roster-${i + 1}`),
    })),
    reminderPlan: Array.from({ length: LIMITS.reminders }, (_, i) => ({ daysBefore: i, time: '10:00' })),
    style: {
      frontMatter: Array.from({ length: 30 }, (_, i) => fill(`key${i + 1}_`, LIMITS.name)),
      headerPhoto: 'both',
      imageName: fill('images/{post}-', LIMITS.shortText),
      title: fill('{group} {month} {year}: {companies} ', LIMITS.shortText),
      description: fill('Speakers from {companies} ', LIMITS.sentence),
      postName: fill('{group} {month} {year} ', LIMITS.shortText),
      sentences: { closing: fill('See you, {signature}. ', LIMITS.sentence) },
    },
  });
}

function meetupToTheLimit(channels: string[]): Meetup {
  return meetupSchema.parse({
    date: '2030-03-13',
    startTime: '18:45',
    status: 'planned',
    venue: { name: fill('Venue ', LIMITS.name), url: url('venue'), returning: true },
    host: {
      name: fill('Host ', LIMITS.name),
      from: fill('From ', LIMITS.name),
      role: fill('Role ', LIMITS.name),
    },
    intro: fill('{group} met in {month}. ', LIMITS.paragraph),
    // Sponsors of the night that the roster does not have: the picker offers the roster and these, 100 in all.
    sponsors: Array.from({ length: LIMITS.sponsors }, (_, i) => ({
      name: fill(`Night sponsor ${i + 1} `, LIMITS.name),
      url: url(`night-${i + 1}`),
    })),
    headerPhoto: { url: url('header'), alt: fill('The room ', LIMITS.shortText) },
    description: fill('Speakers from A, B and C ', LIMITS.sentence),
    location: fill('Shoreditch ', LIMITS.name),
    tags: Array.from({ length: 20 }, (_, i) => fill(`Tag ${i + 1} `, LIMITS.name)),
    redirectFrom: Array.from({ length: 10 }, (_, i) => fill(`/2030/03/13/old-address-${i + 1}-`, 500)),
    postName: fill('2030-03-13-cloud-native-', 150),
    textFormat: 'markdown',
    leaveOut: ['talkOrder', 'overview', 'signature'],
    video: url('video'),
    talks: Array.from({ length: LIMITS.talks }, (_, i) => talkToTheLimit(i + 1)),
    extras: Array.from({ length: LIMITS.paragraphs }, (_, i) =>
      fill(`Paragraph ${i + 1} `, LIMITS.paragraph),
    ),
    photos: Array.from({ length: LIMITS.photos }, (_, i) => ({
      role: i === 0 ? 'group' : 'other',
      url: url(`evening-${i + 1}`),
      alt: fill(`Photo ${i + 1} `, LIMITS.shortText),
    })),
    next: {
      date: '2030-04-10',
      startTime: '18:30',
      companies: Array.from({ length: LIMITS.companies }, (_, i) =>
        fill(`Next company ${i + 1} `, LIMITS.name),
      ),
      venue: fill('Next venue ', LIMITS.shortText),
      notes: fill('Note ', LIMITS.sentence),
      rsvpUrl: url('rsvp'),
      text: fill('Join us on {date}. ', LIMITS.paragraph),
      channels: channels.slice(1, 1 + LIMITS.channels),
    },
    sentences: {
      title: fill('Title ', LIMITS.shortText),
      sponsors: fill('Thanks to {sponsors}. ', LIMITS.paragraph),
      talkOrder: fill('We heard {topics}. ', LIMITS.paragraph),
      closing: fill('See you, {signature}. ', LIMITS.sentence),
    },
  });
}

/** Slack's limits, checked here too so that a failure names the field rather than only the view. */
function expectWithinSlackLimits(view: OpenedView): void {
  expect((view.view.blocks as Json[]).length).toBeLessThanOrEqual(100);
  const over = inputBlocksOf(view.view).flatMap((block) => {
    const initial = (block.element.initial_value as string | undefined) ?? '';
    const options = (block.element.options as unknown[] | undefined) ?? [];
    return [
      ...(initial.length > SLACK_INPUT_MAX ? [`${block.block_id}: ${initial.length} characters`] : []),
      ...(options.length > 100 ? [`${block.block_id}: ${options.length} options`] : []),
    ];
  });
  expect(over).toEqual([]);
}

describe('every form, with every field at the most the model allows, over HTTP', () => {
  let bot: TestBot;
  let group: Group;
  let meetupId: string;

  beforeAll(async () => {
    // Before the meetup, so that its reminders are planned when the forms are saved.
    bot = await TestBot.start({ now: () => new Date('2030-01-15T12:00:00Z') });
    const channels = Array.from({ length: 1 + LIMITS.channels }, (_, i) =>
      bot.slack.addChannel({ name: `channel-${i + 1}` }),
    );
    group = groupToTheLimit(channels);
    await bot.store.saveGroup(TEAM, group);
    meetupId = (await bot.store.createMeetup(TEAM, meetupToTheLimit(channels))).id;
  }, 30_000);
  afterAll(async () => {
    await bot.stop();
  });

  /** The form, opened as Slack would open it (the fake refuses what Slack refuses), then saved untouched. */
  async function reopenAndSave(command: string): Promise<OpenedView> {
    const view = await bot.open(command);
    expectWithinSlackLimits(view);
    const reply = await bot.submit(view, valuesAsOpened(view.view));
    expect(reply.status).toBe(200);
    expect((reply.json as { response_action?: string } | undefined)?.response_action).not.toBe('errors');
    await bot.settled();
    // A form in steps: every step's view, each within Slack's limits (the fake checked each as it was drawn).
    for (const step of reply.steps) expectWithinSlackLimits(step);
    const blocks = reply.steps.flatMap((step) => (step.view.blocks as Json[] | undefined) ?? []);
    return { ...view, view: { ...view.view, blocks } };
  }

  it('setup: the whole sponsor roster, over several inputs, saved back as it was', async () => {
    const view = await reopenAndSave('setup');
    const parts = inputBlocksOf(view.view).filter((b) => b.block_id.startsWith(SETUP.sponsors));
    expect(parts.length).toBeGreaterThan(1);
    const keys = inputBlocksOf(view.view).filter((b) => b.block_id.startsWith(SETUP.frontMatter));
    expect(keys.length).toBeGreaterThan(1);
    const { id: _id, teamId: _team, ...saved } = (await bot.store.getGroup(TEAM))!;
    expect(saved).toEqual(group);
  });

  it('edit: ten paragraphs of 3,000 characters and 100 sponsors to pick, saved back as they were', async () => {
    const before = (await bot.store.getMeetup(TEAM, meetupId))!;
    const view = await reopenAndSave('edit');
    const extras = inputBlocksOf(view.view).filter((b) => b.block_id.startsWith(MEETUP.extras));
    expect(extras).toHaveLength(LIMITS.paragraphs);
    const addresses = inputBlocksOf(view.view).filter((b) => b.block_id.startsWith(MEETUP.redirectFrom));
    expect(addresses.length).toBeGreaterThan(1);
    const picker = inputBlocksOf(view.view).find((b) => b.block_id === MEETUP.sponsors)!;
    expect((picker.element.options as unknown[]).length).toBe(100);
    const { updatedAt: _u, ...after } = (await bot.store.getMeetup(TEAM, meetupId))!;
    const { updatedAt: _b, ...expected } = before;
    expect(after).toEqual(expected);
  });

  it.each([1, LIMITS.talks])('talk %i: six links and fifty takeaways, saved back as they were', async (n) => {
    const before = (await bot.store.getMeetup(TEAM, meetupId))!.talks[n - 1]!;
    const view = await reopenAndSave(`talk ${n}`);
    // Fifty takeaways in one rich-text list (a rich text input has no 3,000-character bound).
    const takeaways = inputBlocksOf(view.view).filter((b) => b.block_id.startsWith(TALK.takeaways));
    expect(takeaways.map((b) => b.element.type)).toEqual(['rich_text_input']);
    expect((await bot.store.getMeetup(TEAM, meetupId))!.talks[n - 1]).toEqual(before);
  });

  it('next: every field, saved back as it was', async () => {
    const before = (await bot.store.getMeetup(TEAM, meetupId))!.next;
    await reopenAndSave('next');
    expect((await bot.store.getMeetup(TEAM, meetupId))!.next).toEqual(before);
  });

  it('the talk list, asking a speaker and adding photos open within the limits too', async () => {
    for (const command of ['talk', `ask <@${FAKE_DEFAULTS.userId}> 20`, 'photo']) {
      expectWithinSlackLimits(await bot.open(command));
    }
  });
});
