import { buildSetupModal } from '../../views/setup-modal';
import { openModal, type Subcommand } from '../shared';

export const setup: Subcommand = {
  name: 'setup',
  usage: 'setup',
  description: 'the group, its organisers and channels, sponsor roster and template',
  who: 'setup',
  acksFirst: true,
  async run({ ack, actor, deps, command, respond }) {
    await ack();
    await openModal(
      deps,
      command.trigger_id,
      buildSetupModal(actor.group, actor.userId),
      actor.userId,
      respond,
    );
  },
};
