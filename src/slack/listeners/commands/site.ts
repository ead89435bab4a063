import { openFromCommand, siteForm } from '../open-forms';
import type { Subcommand } from '../shared';

export const site: Subcommand = {
  name: 'site',
  usage: 'site',
  description: 'the group’s own site, where drafts are published (a GitHub repository or a git remote)',
  who: 'organiser',
  acksFirst: true,
  run: (args) => openFromCommand(siteForm, args),
};
