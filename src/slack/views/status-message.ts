import type { KnownBlock } from '@slack/types';
import type { ChecklistItem } from '../../domain/checklist';
import type { Meetup } from '../../domain/meetup';
import { escapeMrkdwn } from '../../render/slack-preview';
import type { AskRecord, DraftRecord } from '../../store/store';
import { checklistBlock } from './checklist';

export interface MeetupOverview {
  groupName: string;
  meetupLabel: string;
  meetup: Meetup;
  checklist: readonly ChecklistItem[];
  asks: readonly AskRecord[];
  draft?: DraftRecord;
}

/** What is collected so far, as a few lines: shared by `/roundup status` and the App Home. */
export function overviewLines(o: MeetupOverview): string {
  const m = o.meetup;
  const withTakeaways = m.talks.filter((t) => t.takeaways.length > 0).length;
  const photos = m.photos.length + (m.headerPhoto ? 1 : 0) + m.talks.filter((t) => t.photo).length;
  const waiting = o.asks.filter((a) => a.status === 'waiting').length;
  return [
    `*Talks:* ${m.talks.length} (${withTakeaways} with takeaways)`,
    `*Photos:* ${photos}`,
    `*Sponsors:* ${m.sponsors.length ? escapeMrkdwn(m.sponsors.map((s) => s.name).join(', ')) : 'none yet'}`,
    `*Next meetup:* ${m.next ? m.next.date : 'not set'}`,
    `*Speakers asked:* ${o.asks.length ? `${o.asks.length} (${waiting} not answered)` : 'none'}`,
    `*Draft:* ${m.status === 'published' ? 'published' : o.draft ? `version ${o.draft.version} in <#${o.draft.channelId}>` : 'not drafted yet'}`,
  ].join('\n');
}

export function buildStatusMessage(o: MeetupOverview) {
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${escapeMrkdwn(o.groupName)}: ${escapeMrkdwn(o.meetupLabel)}*\n${overviewLines(o)}`,
      },
    },
    checklistBlock(o.checklist),
  ];
  return {
    response_type: 'ephemeral' as const,
    text: `${escapeMrkdwn(o.groupName)}: ${escapeMrkdwn(o.meetupLabel)}`,
    blocks,
  };
}

/** A short ephemeral reply. */
export function buildNotice(text: string) {
  return {
    response_type: 'ephemeral' as const,
    text,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] as KnownBlock[],
  };
}
