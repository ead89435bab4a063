import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { TeamDeps } from '../../../services/deps';
import { refreshHome } from '../../../services/home';
import { actorOf } from '../../middleware/actor';

/** Opening the App Home's Home tab shows the latest state (before the first setup, Set up for whoever may). */
export function appHomeOpened(deps: TeamDeps) {
  return async ({ event, context }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs) => {
    if (event.tab !== 'home') return;
    const actor = actorOf(context);
    await refreshHome(deps, actor.teamId, [event.user], {
      maySetUp: actor.maySetUp && actor.userId === event.user ? [event.user] : [],
    });
  };
}
