import { openFromCommand, setupForm } from '../open-forms';
import type { Subcommand } from '../shared';

export const setup: Subcommand = {
  name: 'setup',
  usage: 'setup',
  description: 'the group, its organisers and channels, sponsor roster and template',
  who: 'setup',
  acksFirst: true,
  run: (args) => openFromCommand(setupForm, args),
};
