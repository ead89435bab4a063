import type { HomeView, KnownBlock } from '@slack/types';
import { escapeMrkdwn } from '../../render/slack-preview';
import { checklistBlock } from './checklist';
import { type MeetupOverview, overviewLines } from './status-message';

export interface HomeInput {
  groupName?: string;
  isOrganiser: boolean;
  overview?: MeetupOverview;
  /** The next meetup in words ("Wednesday 12 December at 18:30, at Monzo"). */
  nextMeetup?: string;
  /** Upcoming reminders, in mrkdwn (they mention channels). */
  reminders: readonly string[];
}

/** The App Home: the next meetup, the current draft and its checklist, the upcoming reminders. */
export function buildHome(h: HomeInput): HomeView {
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: h.groupName ? `${h.groupName} roundup`.slice(0, 150) : 'roundup' },
    },
  ];
  if (!h.groupName) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: 'roundup is not set up in this workspace yet. An organiser starts with `/roundup setup`.',
      },
    });
    return { type: 'home', blocks };
  }
  blocks.push({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: `*Next meetup:* ${h.nextMeetup ? escapeMrkdwn(h.nextMeetup) : 'not announced yet'}`,
    },
  });
  if (h.overview) {
    blocks.push(
      { type: 'divider' },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*Current post: ${escapeMrkdwn(h.overview.meetupLabel)}*\n${overviewLines(h.overview)}`,
        },
      },
      checklistBlock(h.overview.checklist),
    );
  }
  blocks.push(
    { type: 'divider' },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Upcoming reminders*\n${h.reminders.length ? h.reminders.map((r) => `• ${r}`).join('\n') : 'None scheduled.'}`,
      },
    },
  );
  if (h.isOrganiser) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Type `/roundup talk`, `/roundup status` or `/roundup draft` in any channel; `/roundup help` lists the rest.',
        },
      ],
    });
  } else {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Only the organisers can change the meetup and its post.' }],
    });
  }
  return { type: 'home', blocks };
}
