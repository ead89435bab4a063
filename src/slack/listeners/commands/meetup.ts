import { editMeetupForm, newMeetupForm, openFromCommand } from '../open-forms';
import type { Subcommand } from '../shared';

export const newMeetup: Subcommand = {
  name: 'new',
  usage: 'new',
  description: 'start the meetup just held (or about to be): date, venue, host, sponsors, header photo',
  who: 'organiser',
  acksFirst: true,
  run: (args) => openFromCommand(newMeetupForm, args),
};

export const editMeetup: Subcommand = {
  name: 'edit',
  usage: 'edit',
  description: 'change the current meetup’s details',
  who: 'organiser',
  acksFirst: true,
  run: (args) => openFromCommand(editMeetupForm, args),
};
