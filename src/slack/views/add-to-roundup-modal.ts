import type { KnownBlock, ModalView } from '@slack/types';
import { eventPhotoSchema } from '../../domain/meetup';
import { check } from '../../domain/validate';
import { escapeMrkdwn } from '../../render/slack-preview';
import type { PhotoPlace } from '../../services/message-photos';
import type { SlackFileRef } from '../../services/photos';
import {
  type FormResult,
  modal,
  note,
  option,
  readSelected,
  readText,
  type StateValues,
  staticSelect,
  textInput,
} from './form';
import { ADD_TO_ROUNDUP } from './ids';

/** What the form carries between its drawings and to its submission. */
export interface AddToRoundupMetadata {
  /** The meetup the roles were drawn for (its talks). */
  meetupId: string;
  /** The message's images that may be added, in the message's order. */
  files: SlackFileRef[];
  /** Why the message's other images may not. */
  refused: string[];
}

export interface AddToRoundupModalOptions extends AddToRoundupMetadata {
  /** The team's meetups, newest first. */
  meetups: ReadonlyArray<{ id: string; label: string }>;
  /** The talks of the meetup `meetupId`, in their order. */
  talks: ReadonlyArray<{ id: string; title: string; speakers: readonly string[] }>;
}

/**
 * A role per image: the block ids carry the meetup, so that redrawn for another meetup the form never keeps a
 * talk of the first one selected.
 */
export function roleBlockId(meetupId: string, index: number): string {
  return `${ADD_TO_ROUNDUP.role}_${index}_${meetupId}`;
}

export function altBlockId(index: number): string {
  return `${ADD_TO_ROUNDUP.alt}_${index}`;
}

const displayName = (file: SlackFileRef) => file.name?.replace(/\p{Cc}/gu, ' ').trim() || file.id;

/**
 * The form of the "Add to roundup" shortcut: the message's images, which meetup, and for each image its role
 * (header, group photo, a talk's photo, another photo of the evening, or left out) and its description.
 */
export function buildAddToRoundupModal(o: AddToRoundupModalOptions): ModalView {
  const metadata: AddToRoundupMetadata = { meetupId: o.meetupId, files: o.files, refused: o.refused };
  const count = o.files.length === 1 ? 'one photo' : `${o.files.length} photos`;
  const names = o.files.map((f) => `“${escapeMrkdwn(displayName(f))}”`).join(', ');
  const blocks: KnownBlock[] = [note(`This message has ${count}: ${names}.`)];
  if (o.refused.length > 0) {
    blocks.push(
      note(`:warning: Not offered here: ${o.refused.map((r) => escapeMrkdwn(r)).join('; ')}.`.slice(0, 3000)),
    );
  }
  blocks.push({
    ...staticSelect(
      ADD_TO_ROUNDUP.meetup,
      'Which meetup',
      o.meetups.slice(0, 100).map((m) => option(m.id, m.label)),
      { initial: o.meetupId },
    ),
    // Choosing another meetup redraws the form with that meetup's talks.
    dispatch_action: true,
  });
  const talkOptions = o.talks
    .slice(0, 95)
    .map((t) => option(`talk:${t.id}`, `${t.speakers.join(', ')}'s talk: ${t.title}`));
  o.files.forEach((file, i) => {
    const label = o.files.length === 1 ? 'What it shows' : `Photo ${i + 1} (${displayName(file)})`;
    blocks.push(
      staticSelect(
        roleBlockId(o.meetupId, i),
        label.slice(0, 150),
        [
          option('header', 'The header photo (top of the post)'),
          option('group', 'The group photo'),
          ...talkOptions,
          option('other', 'Another photo of the evening'),
          option('skip', 'Leave this one out'),
        ],
        { initial: 'other' },
      ),
      textInput(
        altBlockId(i),
        o.files.length === 1 ? 'Description (alt text)' : `Description of photo ${i + 1}`,
        {
          optional: true,
          max: 200,
          hint: 'What the photo shows, for people who cannot see it.',
        },
      ),
    );
  });
  return modal(ADD_TO_ROUNDUP.modal, 'Add to roundup', blocks, {
    submit: 'Add',
    privateMetadata: JSON.stringify(metadata),
  });
}

