import { buildNotice } from '../../views/status-message';
import { currentMeetupOrSay, draftAndTell, type Subcommand } from '../shared';

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
    await draftAndTell(deps, actor, meetup.id, respond);
  },
};
