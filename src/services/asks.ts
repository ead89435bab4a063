import { buildAskMessage } from '../slack/views/ask-views';
import type { AskRecord } from '../store/store';
import type { TeamDeps } from './deps';
import { meetupLabel, requireGroup } from './meetups';

/** The speaker's DM, once the ask is recorded: what is asked, and the button that opens their talk. */
export async function sendAsk(deps: TeamDeps, teamId: string, ask: AskRecord): Promise<void> {
  const group = await requireGroup(deps.store, teamId);
  const meetup = await deps.store.getMeetup(teamId, ask.meetupId);
  const talk = meetup?.talks.find((t) => t.id === ask.talkId);
  if (!meetup || !talk) throw new Error('The talk no longer exists');
  const message = buildAskMessage({
    groupName: group.name,
    meetupLabel: meetupLabel(meetup),
    talk,
    askedBy: ask.askedBy,
  });
  // Posting to a user id lands in the bot's DM with them.
  await deps.client.chat.postMessage({ channel: ask.userId, ...message });
}

/** Whether someone may edit a talk: an organiser, or a speaker asked for that very talk. */
export async function mayEditTalk(
  deps: TeamDeps,
  teamId: string,
  userId: string,
  talkId: string | undefined,
  isOrganiser: boolean,
) {
  if (isOrganiser) return true;
  if (!talkId) return false;
  return (await deps.store.findAsk(teamId, talkId, userId)) !== undefined;
}
