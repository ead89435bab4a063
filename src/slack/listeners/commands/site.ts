import { buildSiteModal } from '../../views/site-modal';
import { openModal, type Subcommand } from '../shared';

export const site: Subcommand = {
  name: 'site',
  usage: 'site',
  description: 'the group’s own site, where drafts are published (a GitHub repository or a git remote)',
  who: 'organiser',
  acksFirst: true,
  async run({ ack, actor, deps, command, respond }) {
    await ack();
    await openModal(deps, command.trigger_id, buildSiteModal(actor.group?.site), actor.userId, respond);
  },
};
