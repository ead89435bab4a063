import type { KnownBlock, ModalView } from '@slack/types';
import { LIMITS } from '../../domain/fields';
import { formatNamedLinks, parseNamedLinks } from '../../domain/line-formats';
import { type Group, groupSchema, HEADER_PLACES, TEMPLATE_NAMES } from '../../domain/meetup';
import { DEFAULT_REMINDER_PLAN, describeStep, parseStep, type ReminderStep } from '../../domain/reminders';
import { check } from '../../domain/validate';
import {
  conversationSelect,
  conversationsSelect,
  errorsFromProblems,
  externalSelect,
  type FormResult,
  modal,
  note,
  option,
  partError,
  type Route,
  readConversation,
  readConversations,
  readSelected,
  readText,
  readTextParts,
  readUsers,
  routeProblem,
  type StateValues,
  staticSelect,
  textInput,
  textInputParts,
  usersSelect,
} from './form';
import { CALLBACK, SETUP } from './ids';
import { type FormStep, stepView } from './steps';
import { timeZoneOption } from './time-zones';

/** The setup form's steps: the group and its channels, then its roster and plan, then its site's style. */
export const SETUP_STEPS: readonly FormStep[] = [
  { title: 'The group', startsAt: SETUP.name },
  { title: 'Sponsors, reminders, template', startsAt: SETUP.sponsors },
  { title: 'The site’s style', startsAt: SETUP.frontMatter },
];

/**
 * `/roundup setup`: the group, who organises it, where the bot posts, its sponsor roster and template, one
 * step at a time (SETUP_STEPS), each saved when the organiser goes on or back.
 */
export function buildSetupModal(
  current: Group | undefined,
  userId: string,
  o: { step?: number; problem?: string } = {},
): ModalView {
  return stepView(buildSetupForm(current, userId), SETUP_STEPS, o.step ?? 0, {
    metadata: {},
    ...(o.problem ? { problem: o.problem } : {}),
  });
}

