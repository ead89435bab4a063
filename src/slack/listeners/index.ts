import type { App } from '@slack/bolt';
import type { Deps } from '../../services/deps';
import { loadActor } from '../middleware/actor';
import { trackInFlight } from '../middleware/in-flight';
import { onceOnly } from '../middleware/once';
import { organisersOnly } from '../middleware/organisers-only';
import { ACTION, CALLBACK } from '../views/ids';
import { draftEditTalk, draftPublished, draftRegenerate } from './actions/draft-buttons';
import { openAskedTalk } from './actions/open-asked-talk';
import { draftPublish } from './actions/publish-button';
import {
  cancelNextMeetupClicked,
  cancelReminderClicked,
  postCancellationNoticeClicked,
  restoreReminderClicked,
  rsvpClicked,
} from './actions/reminders';
import { addTalkClicked, talkMenuChosen } from './actions/talk-menu';
import { ROUNDUP_COMMAND, roundupCommand } from './commands/roundup';
import { appHomeOpened } from './events/app-home-opened';
import { askSubmitted } from './views/ask';
import { deleteTalkSubmitted } from './views/delete-talk';
import { meetupSubmitted } from './views/meetup';
import { nextSubmitted } from './views/next';
import { photoSubmitted } from './views/photo';
import { setupSubmitted } from './views/setup';
import { siteSubmitted } from './views/site';
import { talkSubmitted } from './views/talk';

/** Every listener, registered in one place, behind the middleware that loads the actor and drops duplicates. */
export function registerListeners(app: App, deps: Deps): void {
  app.use(trackInFlight(deps.inFlight));
  app.use(loadActor(deps.store));
  app.use(onceOnly(deps.store));

  app.command(ROUNDUP_COMMAND, roundupCommand(deps));

  app.view(CALLBACK.setup, setupSubmitted(deps));
  app.view(CALLBACK.meetup, meetupSubmitted(deps));
  app.view(CALLBACK.talk, talkSubmitted(deps));
  app.view(CALLBACK.deleteTalk, deleteTalkSubmitted(deps));
  app.view(CALLBACK.photo, photoSubmitted(deps));
  app.view(CALLBACK.next, nextSubmitted(deps));
  app.view(CALLBACK.ask, askSubmitted(deps));
  app.view(CALLBACK.site, siteSubmitted(deps));

  app.action(ACTION.talkMenu, organisersOnly(deps), talkMenuChosen(deps));
  app.action(ACTION.addTalk, organisersOnly(deps), addTalkClicked(deps));
  app.action(ACTION.openAskedTalk, openAskedTalk(deps));
  app.action(ACTION.draftEditTalk, organisersOnly(deps), draftEditTalk(deps));
  app.action(ACTION.draftRegenerate, organisersOnly(deps), draftRegenerate(deps));
  app.action(ACTION.draftPublished, organisersOnly(deps), draftPublished(deps));
  app.action(ACTION.draftPublish, organisersOnly(deps), draftPublish(deps));
  app.action(ACTION.rsvp, rsvpClicked);
  app.action(ACTION.cancelReminder, organisersOnly(deps), cancelReminderClicked(deps));
  app.action(ACTION.restoreReminder, organisersOnly(deps), restoreReminderClicked(deps));
  app.action(ACTION.cancelNextMeetup, organisersOnly(deps), cancelNextMeetupClicked(deps));
  app.action(ACTION.postCancellationNotice, organisersOnly(deps), postCancellationNoticeClicked(deps));

  app.event('app_home_opened', appHomeOpened(deps));
}
