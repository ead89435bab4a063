import { meetupOverview } from '../../../services/meetups';
import { buildNotice, buildStatusMessage } from '../../views/status-message';
import { currentMeetupOrSay, type Subcommand } from '../shared';

export const status: Subcommand = {
  name: 'status',
  usage: 'status',
  description: 'what is collected for the post and what is missing',
  who: 'organiser',
  async run({ ack, actor, deps }) {
    if (!actor.group) return ack(buildNotice('Set up roundup first with `/roundup setup`.'));
    const meetup = await currentMeetupOrSay(deps, actor, ack);
    if (!meetup) return;
    await ack(buildStatusMessage(await meetupOverview(deps, actor.teamId, actor.group, meetup)));
  },
};
