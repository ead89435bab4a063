import type {
  AllMiddlewareArgs,
  BlockAction,
  SlackActionMiddlewareArgs,
  StaticSelectAction,
} from '@slack/bolt';
import type { TeamDeps } from '../../../services/deps';
import { slackError } from '../../../services/slack-errors';
import { actorOf } from '../../middleware/actor';
import type { AddToRoundupMetadata } from '../../views/add-to-roundup-modal';
import { parseMetadata } from '../shared';
import { addToRoundupView } from '../shortcuts/add-to-roundup';

type Args = SlackActionMiddlewareArgs<BlockAction<StaticSelectAction>> & AllMiddlewareArgs;

/** Another meetup chosen in the "Add to roundup" form: the form redrawn with that meetup's talks as roles. */
export function addToRoundupMeetupChosen(deps: TeamDeps) {
  return async ({ ack, body, action, context }: Args): Promise<void> => {
    await ack();
    const actor = actorOf(context);
    const view = body.view;
    const meetupId = action.selected_option?.value;
    if (!view || !meetupId) return;
    const { files = [], refused = [] } = parseMetadata<AddToRoundupMetadata>(view.private_metadata);
    const redrawn = await addToRoundupView(deps, actor.teamId, { meetupId, files, refused });
    if (!redrawn) return;
    try {
      // The hash: a form changed meanwhile (a second choice) is not drawn over with an older one.
      await deps.client.views.update({ view_id: view.id, hash: view.hash, view: redrawn });
    } catch (err) {
      // Submitting then says the roles are for another meetup, under the meetup's field.
      deps.logger.warn(`redrawing the Add to roundup form failed: ${slackError(err) ?? String(err)}`);
    }
  };
}
