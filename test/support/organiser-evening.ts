import { formatLabelledLinks, formatNamedLinks } from '../../src/domain/line-formats';
import type { Meetup, Roundup, Talk } from '../../src/domain/meetup';
import { describeStep } from '../../src/domain/reminders';
import { partBlockId, photoLinkOf } from '../../src/slack/views/form';
import { MEETUP, NEXT, PHOTO, SETUP, TALK } from '../../src/slack/views/ids';
import { takeawaysToRichText } from '../../src/slack/views/rich-text';
import type { TestBot } from './bot';
import { FAKE_DEFAULTS, type SlackMessage } from './fake-slack';
import { input, type StateValue } from './slack-requests';

/**
 * An organiser's evening, played through the bot's real interface: `/roundup setup`, `new`, a `talk` for each
 * talk, `next` and `draft`, each modal filled in with what a roundup's JSON holds. The end-to-end test and
 * `npm run demo` both play it.
 */

export interface EveningResult {
  organisersChannel: string;
  /** The draft message as the fake Slack holds it. */
  draft: SlackMessage;
  markdown: { filename: string; bytes: Buffer };
  zip: { filename: string; bytes: Buffer };
}

const text = (value: string | undefined): StateValue => input.text(value ?? null);

export function setupValues(
  roundup: Roundup,
  organisersChannel: string,
  userId: string,
): Record<string, StateValue> {
  const g = roundup.group;
  return {
    [SETUP.name]: text(g.name),
    [SETUP.timeZone]: input.externalSelect(g.timeZone),
    [SETUP.signature]: text(g.signature),
    [SETUP.location]: text(g.location),
    [SETUP.organisers]: input.users([userId]),
    [SETUP.organisersChannel]: input.conversation(organisersChannel),
    [SETUP.communityChannels]: input.conversations([]),
    // The roster is the sponsors of this meetup; each night's sponsors are picked from it.
    [SETUP.sponsors]: text(formatNamedLinks(roundup.meetup.sponsors)),
    [SETUP.template]: input.staticSelect(g.template),
    // As the form shows it, untouched.
    [SETUP.reminderPlan]: text(g.reminderPlan.map(describeStep).join('\n')),
    [SETUP.frontMatter]: text(g.style?.frontMatter.join('\n')),
    [SETUP.headerPhoto]: input.staticSelect(g.style?.headerPhoto ?? null),
    [SETUP.imageName]: text(g.style?.imageName),
    [SETUP.titlePattern]: text(g.style?.title),
    [SETUP.descriptionPattern]: text(g.style?.description),
    [SETUP.postNamePattern]: text(g.style?.postName),
  };
}