/** The whole setup form, prefilled from the group as saved (its steps are views of it). */
export function buildSetupForm(current: Group | undefined, userId: string): ModalView {
  const blocks: KnownBlock[] = [
    note(
      current
        ? 'Changes apply to the next draft and reminders.'
        : 'Set up *roundup* for your meetup. You can change any of this later with `/roundup setup`.',
    ),
    textInput(SETUP.name, 'Group name', {
      initial: current?.name,
      placeholder: 'Cloud Native London',
      max: 100,
    }),
    externalSelect(SETUP.timeZone, 'Time zone', {
      initial: timeZoneOption(current?.timeZone ?? 'Europe/London'),
      placeholder: 'Type a city: London, New York…',
      hint: 'Where the meetup happens: reminders go out and dates are written in its time.',
    }),
    textInput(SETUP.signature, 'How you sign the post', {
      initial: current?.signature,
      placeholder: 'Cheryl (@oicheryl)',
      max: 100,
    }),
    textInput(SETUP.location, 'City (for the post’s front matter)', {
      initial: current?.location,
      placeholder: 'London, UK',
      optional: true,
      max: 100,
    }),
    usersSelect(SETUP.organisers, 'Organisers', {
      initial: current?.organisers.length ? current.organisers : [userId],
      hint: 'Only they can change meetups, drafts and this setup.',
    }),
    conversationSelect(SETUP.organisersChannel, 'Organisers’ channel', {
      initial: current?.organisersChannel,
      hint: 'Drafts are posted here for review. Invite the bot to it.',
    }),
    conversationsSelect(SETUP.communityChannels, 'Community channels', {
      initial: current?.communityChannels,
      optional: true,
      hint: 'Reminders of the next meetup are posted here.',
    }),
    // Up to 50 sponsors with long links can outgrow one input: the roster continues in more.
    ...textInputParts(SETUP.sponsors, 'Sponsor roster', {
      items: (current?.sponsors ?? []).map((s) => formatNamedLinks([s])),
      separator: '\n',
      itemMax: LIMITS.name + ' | '.length + LIMITS.url,
      maxItems: LIMITS.sponsors,
      optional: true,
      placeholder: 'StorageOS | https://storageos.com/',
      hint: 'One sponsor per line: name, then | and their website. Pick each meetup’s sponsors from this list.',
    }),
    textInput(SETUP.reminderPlan, 'Reminders of the next meetup', {
      initial: (current?.reminderPlan ?? DEFAULT_REMINDER_PLAN).map(describeStep).join('\n'),
      multiline: true,
      optional: true,
      hint: 'One per line, in the group’s time zone: “7 days before at 10:00”, “on the day at 09:00”. Empty: no reminders.',
    }),
    staticSelect(
      SETUP.template,
      'Post template',
      [
        option('classic', 'Classic (2018 house style)'),
        option('modern', 'Modern (overview and timestamps)'),
        // A template file of the group's own (set outside Slack) stays choosable, so saving keeps it.
        ...(current && !(TEMPLATE_NAMES as readonly string[]).includes(current.template)
          ? [option(current.template, 'The group’s own template file')]
          : []),
      ],
      { initial: current?.template ?? 'classic' },
    ),
    // The house style of the group's site, as `roundup import` learnt it; all optional.
    ...textInputParts(SETUP.frontMatter, 'Front-matter keys of the site, in order', {
      items: current?.style?.frontMatter ?? [],
      separator: '\n',
      itemMax: LIMITS.name,
      maxItems: 30,
      optional: true,
      placeholder: 'layout\ntitle\ndescription\nimage',
      hint: 'One per line, as the site’s posts write them. Empty: as the template has it.',
    }),
    staticSelect(
      SETUP.headerPhoto,
      'Where the header photo goes',
      HEADER_PLACES.map((place) =>
        option(
          place,
          { body: 'At the top of the post', front: 'Front matter only (image:)', both: 'Both' }[place],
        ),
      ),
      { initial: current?.style?.headerPhoto, optional: true },
    ),
    textInput(SETUP.imageName, 'How new photos are named in the site', {
      initial: current?.style?.imageName,
      optional: true,
      max: 200,
      placeholder: 'images/{post}',
      hint: '{post} is the post’s file name, {date} the meetup’s date; then -1, -2 … for more photos.',
    }),
    textInput(SETUP.titlePattern, 'The posts’ title pattern', {
      initial: current?.style?.title,
      optional: true,
      max: 200,
      placeholder: '{group} {month} {year}: {companies}',
    }),
    textInput(SETUP.descriptionPattern, 'The posts’ description pattern', {
      initial: current?.style?.description,
      optional: true,
      placeholder: 'Speakers from {companies} join us at the {group} meetup {month} {year}, hosted by {host}',
    }),
    textInput(SETUP.postNamePattern, 'The posts’ file-name pattern', {
      initial: current?.style?.postName,
      optional: true,
      max: 200,
      placeholder: '{group} {month} {year}',
      hint: 'Without the date and .md, made into words with dashes.',
    }),
  ];
  return modal(CALLBACK.setup, 'Set up roundup', blocks, { submit: 'Save' });
}

