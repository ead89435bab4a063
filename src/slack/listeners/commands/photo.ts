import { openFromCommand, photoForm } from '../open-forms';
import type { Subcommand } from '../shared';

export const photo: Subcommand = {
  name: 'photo',
  usage: 'photo',
  description: 'upload photos of the evening (header, group, others) with a description',
  who: 'organiser',
  acksFirst: true,
  run: (args) => openFromCommand(photoForm, args),
};
