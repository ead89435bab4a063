import type { RespondFn } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { TeamDeps } from '../../services/deps';
import { localToday, meetupLabel } from '../../services/meetups';
import type { MeetupRecord } from '../../store/store';
import type { Actor } from '../middleware/actor';
import { buildAskModal } from '../views/ask-views';
import { buildMeetupModal } from '../views/meetup-modal';
import { buildNextModal } from '../views/next-modal';
import { buildPhotoModal } from '../views/photo-modal';
import { buildSetupModal } from '../views/setup-modal';
import { buildSiteModal } from '../views/site-modal';
import { buildNotice } from '../views/status-message';
import { buildTalkModal } from '../views/talk-modal';
import { buildTalksModal } from '../views/talks-modal';
import { openModal, type Subcommand } from './shared';

/**
 * "The X form for this actor": what each subcommand and the App Home's matching button open, built in one
 * place. A form resolves to the view to open, or, when there is nothing to open it on (no meetup yet), to
 * what to tell the actor instead. Who may open it is the caller's check (the command's `who`, the buttons'
 * middleware).
 */
export type FormFor = (deps: TeamDeps, actor: Actor) => Promise<ModalView | string>;

/**
 * A form opened from `triggerId` (a failure to open is told to the actor, through `respond` when there is
 * one): resolves to undefined, or to what to tell the actor when there was nothing to open.
 */
export type OpenForm = (
  deps: TeamDeps,
  actor: Actor,
  triggerId: string,
  respond?: RespondFn,
) => Promise<string | undefined>;

export function opening(form: FormFor): OpenForm {
  return async (deps, actor, triggerId, respond) => {
    const view = await form(deps, actor);
    if (typeof view === 'string') return view;
    await openModal(deps, triggerId, view, actor.userId, respond);
    return undefined;
  };
}

export const NOT_SET_UP = 'Set up roundup first with `/roundup setup`.';
export const NO_MEETUP = 'There is no meetup yet: start one with `/roundup new`.';

/** The organiser's own words are Markdown in this meetup (imported posts): the forms show plain inputs. */
export const markdownOf = (meetup: MeetupRecord): { markdown?: true } =>
  meetup.textFormat === 'markdown' ? { markdown: true } : {};

/** `/roundup setup`: the group's form, filled in with what it has. */
export const setupForm: FormFor = async (_deps, actor) => buildSetupModal(actor.group, actor.userId);

/** `/roundup new`: a blank meetup form, dated today in the group's zone. */
export const newMeetupForm: FormFor = async (deps, actor) => {
  const group = actor.group;
  if (!group) return NOT_SET_UP;
  return buildMeetupModal({ roster: group.sponsors, today: localToday(deps, group.timeZone) });
};

/** `/roundup edit`: the current meetup's form. */
export const editMeetupForm: FormFor = async (deps, actor) => {
  const group = actor.group;
  if (!group) return NOT_SET_UP;
  const meetup = await deps.store.currentMeetup(actor.teamId);
  if (!meetup) return NO_MEETUP;
  return buildMeetupModal({
    current: meetup,
    roster: group.sponsors,
    today: localToday(deps, group.timeZone),
  });
};

/**
 * `/roundup talk [new | number]`: `new` a blank talk form, a number that talk's form, nothing the talk list
 * (or a blank form while there are no talks).
 */
export function talkForm(which?: 'new' | number): FormFor {
  return async (deps, actor) => {
    const meetup = await deps.store.currentMeetup(actor.teamId);
    if (!meetup) return NO_MEETUP;
    const label = meetupLabel(meetup);
    const markdown = markdownOf(meetup);
    if (typeof which === 'number') {
      const chosen = meetup.talks[which - 1];
      if (!chosen) {
        return `There is no talk ${which}; ${label} has ${meetup.talks.length}. Try \`/roundup talk\`.`;
      }
      return buildTalkModal({
        metadata: { meetupId: meetup.id, talkId: chosen.id, ...markdown },
        current: chosen,
        meetupLabel: label,
      });
    }
    if (which === 'new' || meetup.talks.length === 0) {
      return buildTalkModal({ metadata: { meetupId: meetup.id, ...markdown }, meetupLabel: label });
    }
    return buildTalksModal({ meetupId: meetup.id, meetupLabel: label, talks: meetup.talks });
  };
}

/** `/roundup ask [@speaker] [talk]`: the ask form, with the speaker and the talk picked when known. */
export function askForm(o: { speaker?: string; talkId?: string } = {}): FormFor {
  return async (deps, actor) => {
    const meetup = await deps.store.currentMeetup(actor.teamId);
    if (!meetup) return NO_MEETUP;
    if (meetup.talks.length === 0) {
      return 'Add the talk first with `/roundup talk` (a speaker and a title are enough), then ask its speaker.';
    }
    return buildAskModal({
      metadata: { meetupId: meetup.id },
      talks: meetup.talks,
      speaker: o.speaker,
      talkId: o.talkId,
    });
  };
}

/** `/roundup photo`: the photo upload form for the current meetup. */
export const photoForm: FormFor = async (deps, actor) => {
  const meetup = await deps.store.currentMeetup(actor.teamId);
  if (!meetup) return NO_MEETUP;
  return buildPhotoModal({
    meetupId: meetup.id,
    meetupLabel: meetupLabel(meetup),
    ...markdownOf(meetup),
  });
};

/** `/roundup next`: the next meetup's form, filled in with what is known of it. */
export const nextForm: FormFor = async (deps, actor) => {
  const meetup = await deps.store.currentMeetup(actor.teamId);
  if (!meetup) return NO_MEETUP;
  return buildNextModal({
    meetupId: meetup.id,
    current: meetup.next,
    timeZone: actor.group?.timeZone ?? 'Europe/London',
    communityChannels: actor.group?.communityChannels,
    ...markdownOf(meetup),
  });
};

/** `/roundup site`: the group's site form. */
export const siteForm: FormFor = async (_deps, actor) => buildSiteModal(actor.group?.site);

/** The App Home's buttons open the same forms. */
export const openSetupForm = opening(setupForm);
export const openNewMeetupForm = opening(newMeetupForm);
export const openEditMeetupForm = opening(editMeetupForm);
export const openTalkForm = (which?: 'new' | number) => opening(talkForm(which));
export const openAskForm = (o: { speaker?: string; talkId?: string } = {}) => opening(askForm(o));
export const openPhotoForm = opening(photoForm);
export const openNextForm = opening(nextForm);
export const openSiteForm = opening(siteForm);

/**
 * A subcommand that opens its form: what stops it goes in the acknowledgement, else the acknowledgement goes
 * out empty and the form follows within the trigger's 3 seconds.
 */
export async function openFromCommand(
  form: FormFor,
  { ack, actor, deps, command, respond }: Parameters<Subcommand['run']>[0],
): Promise<void> {
  const view = await form(deps, actor);
  if (typeof view === 'string') return ack(buildNotice(view));
  await ack();
  await openModal(deps, command.trigger_id, view, actor.userId, respond);
}
