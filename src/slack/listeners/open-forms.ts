import type { RespondFn } from '@slack/bolt';
import type { TeamDeps } from '../../services/deps';
import { localToday, meetupLabel } from '../../services/meetups';
import type { Actor } from '../middleware/actor';
import { buildAskModal } from '../views/ask-views';
import { buildMeetupModal } from '../views/meetup-modal';
import { buildNextModal } from '../views/next-modal';
import { buildPhotoModal } from '../views/photo-modal';
import { buildSetupModal } from '../views/setup-modal';
import { buildSiteModal } from '../views/site-modal';
import { buildTalkModal } from '../views/talk-modal';
import { buildTalksModal } from '../views/talks-modal';
import { openModal } from './shared';

/**
 * "Open the X form for this actor": what each subcommand does to open its modal, for the subcommands and the
 * App Home's buttons alike. Each opens the form from `triggerId` (a failure to open is told to the actor,
 * through `respond` when there is one) and resolves to undefined; or, when there is nothing to open the form
 * on, resolves to what to tell the actor instead, without opening anything. Who may open it is the caller's
 * check (the command's `who`, the buttons' middleware).
 */
export type OpenForm = (
  deps: TeamDeps,
  actor: Actor,
  triggerId: string,
  respond?: RespondFn,
) => Promise<string | undefined>;

export const NOT_SET_UP = 'Set up roundup first with `/roundup setup`.';
export const NO_MEETUP = 'There is no meetup yet: start one with `/roundup new`.';

/** `/roundup setup`: the group's form, filled in with what it has. */
export const openSetupForm: OpenForm = async (deps, actor, triggerId, respond) => {
  await openModal(deps, triggerId, buildSetupModal(actor.group, actor.userId), actor.userId, respond);
  return undefined;
};

/** `/roundup new`: a blank meetup form, dated today in the group's zone. */
export const openNewMeetupForm: OpenForm = async (deps, actor, triggerId, respond) => {
  const group = actor.group;
  if (!group) return NOT_SET_UP;
  const view = buildMeetupModal({ roster: group.sponsors, today: localToday(deps, group.timeZone) });
  await openModal(deps, triggerId, view, actor.userId, respond);
  return undefined;
};

/** `/roundup edit`: the current meetup's form. */
export const openEditMeetupForm: OpenForm = async (deps, actor, triggerId, respond) => {
  const group = actor.group;
  if (!group) return NOT_SET_UP;
  const meetup = await deps.store.currentMeetup(actor.teamId);
  if (!meetup) return NO_MEETUP;
  const view = buildMeetupModal({
    current: meetup,
    roster: group.sponsors,
    today: localToday(deps, group.timeZone),
  });
  await openModal(deps, triggerId, view, actor.userId, respond);
  return undefined;
};

/**
 * `/roundup talk [new | number]`: `new` a blank talk form, a number that talk's form, nothing the talk list
 * (or a blank form while there are no talks).
 */
export function openTalkForm(which?: 'new' | number): OpenForm {
  return async (deps, actor, triggerId, respond) => {
    const meetup = await deps.store.currentMeetup(actor.teamId);
    if (!meetup) return NO_MEETUP;
    const label = meetupLabel(meetup);
    let view: ReturnType<typeof buildTalkModal>;
    if (typeof which === 'number') {
      const chosen = meetup.talks[which - 1];
      if (!chosen) {
        return `There is no talk ${which}; ${label} has ${meetup.talks.length}. Try \`/roundup talk\`.`;
      }
      view = buildTalkModal({
        metadata: { meetupId: meetup.id, talkId: chosen.id },
        current: chosen,
        meetupLabel: label,
      });
    } else if (which === 'new' || meetup.talks.length === 0) {
      view = buildTalkModal({ metadata: { meetupId: meetup.id }, meetupLabel: label });
    } else {
      view = buildTalksModal({ meetupId: meetup.id, meetupLabel: label, talks: meetup.talks });
    }
    await openModal(deps, triggerId, view, actor.userId, respond);
    return undefined;
  };
}

/** `/roundup ask [@speaker] [talk]`: the ask form, with the speaker and the talk picked when known. */
export function openAskForm(o: { speaker?: string; talkId?: string } = {}): OpenForm {
  return async (deps, actor, triggerId, respond) => {
    const meetup = await deps.store.currentMeetup(actor.teamId);
    if (!meetup) return NO_MEETUP;
    if (meetup.talks.length === 0) {
      return 'Add the talk first with `/roundup talk` (a speaker and a title are enough), then ask its speaker.';
    }
    const view = buildAskModal({
      metadata: { meetupId: meetup.id },
      talks: meetup.talks,
      speaker: o.speaker,
      talkId: o.talkId,
    });
    await openModal(deps, triggerId, view, actor.userId, respond);
    return undefined;
  };
}

/** `/roundup photo`: the photo upload form for the current meetup. */
export const openPhotoForm: OpenForm = async (deps, actor, triggerId, respond) => {
  const meetup = await deps.store.currentMeetup(actor.teamId);
  if (!meetup) return NO_MEETUP;
  const view = buildPhotoModal({ meetupId: meetup.id, meetupLabel: meetupLabel(meetup) });
  await openModal(deps, triggerId, view, actor.userId, respond);
  return undefined;
};

/** `/roundup next`: the next meetup's form, filled in with what is known of it. */
export const openNextForm: OpenForm = async (deps, actor, triggerId, respond) => {
  const meetup = await deps.store.currentMeetup(actor.teamId);
  if (!meetup) return NO_MEETUP;
  const view = buildNextModal({
    meetupId: meetup.id,
    current: meetup.next,
    timeZone: actor.group?.timeZone ?? 'Europe/London',
    communityChannels: actor.group?.communityChannels,
  });
  await openModal(deps, triggerId, view, actor.userId, respond);
  return undefined;
};

/** `/roundup site`: the group's site form. */
export const openSiteForm: OpenForm = async (deps, actor, triggerId, respond) => {
  await openModal(deps, triggerId, buildSiteModal(actor.group?.site), actor.userId, respond);
  return undefined;
};
