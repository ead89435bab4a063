import { DraftError, postDraft } from '../../../services/draft';
import { buildNotice } from '../../views/status-message';
import {
  currentMeetupOrSay,
  explainSlackFailure,
  refreshOrganisersHome,
  type Subcommand,
  tell,
} from '../shared';

export const draft: Subcommand = {
  name: 'draft',
  usage: 'draft',
  description: 'post the draft to the organisers’ channel: preview, .zip and .md, checklist',
  who: 'organiser',
  async run({ ack, actor, deps, respond }) {
    const meetup = await currentMeetupOrSay(deps, actor, ack);
    if (!meetup) return;
    await ack(buildNotice(':hourglass_flowing_sand: Drafting the post…'));
    // Rendering and uploading take longer than Slack's 3 seconds: the outcome follows by response URL.
    const outcome = await postDraft(deps, actor.teamId, meetup.id, actor.userId).catch(
      (err: unknown) => err as Error,
    );
    if (outcome instanceof Error) {
      if (!(outcome instanceof DraftError)) deps.logger.error(`draft failed: ${outcome.message}`);
      const text =
        outcome instanceof DraftError
          ? `:warning: ${outcome.message}`
          : explainSlackFailure(outcome, 'post the draft');
      return tell(deps, actor.userId, text, respond);
    }
    const verb = outcome.updated ? 'updated' : 'posted';
    await tell(
      deps,
      actor.userId,
      `:memo: Draft ${outcome.version} ${verb} in <#${outcome.channelId}>.`,
      respond,
    );
    refreshOrganisersHome(deps, actor);
  },
};