export function meetupValues(m: Meetup): Record<string, StateValue> {
  return {
    [MEETUP.date]: input.date(m.date),
    [MEETUP.startTime]: input.time(m.startTime),
    [MEETUP.venue]: text(m.venue?.name),
    [MEETUP.venueUrl]: input.url(m.venue?.url ?? null),
    [MEETUP.venueReturning]: input.checkboxes(m.venue?.returning ? ['yes'] : []),
    [MEETUP.host]: text(m.host?.name),
    [MEETUP.hostFrom]: text(m.host?.from),
    [MEETUP.hostRole]: text(m.host?.role),
    [MEETUP.status]: input.staticSelect(m.status),
    [MEETUP.intro]: text(m.intro),
    [MEETUP.sponsors]: {
      type: 'multi_static_select',
      selected_options: m.sponsors.map((s) => ({
        text: { type: 'plain_text', text: s.name },
        value: s.name,
      })),
    },
    [MEETUP.newSponsors]: text(undefined),
    [MEETUP.headerPhotoFile]: input.files([]),
    [MEETUP.headerPhotoUrl]: text(photoLinkOf(m.headerPhoto)),
    [MEETUP.video]: input.url(m.video ?? null),
    [MEETUP.extras]: text(m.extras.join('\n\n') || undefined),
    [MEETUP.title]: text(m.sentences.title),
    [MEETUP.talkOrder]: text(m.sentences.talkOrder),
    [MEETUP.sponsorsSentence]: text(m.sentences.sponsors),
    [MEETUP.closing]: text(m.sentences.closing),
    [MEETUP.description]: text(m.description),
    [MEETUP.location]: text(m.location),
    [MEETUP.tags]: text(m.tags?.join('\n')),
    [MEETUP.redirectFrom]: text(m.redirectFrom?.join('\n')),
    [MEETUP.postName]: text(m.postName),
    [MEETUP.textFormat]: input.staticSelect(m.textFormat ?? null),
    [MEETUP.leaveOut]: input.checkboxes(m.leaveOut ?? []),
    // Each section of the organiser's own in its three inputs, then the empty one the form adds.
    ...Object.fromEntries(
      [...(m.sections ?? []), undefined].flatMap((section, i) => [
        [
          partBlockId(MEETUP.sectionHeading, i + 1),
          text(
            section?.heading &&
              (section.level > 2 ? `${'#'.repeat(section.level)} ${section.heading}` : section.heading),
          ),
        ],
        [partBlockId(MEETUP.sectionAfter, i + 1), input.staticSelect(section?.after ?? 'extras')],
        [partBlockId(MEETUP.sectionText, i + 1), text(section?.text)],
      ]),
    ),
  };
}

export function talkValues(t: Talk, photoFile?: object): Record<string, StateValue> {
  // One row per speaker (the form adds rows with its "Add a speaker" button; TestBot.submit presses it).
  const rows = (t.speakers.length > 0 ? t.speakers : [undefined]).flatMap((speaker, i) => [
    [partBlockId(TALK.speaker, i + 1), text(speaker?.name)],
    [partBlockId(TALK.company, i + 1), text(speaker?.company)],
    [partBlockId(TALK.pronouns, i + 1), input.staticSelect(speaker?.pronouns ?? null)],
  ]);
  return {
    ...Object.fromEntries(rows),
    [TALK.title]: text(t.title),
    [TALK.topic]: text(t.topic),
    // As Slack's rich text input sends a bulleted list, nested by indent.
    [TALK.takeaways]: input.richText(t.takeaways.length ? takeawaysToRichText(t.takeaways) : null),
    [TALK.link]: input.url(t.link?.url ?? null),
    [TALK.linkKind]: input.staticSelect(t.link?.kind ?? 'video'),
    [TALK.links]: text(formatLabelledLinks(t.links) || undefined),
    [TALK.after]: text(t.after?.join('\n\n')),
    [TALK.photoFile]: input.files(photoFile ? [photoFile] : []),
    [TALK.photoUrl]: text(photoLinkOf(t.photo)),
    [TALK.photoAlt]: text(t.photo?.alt || undefined),
    [TALK.photoNoAlt]: input.checkboxes(t.photo?.alt === '' ? ['yes'] : []),
    [TALK.lead]: text(t.lead),
  };
}

export function nextValues(m: Meetup): Record<string, StateValue> {
  const n = m.next;
  return {
    [NEXT.date]: input.date(n?.date ?? null),
    [NEXT.startTime]: input.time(n?.startTime ?? null),
    [NEXT.venue]: text(n?.venue),
    [NEXT.companies]: text(n?.companies.join('\n') || undefined),
    [NEXT.rsvpUrl]: input.url(n?.rsvpUrl ?? null),
    [NEXT.notes]: text(n?.notes),
    [NEXT.heading]: text(n?.heading),
    [NEXT.text]: text(n?.text),
  };
}

async function expectClosed(step: string, reply: { status: number; json?: unknown }) {
  const action = (reply.json as { response_action?: string } | undefined)?.response_action;
  if (reply.status !== 200 || action === 'errors') {
    throw new Error(`${step} was refused: HTTP ${reply.status} ${JSON.stringify(reply.json)}`);
  }
}

