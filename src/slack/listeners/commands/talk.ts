import { meetupLabel } from '../../../services/meetups';
import { buildNotice } from '../../views/status-message';
import { buildTalkModal } from '../../views/talk-modal';
import { buildTalksModal } from '../../views/talks-modal';
import { currentMeetupOrSay, openModal, type Subcommand } from '../shared';

export const talk: Subcommand = {
  name: 'talk',
  usage: 'talk [new | number]',
  description: 'add a talk, or pick one to edit, reorder or delete',
  who: 'organiser',
  acksFirst: true,
  async run({ ack, actor, deps, command, respond, rest }) {
    const meetup = await currentMeetupOrSay(deps, actor, ack);
    if (!meetup) return;
    const [which] = rest;
    const label = meetupLabel(meetup);
    let view: ReturnType<typeof buildTalkModal>;
    if (which && /^\d+$/.test(which)) {
      const chosen = meetup.talks[Number(which) - 1];
      if (!chosen) {
        return ack(
          buildNotice(
            `There is no talk ${which}; ${label} has ${meetup.talks.length}. Try \`/roundup talk\`.`,
          ),
        );
      }
      view = buildTalkModal({
        metadata: { meetupId: meetup.id, talkId: chosen.id },
        current: chosen,
        meetupLabel: label,
      });
    } else if (which?.toLowerCase() === 'new' || meetup.talks.length === 0) {
      view = buildTalkModal({ metadata: { meetupId: meetup.id }, meetupLabel: label });
    } else if (which) {
      return ack(buildNotice(`\`/roundup talk ${which}\`: give a talk’s number, or \`new\`.`));
    } else {
      view = buildTalksModal({ meetupId: meetup.id, meetupLabel: label, talks: meetup.talks });
    }
    await ack();
    await openModal(deps, command.trigger_id, view, actor.userId, respond);
  },
};
