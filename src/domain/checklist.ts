import type { Meetup } from './meetup';

/** One thing the post still lacks. `blocking` items make the post wrong; the others make it thinner. */
export interface ChecklistItem {
  key: string;
  /** Plain text (shown escaped); a command in it is written between backticks. */
  text: string;
  blocking: boolean;
  /** The person the item is about, mentioned before the text. */
  userId?: string;
}

export interface PendingAsk {
  userId: string;
  talkTitle: string;
}

/** What a meetup's post still lacks, in the order an organiser would fix it. */
export function buildChecklist(meetup: Meetup, pendingAsks: readonly PendingAsk[] = []): ChecklistItem[] {
  const items: ChecklistItem[] = [];
  const add = (key: string, text: string, blocking = false) => items.push({ key, text, blocking });
  if (meetup.talks.length === 0) add('talks', 'No talks yet: add them with `/roundup talk`.', true);
  meetup.talks.forEach((talk, i) => {
    const name = `Talk ${i + 1} (“${talk.title}”)`;
    if (talk.takeaways.length === 0) add(`talk-${i}-takeaways`, `${name} has no takeaways.`, true);
    if (!talk.photo) add(`talk-${i}-photo`, `${name} has no speaker photo.`);
    else if (talk.photo.slackFile && !talk.photo.stored && !talk.photo.url)
      add(`talk-${i}-photo`, `${name}: its photo is still being fetched from Slack.`);
    if (!talk.topic && !meetup.sentences.talkOrder)
      add(`talk-${i}-topic`, `${name} has no topic phrase for the sentence that walks through the talks.`);
  });
  if (!meetup.headerPhoto)
    add('header-photo', 'No header photo: add one with `/roundup photo` or `/roundup edit`.');
  if (!meetup.intro) add('intro', 'No opening paragraph: add one with `/roundup edit`.');
  if (!meetup.venue) add('venue', 'No venue to thank: add it with `/roundup edit`.');
  if (meetup.sponsors.length === 0) add('sponsors', 'No sponsors to thank: pick them with `/roundup edit`.');
  if (!meetup.next) add('next', 'No next meetup: add it with `/roundup next`.', true);
  else if (!meetup.next.rsvpUrl && !meetup.next.text) add('next-rsvp', 'The next meetup has no RSVP link.');
  for (const ask of pendingAsks) {
    items.push({
      key: `ask-${ask.userId}-${ask.talkTitle}`,
      text: `has not filled in “${ask.talkTitle}” yet.`,
      blocking: false,
      userId: ask.userId,
    });
  }
  return items;
}
