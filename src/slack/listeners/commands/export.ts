import { buildNotice } from '../../views/status-message';
import { currentMeetupOrSay, explainSlackFailure, type Subcommand, tell } from '../shared';

export const exportMeetup: Subcommand = {
  name: 'export',
  usage: 'export',
  description: 'the meetup as the JSON file that `roundup render` reads, sent to you',
  who: 'organiser',
  async run({ ack, actor, deps, respond }) {
    const meetup = await currentMeetupOrSay(deps, actor, ack);
    if (!meetup) return;
    const roundup = await deps.store.getRoundup(actor.teamId, meetup.id);
    if (!roundup) return ack(buildNotice('That meetup no longer exists.'));
    await ack(buildNotice(':outbox_tray: Sending the JSON to your direct messages…'));
    const filename = `${meetup.date}-roundup.json`;
    try {
      const dm = await deps.client.conversations.open({ users: actor.userId });
      const channelId = dm.channel?.id as string;
      await deps.client.filesUploadV2({
        channel_id: channelId,
        initial_comment: `The meetup of ${meetup.date} as JSON: \`npx roundup render ${filename}\` turns it into the post. Uploaded photos are referred to by file name, relative to the JSON file.`,
        file_uploads: [
          { file: Buffer.from(`${JSON.stringify(roundup, null, 2)}\n`), filename, title: filename },
        ],
      });
      await tell(
        deps,
        actor.userId,
        `:white_check_mark: \`${filename}\` is in your direct messages with me.`,
        respond,
      );
    } catch (err) {
      await tell(deps, actor.userId, explainSlackFailure(err, 'send the export'), respond);
    }
  },
};
