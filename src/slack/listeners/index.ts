import type { AllMiddlewareArgs, App } from '@slack/bolt';
import type { Deps, TeamDeps } from '../../services/deps';
import { loadActor } from '../middleware/actor';
import { trackInFlight } from '../middleware/in-flight';
import { onlyWhereInstalled } from '../middleware/installed';
import { onceOnly } from '../middleware/once';
import { organisersOnly } from '../middleware/organisers-only';
import { MEETUP_CALENDAR_FIELDS, NEXT_CALENDAR_FIELDS } from '../views/calendar-fill';
import { ACTION, CALLBACK } from '../views/ids';
import { draftEditTalk, draftPublished, draftRegenerate } from './actions/draft-buttons';
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
import { addTalkClicked, talkMenuChosen } from './actions/talk-menu';
import { ROUNDUP_COMMAND, roundupCommand } from './commands/roundup';
import { appHomeOpened } from './events/app-home-opened';
import { appUninstalled, tokensRevoked } from './events/app-uninstalled';
import { askSubmitted } from './views/ask';
import { deleteTalkSubmitted } from './views/delete-talk';
import { meetupSubmitted } from './views/meetup';
import { nextSubmitted } from './views/next';
import { photoSubmitted } from './views/photo';
import { setupSubmitted } from './views/setup';
import { siteSubmitted } from './views/site';
import { talkSubmitted } from './views/talk';

/** Where a listener's work gets its workspace's Slack: the client and token of the request's team. */
type ForTeam = <A extends AllMiddlewareArgs>(
  make: (deps: TeamDeps) => (args: A) => Promise<void>,
) => (args: A) => Promise<void>;

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

  const team: ForTeam = (make) => (args) =>
    make({
      ...deps,
      teamId: args.context.teamId as string,
      client: args.client,
      botToken: args.context.botToken as string,
    })(args);

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

  app.event('app_home_opened', team(appHomeOpened));
  app.event('app_uninstalled', appUninstalled(deps));
  app.event('tokens_revoked', tokensRevoked(deps));
}
