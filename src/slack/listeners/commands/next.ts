import { buildNextModal } from '../../views/next-modal';
import { currentMeetupOrSay, openModal, type Subcommand } from '../shared';

export const next: Subcommand = {
  name: 'next',
  usage: 'next',
  description: 'the next meetup: date, venue, speakers so far, RSVP link (it closes the post)',
  who: 'organiser',
  async run({ ack, actor, deps, command, respond }) {
    const meetup = await currentMeetupOrSay(deps, actor, ack);
    if (!meetup) return;
    await ack();
    const view = buildNextModal({
      meetupId: meetup.id,
      current: meetup.next,
      timeZone: actor.group?.timeZone ?? 'Europe/London',
      startTime: meetup.startTime,
    });
    await openModal(deps, command.trigger_id, view, actor.userId, respond);
  },
};
