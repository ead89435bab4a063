import type { Migration } from 'kysely';
import * as initial from './001-initial';
import * as slackWork from './002-slack-work';
import * as reminders from './003-reminders';
import * as reminderClaims from './004-reminder-claims';
import * as sitePosts from './005-site-posts';
import * as publishing from './006-publishing';
import * as photoFiles from './007-photo-files';
import * as installations from './008-installations';
import * as talkLinks from './009-talk-links';
import * as deliveryAnswers from './010-delivery-answers';

/**
 * Every migration, in the order they apply. Kysely's migrator orders them by name, so names start with a
 * zero-padded number; a name, once released, never changes.
 */
export const migrations: Record<string, Migration> = {
  '001-initial': initial,
  '002-slack-work': slackWork,
  '003-reminders': reminders,
  '004-reminder-claims': reminderClaims,
  '005-site-posts': sitePosts,
  '006-publishing': publishing,
  '007-photo-files': photoFiles,
  '008-installations': installations,
  '009-talk-links': talkLinks,
  '010-delivery-answers': deliveryAnswers,
};
