import { meetupLabel } from '../../../services/meetups';
import { buildPhotoModal } from '../../views/photo-modal';
import { currentMeetupOrSay, openModal, type Subcommand } from '../shared';

export const photo: Subcommand = {
  name: 'photo',
  usage: 'photo',
  description: 'upload photos of the evening (header, group, others) with a description',
  who: 'organiser',
  acksFirst: true,
  async run({ ack, actor, deps, command, respond }) {
    const meetup = await currentMeetupOrSay(deps, actor, ack);
    if (!meetup) return;
    await ack();
    const view = buildPhotoModal({ meetupId: meetup.id, meetupLabel: meetupLabel(meetup) });
    await openModal(deps, command.trigger_id, view, actor.userId, respond);
  },
};
