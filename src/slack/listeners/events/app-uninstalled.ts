import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../../services/deps';
import { uninstall } from '../../../services/installations';

/** The app was uninstalled from a workspace: its token goes, its pending reminders stop, its data stays. */
export function appUninstalled(deps: Deps) {
  return async ({ body }: SlackEventMiddlewareArgs<'app_uninstalled'> & AllMiddlewareArgs): Promise<void> => {
    await uninstall(deps, body.team_id, 'uninstalled');
  };
}

/**
 * Tokens were revoked (by an admin, or the app's own removal). Only the bot's token matters: without it
 * nothing can be posted, so it is handled as an uninstall. A revoked user token changes nothing here.
 */
export function tokensRevoked(deps: Deps) {
  return async ({
    body,
    event,
  }: SlackEventMiddlewareArgs<'tokens_revoked'> & AllMiddlewareArgs): Promise<void> => {
    if ((event.tokens.bot ?? []).length === 0) return;
    await uninstall(deps, body.team_id, 'bot token revoked');
  };
}
