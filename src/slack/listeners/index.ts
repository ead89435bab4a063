import type { App } from '@slack/bolt';
import type { Deps } from '../../services/deps';
import { loadActor } from '../middleware/actor';
import { trackInFlight } from '../middleware/in-flight';
import { onlyWhereInstalled } from '../middleware/installed';
import { onceOnly } from '../middleware/once';
import { organisersOnly } from '../middleware/organisers-only';
import { MEETUP_CALENDAR_FIELDS, NEXT_CALENDAR_FIELDS } from '../views/calendar-fill';
import { actionIdOf } from '../views/form';
import { ACTION, ADD_TO_ROUNDUP, CALLBACK, HOME, SETUP, STEPS, TALK } from '../views/ids';
import { addSpeakerClicked } from './actions/add-speaker';
import { addToRoundupMeetupChosen } from './actions/add-to-roundup-meetup';
import { draftEditTalk, draftPublished, draftRegenerate } from './actions/draft-buttons';
import { homeDraftClicked, homeFormButton, homeRemindersClicked } from './actions/home-buttons';
import { openAskedTalk } from './actions/open-asked-talk';
import { draftPublish } from './actions/publish-button';
import { registerCalendarFill } from './actions/read-calendar';
import {
  cancelNextMeetupClicked,
  cancelReminderClicked,
  postCancellationNoticeClicked,
  restoreReminderClicked,
  rsvpClicked,
} from './actions/reminders';
import { stepBack } from './actions/step-back';
import { revokeTalkLinksClicked, talkLinkClicked } from './actions/talk-link';
import { addTalkClicked, talkMenuChosen } from './actions/talk-menu';
import { ROUNDUP_COMMAND, roundupCommand } from './commands/roundup';
import { appHomeOpened } from './events/app-home-opened';
import { appUninstalled, tokensRevoked } from './events/app-uninstalled';
import { forTeam } from './for-team';
import {
  openAskForm,
  openEditMeetupForm,
  openNewMeetupForm,
  openNextForm,
  openPhotoForm,
  openSetupForm,
  openSiteForm,
  openTalkForm,
} from './open-forms';
import { timeZoneOptionsRequested } from './options/time-zone';
import { addToRoundupShortcut } from './shortcuts/add-to-roundup';
import { addToRoundupSubmitted } from './views/add-to-roundup';
import { askSubmitted } from './views/ask';
import { deleteTalkSubmitted } from './views/delete-talk';
import { meetupSubmitted } from './views/meetup';
import { nextSubmitted } from './views/next';
import { photoSubmitted } from './views/photo';
import { setupSubmitted } from './views/setup';
import { siteSubmitted } from './views/site';
import { talkSubmitted } from './views/talk';

/**
 * Every listener, registered in one place, behind the middleware that answers workspaces roundup is not
 * installed in, loads the actor and drops duplicates. Each runs with the Slack of the workspace its request
 * came from: Bolt's client for the request, made with the token the installation gave.
 */
export function registerListeners(app: App, deps: Deps, o: { installUrl?: string } = {}): void {
  app.use(trackInFlight(deps.inFlight));
  app.use(onlyWhereInstalled({ logger: deps.logger, installUrl: o.installUrl }));
  app.use(loadActor(deps.store));
  app.use(onceOnly(deps.store));

  const team = forTeam(deps);

  app.command(ROUNDUP_COMMAND, team(roundupCommand));

  app.view(CALLBACK.setup, team(setupSubmitted));
  app.view(CALLBACK.meetup, team(meetupSubmitted));
  app.view(CALLBACK.talk, team(talkSubmitted));
  app.view(CALLBACK.deleteTalk, team(deleteTalkSubmitted));
  app.view(CALLBACK.photo, team(photoSubmitted));
  app.view(CALLBACK.next, team(nextSubmitted));
  app.view(CALLBACK.ask, team(askSubmitted));
  app.view(CALLBACK.site, team(siteSubmitted));

  const organisers = team(organisersOnly);
  app.action(ACTION.talkMenu, organisers, team(talkMenuChosen));
  app.action(ACTION.addTalk, organisers, team(addTalkClicked));
  app.action(ACTION.talkLink, organisers, team(talkLinkClicked));
  app.action(ACTION.revokeTalkLinks, organisers, team(revokeTalkLinksClicked));
  app.action(ACTION.openAskedTalk, team(openAskedTalk));
  app.action(ACTION.draftEditTalk, organisers, team(draftEditTalk));
  app.action(ACTION.draftRegenerate, organisers, team(draftRegenerate));
  app.action(ACTION.draftPublished, organisers, team(draftPublished));
  app.action(ACTION.draftPublish, organisers, team(draftPublish));
  app.action(ACTION.rsvp, rsvpClicked);
  app.action(ACTION.cancelReminder, organisers, team(cancelReminderClicked));
  app.action(ACTION.restoreReminder, organisers, team(restoreReminderClicked));
  app.action(ACTION.cancelNextMeetup, organisers, team(cancelNextMeetupClicked));
  app.action(ACTION.postCancellationNotice, organisers, team(postCancellationNoticeClicked));
  registerCalendarFill(app, deps, { callbackId: CALLBACK.meetup, mapping: MEETUP_CALENDAR_FIELDS });
  registerCalendarFill(app, deps, { callbackId: CALLBACK.next, mapping: NEXT_CALENDAR_FIELDS });

  app.action(STEPS.back, team(stepBack));
  app.action(TALK.addSpeaker, team(addSpeakerClicked));
  app.options(actionIdOf(SETUP.timeZone), team(timeZoneOptionsRequested));
  // The App Home's buttons: each does what its subcommand does (Publish is the draft's own button).
  app.action(HOME.setup, team(homeFormButton(openSetupForm, { who: 'setup' })));
  app.action(HOME.newMeetup, organisers, team(homeFormButton(openNewMeetupForm)));
  app.action(HOME.editMeetup, organisers, team(homeFormButton(openEditMeetupForm)));
  app.action(HOME.addTalk, organisers, team(homeFormButton(openTalkForm('new'))));
  app.action(HOME.editTalks, organisers, team(homeFormButton(openTalkForm())));
  app.action(HOME.ask, organisers, team(homeFormButton(openAskForm())));
  app.action(HOME.photos, organisers, team(homeFormButton(openPhotoForm)));
  app.action(HOME.next, organisers, team(homeFormButton(openNextForm)));
  app.action(HOME.site, organisers, team(homeFormButton(openSiteForm)));
  app.action(HOME.reminders, organisers, team(homeRemindersClicked));
  app.action(HOME.draft, organisers, team(homeDraftClicked));
  app.action(HOME.rsvp, rsvpClicked);

  app.event('app_home_opened', team(appHomeOpened));
  app.event('app_uninstalled', appUninstalled(deps));
  app.event('tokens_revoked', tokensRevoked(deps));

  // Photos posted in a channel, added to a meetup by the message shortcut (organisers only, checked inside).
  app.shortcut(ADD_TO_ROUNDUP.shortcut, team(addToRoundupShortcut));
  app.action(actionIdOf(ADD_TO_ROUNDUP.meetup), organisers, team(addToRoundupMeetupChosen));
  app.view(ADD_TO_ROUNDUP.modal, team(addToRoundupSubmitted));
}