export interface EveningOptions {
  say?: (step: string) => void;
  /** A photo of the evening to upload through `/roundup photo`, as an organiser would from their phone. */
  groupPhoto?: { name: string; mimetype: string; bytes: Buffer; alt: string };
}

export async function playEvening(
  bot: TestBot,
  roundup: Roundup,
  options: EveningOptions = {},
): Promise<EveningResult> {
  const say = options.say ?? (() => undefined);
  const userId = FAKE_DEFAULTS.userId;
  const organisersChannel = bot.slack.addChannel({ name: 'organisers', isPrivate: true });

  say('/roundup setup: the group, its organisers’ channel and sponsor roster');
  await expectClosed(
    'setup',
    await bot.submit(await bot.open('setup'), setupValues(roundup, organisersChannel, userId)),
  );

  say(`/roundup new: the meetup of ${roundup.meetup.date}`);
  await expectClosed('new', await bot.submit(await bot.open('new'), meetupValues(roundup.meetup)));

  for (const [i, talk] of roundup.meetup.talks.entries()) {
    say(
      `/roundup talk new: talk ${i + 1}, “${talk.title}” by ${talk.speakers.map((s) => s.name).join(' and ')}`,
    );
    await expectClosed(`talk ${i + 1}`, await bot.submit(await bot.open('talk new'), talkValues(talk)));
  }

  if (options.groupPhoto) {
    const photo = options.groupPhoto;
    say(`/roundup photo: “${photo.alt}”, uploaded in Slack (${photo.name}, ${photo.bytes.length} bytes)`);
    const file = bot.slack.addPrivateFile({ name: photo.name, mimetype: photo.mimetype, bytes: photo.bytes });
    await expectClosed(
      'photo',
      await bot.submit(await bot.open('photo'), {
        [PHOTO.role]: input.staticSelect('group'),
        [PHOTO.files]: input.files([bot.slack.fileObject(file.id) as object]),
        [PHOTO.urls]: input.text(null),
        [PHOTO.alt]: input.text(photo.alt),
      }),
    );
    // The bot downloads it after acknowledging; wait until it is stored.
    const deadline = Date.now() + 10_000;
    const stored = async () =>
      (await bot.store.currentMeetup(FAKE_DEFAULTS.teamId))?.photos.some(
        (p) => p.slackFile?.id === file.id && p.stored,
      );
    while (!(await stored())) {
      if (Date.now() > deadline) throw new Error('the photo was not stored within 10 s');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  if (roundup.meetup.next) {
    say(`/roundup next: the next meetup, ${roundup.meetup.next.date}`);
    await expectClosed('next', await bot.submit(await bot.open('next'), nextValues(roundup.meetup)));
  }

  say('/roundup draft: the post, its preview and files, to the organisers’ channel');
  const uploadsBefore = bot.slack.uploads.length;
  const { reply } = await bot.command('draft');
  if (reply.status !== 200) throw new Error(`draft answered HTTP ${reply.status}`);
  // The draft is saved after its files are uploaded: wait for the whole of it, not for its files.
  await bot.settled();
  const files = bot.slack.uploads.slice(uploadsBefore);
  const md = files.find((f) => f.filename.endsWith('.md'));
  const zip = files.find((f) => f.filename.endsWith('.zip'));
  if (!md || !zip)
    throw new Error(`the draft did not upload a .md and a .zip: ${files.map((f) => f.filename).join(', ')}`);
  const draft = bot.slack.messages(organisersChannel).find((m) => String(m.text).startsWith('Roundup draft'));
  if (!draft) throw new Error('no draft message in the organisers’ channel');
  return {
    organisersChannel,
    draft,
    markdown: { filename: md.filename, bytes: md.bytes },
    zip: { filename: zip.filename, bytes: zip.bytes },
  };
}
