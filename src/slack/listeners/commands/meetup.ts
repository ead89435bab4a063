import { localToday } from '../../../services/meetups';
import { buildMeetupModal } from '../../views/meetup-modal';
import { buildNotice } from '../../views/status-message';
import { currentMeetupOrSay, openModal, type Subcommand } from '../shared';

export const newMeetup: Subcommand = {
  name: 'new',
  usage: 'new',
  description: 'start the meetup just held (or about to be): date, venue, host, sponsors, header photo',
  who: 'organiser',
  acksFirst: true,
  async run({ ack, actor, deps, command, respond }) {
    const group = actor.group;
    if (!group) return ack(buildNotice('Set up roundup first with `/roundup setup`.'));
    await ack();
    const view = buildMeetupModal({ roster: group.sponsors, today: localToday(deps, group.timeZone) });
    await openModal(deps, command.trigger_id, view, actor.userId, respond);
  },
};

export const editMeetup: Subcommand = {
  name: 'edit',
  usage: 'edit',
  description: 'change the current meetup’s details',
  who: 'organiser',
  acksFirst: true,
  async run({ ack, actor, deps, command, respond }) {
    const group = actor.group;
    if (!group) return ack(buildNotice('Set up roundup first with `/roundup setup`.'));
    const meetup = await currentMeetupOrSay(deps, actor, ack);
    if (!meetup) return;
    await ack();
    const view = buildMeetupModal({
      current: meetup,
      roster: group.sponsors,
      today: localToday(deps, group.timeZone),
    });
    await openModal(deps, command.trigger_id, view, actor.userId, respond);
  },
};