const ROUTES: Route[] = [
  [/^name/, SETUP.name, 'The group name'],
  [/^timeZone/, SETUP.timeZone, 'The time zone'],
  [/^signature/, SETUP.signature, 'The signature'],
  [/^location/, SETUP.location, 'The city'],
  [/^organisers(\[|$)/, SETUP.organisers, 'The organisers list'],
  [/^organisersChannel/, SETUP.organisersChannel, 'The channel'],
  [/^communityChannels/, SETUP.communityChannels, 'The channel list'],
  [/^sponsors\[(\d+)\]/, SETUP.sponsors, 'Sponsor'],
  [/^sponsors/, SETUP.sponsors, 'The roster'],
  [/^template/, SETUP.template, 'The template'],
  [/^reminderPlan\[(\d+)\]/, SETUP.reminderPlan, 'Reminder'],
  [/^reminderPlan/, SETUP.reminderPlan, 'The list of reminders'],
  [/^style\.frontMatter/, SETUP.frontMatter, 'The list of keys'],
  [/^style\.headerPhoto/, SETUP.headerPhoto, 'This'],
  [/^style\.imageName/, SETUP.imageName, 'The pattern'],
  [/^style\.title/, SETUP.titlePattern, 'The pattern'],
  [/^style\.description/, SETUP.descriptionPattern, 'The pattern'],
  [/^style\.postName/, SETUP.postNamePattern, 'The pattern'],
];

/** What was submitted, as the group to save; the current group supplies what the form does not show. */
export function readSetupModal(
  values: StateValues,
  userId: string,
  current: Group | undefined,
): FormResult<Group> {
  const errors: Record<string, string> = {};
  const roster = readTextParts(values, SETUP.sponsors, '\n');
  const sponsors = parseNamedLinks(roster.text);
  if (!sponsors.ok) Object.assign(errors, partError(roster, sponsors));
  const planLines = (readText(values, SETUP.reminderPlan) ?? '').split(/\r?\n/);
  const reminderPlan: ReminderStep[] = [];
  const lineOf: number[] = [];
  for (const [i, line] of planLines.entries()) {
    if (!line.trim()) continue;
    const step = parseStep(line);
    const same = step
      ? reminderPlan.findIndex((s) => s.daysBefore === step.daysBefore && s.time === step.time)
      : -1;
    if (!step) {
      errors[SETUP.reminderPlan] ??=
        `Line ${i + 1} is not understood; write it like “7 days before at 10:00” or “on the day at 09:00”.`;
    } else if (same >= 0) {
      // Two steps on the same day at different times are two reminders; the same step twice is a slip.
      errors[SETUP.reminderPlan] ??=
        `Line ${i + 1} repeats line ${lineOf[same]} (“${describeStep(step)}”): remove one of them.`;
    } else {
      reminderPlan.push(step);
      lineOf.push(i + 1);
    }
  }
  const organisers = readUsers(values, SETUP.organisers);
  if (organisers.length > 0 && !organisers.includes(userId)) {
    errors[SETUP.organisers] = 'Keep yourself in the list, or ask another organiser to make this change.';
  }
  const organisersChannel = readConversation(values, SETUP.organisersChannel);
  if (!organisersChannel) errors[SETUP.organisersChannel] = 'Pick the channel where drafts should be posted.';
  const input = {
    name: readText(values, SETUP.name),
    // Picked from the list; a form opened before the list existed sent the zone as text.
    timeZone: (readSelected(values, SETUP.timeZone) ?? readText(values, SETUP.timeZone))?.trim(),
    signature: readText(values, SETUP.signature),
    location: readText(values, SETUP.location),
    organisers: organisers.length > 0 ? organisers : [userId],
    organisersChannel,
    communityChannels: readConversations(values, SETUP.communityChannels),
    sponsors: sponsors.ok ? sponsors.items : [],
    template: readSelected(values, SETUP.template) ?? current?.template ?? 'classic',
    reminderPlan,
    style: styleOf(values, current),
    // Set with `/roundup site`, not in this form: kept as it is.
    ...(current?.site ? { site: current.site } : {}),
  };
  const checked = check(groupSchema, input);
  if (!checked.ok) {
    const { route, describe } = routeProblem(ROUTES);
    return {
      ok: false,
      errors: { ...errorsFromProblems(checked.problems, route, SETUP.name, describe), ...errors },
    };
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: checked.value };
}

/** The house style typed in the form; its learnt sentences, which the form does not show, are kept. */
function styleOf(values: StateValues, current: Group | undefined): Group['style'] {
  const frontMatter = (readTextParts(values, SETUP.frontMatter, '\n').text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const typed = {
    ...(frontMatter.length > 0 ? { frontMatter } : {}),
    headerPhoto: readSelected(values, SETUP.headerPhoto),
    imageName: readText(values, SETUP.imageName)?.trim(),
    title: readText(values, SETUP.titlePattern)?.trim(),
    description: readText(values, SETUP.descriptionPattern)?.trim(),
    postName: readText(values, SETUP.postNamePattern)?.trim(),
    ...(current?.style?.sentences ? { sentences: current.style.sentences } : {}),
  };
  const given = Object.values(typed).some((v) => v !== undefined);
  return given || current?.style ? (typed as Group['style']) : undefined;
}