export interface AddToRoundupForm {
  meetupId: string;
  placed: Array<{ file: SlackFileRef; place: PhotoPlace }>;
}

/** The roles and descriptions typed, checked: one header, one photo per talk, a description a post can hold. */
export function readAddToRoundupModal(
  values: StateValues,
  metadata: AddToRoundupMetadata,
): FormResult<AddToRoundupForm> {
  const chosen = readSelected(values, ADD_TO_ROUNDUP.meetup);
  if (chosen && chosen !== metadata.meetupId) {
    return {
      ok: false,
      errors: { [ADD_TO_ROUNDUP.meetup]: 'The roles below are for another meetup: choose this one again.' },
    };
  }
  const placed: AddToRoundupForm['placed'] = [];
  const seen = new Map<string, number>();
  for (const [i, file] of metadata.files.entries()) {
    const roleBlock = roleBlockId(metadata.meetupId, i);
    const role = readSelected(values, roleBlock) ?? 'other';
    const alt = readText(values, altBlockId(i))?.trim();
    if (alt) {
      const checked = check(eventPhotoSchema, { role: 'other', path: '/photo', alt });
      const problem = checked.ok ? undefined : checked.problems[0];
      if (problem) return { ok: false, errors: { [altBlockId(i)]: `The description ${problem.message}.` } };
    }
    if (role === 'skip') {
      placed.push({ file, place: { role: 'skip' } });
      continue;
    }
    if (role === 'header' || role.startsWith('talk:')) {
      const before = seen.get(role);
      if (before !== undefined) {
        const what = role === 'header' ? 'A post has one header photo' : 'A talk has one photo';
        return {
          ok: false,
          errors: { [roleBlock]: `${what}, and photo ${before + 1} is it already: pick another role.` },
        };
      }
      seen.set(role, i);
    }
    const withAlt = alt ? { alt } : {};
    if (role.startsWith('talk:'))
      placed.push({ file, place: { role: 'talk', talkId: role.slice(5), ...withAlt } });
    else if (role === 'header' || role === 'group' || role === 'other')
      placed.push({ file, place: { role, ...withAlt } });
    else return { ok: false, errors: { [roleBlock]: 'Pick what this photo shows.' } };
  }
  if (placed.every((p) => p.place.role === 'skip')) {
    const first = roleBlockId(metadata.meetupId, 0);
    return { ok: false, errors: { [first]: 'Every photo is left out: give at least one a role.' } };
  }
  return { ok: true, value: { meetupId: metadata.meetupId, placed } };
}

/**
 * What the form turns into once submitted: the photos are being copied; once copied (`outcome`), how many
 * were added and why any other was not.
 */
export function buildAddedToRoundupView(o: {
  count: number;
  meetupLabel: string;
  outcome?: { stored: number; refused: readonly string[] };
}): ModalView {
  const where = `*${escapeMrkdwn(o.meetupLabel)}*`;
  let text: string;
  if (!o.outcome) {
    const photos = o.count === 1 ? 'The photo is' : `The ${o.count} photos are`;
    text = `:hourglass_flowing_sand: ${photos} being copied from the message into ${where}. If one cannot be used, I will tell you why in a direct message.`;
  } else {
    const { stored, refused } = o.outcome;
    const added =
      stored === 0
        ? `:warning: No photo was added to ${where}.`
        : `:white_check_mark: ${stored === 1 ? 'One photo was' : `${stored} photos were`} added to ${where}: they show in the App Home and in the next draft.`;
    const why = refused.length > 0 ? ` Not added: ${refused.map((r) => escapeMrkdwn(r)).join('; ')}.` : '';
    text = `${added}${why}`.slice(0, 3000);
  }
  return modal(
    ADD_TO_ROUNDUP.modal,
    'Added to roundup',
    [{ type: 'section', text: { type: 'mrkdwn', text } }],
    {
      close: 'Done',
    },
  );
}
