import { buildCancelNextPrompt } from '../../views/cancel-next';
import { buildNotice } from '../../views/status-message';
import { nextForm, openFromCommand } from '../open-forms';
import { currentMeetupOrSay, type Subcommand } from '../shared';

export const next: Subcommand = {
  name: 'next',
  usage: 'next [cancel]',
  description:
    'the next meetup: date, venue, speakers so far, RSVP link, channels to remind (it closes the post); `cancel` calls it off',
  who: 'organiser',
  acksFirst: true,
  async run(args) {
    const { ack, actor, deps, rest } = args;
    if (rest[0]?.toLowerCase() === 'cancel') {
      const meetup = await currentMeetupOrSay(deps, actor, ack);
      if (!meetup) return;
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
    return openFromCommand(nextForm, args);
  },
};
