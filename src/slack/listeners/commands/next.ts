import { buildCancelNextPrompt } from '../../views/cancel-next';
import { buildNextModal } from '../../views/next-modal';
import { buildNotice } from '../../views/status-message';
import { currentMeetupOrSay, openModal, type Subcommand } from '../shared';

export const next: Subcommand = {
  name: 'next',
  usage: 'next [cancel]',
  description:
    'the next meetup: date, venue, speakers so far, RSVP link, channels to remind (it closes the post); `cancel` calls it off',
  who: 'organiser',
  acksFirst: true,
  async run({ ack, actor, deps, command, respond, rest }) {
    const meetup = await currentMeetupOrSay(deps, actor, ack);
    if (!meetup) return;
    if (rest[0]?.toLowerCase() === 'cancel') {
      const next = meetup.next;
      if (!next || next.cancelled) return ack(buildNotice('There is no next meetup to call off.'));
      const pending = await deps.store.listReminders(actor.teamId, {
        meetupId: meetup.id,
        statuses: ['pending'],
      });
      return ack(
        buildCancelNextPrompt({
          meetupId: meetup.id,
          next,
          pendingReminders: pending.filter((r) => r.kind.startsWith('before:')).length,
        }),
      );
    }
    await ack();
    const view = buildNextModal({
      meetupId: meetup.id,
      current: meetup.next,
      timeZone: actor.group?.timeZone ?? 'Europe/London',
      communityChannels: actor.group?.communityChannels,
    });
    await openModal(deps, command.trigger_id, view, actor.userId, respond);
  },
};
