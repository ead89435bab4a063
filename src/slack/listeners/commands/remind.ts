import { previewNextReminder, upcomingReminders } from '../../../services/reminders';
import { buildRemindersList } from '../../views/reminder-message';
import { buildNotice } from '../../views/status-message';
import type { Subcommand } from '../shared';

export const remind: Subcommand = {
  name: 'remind',
  usage: 'remind [preview]',
  description:
    'the upcoming reminders, each with a cancel (or restore) button; `preview` shows you the next one as it will be posted',
  who: 'organiser',
  async run({ ack, actor, deps, rest }) {
    const zone = actor.group?.timeZone ?? 'UTC';
    if (rest[0]?.toLowerCase() === 'preview') {
      const preview = await previewNextReminder(deps, actor.teamId);
      if (!preview)
        return ack(buildNotice('No reminder of the next meetup is scheduled. `/roundup next` sets one up.'));
      return ack({ response_type: 'ephemeral', text: preview.message.text, blocks: preview.blocks(zone) });
    }
    await ack(buildRemindersList(await upcomingReminders(deps, actor.teamId), zone));
  },
};
