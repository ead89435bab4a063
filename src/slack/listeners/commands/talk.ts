import { buildNotice } from '../../views/status-message';
import { openFromCommand, talkForm } from '../open-forms';
import type { Subcommand } from '../shared';

export const talk: Subcommand = {
  name: 'talk',
  usage: 'talk [new | number]',
  description: 'add a talk, or pick one to edit, reorder or delete',
  who: 'organiser',
  acksFirst: true,
  async run(args) {
    const [which] = args.rest;
    if (which && !/^\d+$/.test(which) && which.toLowerCase() !== 'new')
      return args.ack(buildNotice(`\`/roundup talk ${which}\`: give a talk’s number, or \`new\`.`));
    const chosen = which === undefined ? undefined : /^\d+$/.test(which) ? Number(which) : 'new';
    return openFromCommand(talkForm(chosen), args);
  },
};
