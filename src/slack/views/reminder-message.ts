import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import type { ChecklistItem } from '../../domain/checklist';
import type { Group, NextMeetup } from '../../domain/meetup';
import { daysBeforeOf, KIND_CHECKLIST } from '../../domain/reminders';
import { escapeMrkdwn, proseMrkdwn } from '../../render/slack-preview';
import { andList } from '../../render/words';
import type { ReminderRecord, TalkRecord } from '../../store/store';
import { checklistBlock } from './checklist';
import { ACTION } from './ids';

/** Every message the scheduler posts is marked, so a restart can tell whether Slack already has it. */
export const REMINDER_EVENT = 'roundup_reminder';

export function reminderMetadata(reminderId: string) {
  return { event_type: REMINDER_EVENT, event_payload: { reminder_id: reminderId } };
}

const daysInWords = new Map<string, string>();

/** "Wednesday 12 December" (remembered: a tick may word the same date a hundred times). */
export function dayInWords(date: string): string {
  let words = daysInWords.get(date);
  if (words === undefined) {
    words = DateTime.fromISO(date).setLocale('en-GB').toFormat('cccc d LLLL');
    if (daysInWords.size > 1000) daysInWords.clear();
    daysInWords.set(date, words);
  }
  return words;
}

function when(daysBefore: number): string {
  if (daysBefore === 0) return 'today';
  if (daysBefore === 1) return 'tomorrow';
  if (daysBefore === 7) return 'next week';
  return `in ${daysBefore} days`;
}

/** The reminder of the next meetup: when, where, who is speaking, and the RSVP button. */
export function buildReminderMessage(o: { group: Group; next: NextMeetup; daysBefore: number }) {
  const { group, next } = o;
  const time = next.startTime ? ` at ${next.startTime}` : '';
  const venue = next.venue ? `, at ${escapeMrkdwn(next.venue)}` : '';
  const lines = [
    `:calendar: *${escapeMrkdwn(group.name)}* is ${when(o.daysBefore)}: *${dayInWords(next.date)}${time}*${venue}.`,
  ];
  if (next.companies.length > 0) {
    lines.push(`Joining us are speakers from ${escapeMrkdwn(andList(next.companies))}.`);
  }
  if (next.notes) lines.push(proseMrkdwn(next.notes));
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }];
  if (next.rsvpUrl) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION.rsvp,
          text: { type: 'plain_text', text: 'RSVP' },
          url: next.rsvpUrl,
          style: 'primary',
        },
      ],
    });
  }
  // The notification a phone shows: escaped like the blocks, or a venue typed as `<!channel>` pings everyone.
  const text = escapeMrkdwn(
    `${group.name} is ${when(o.daysBefore)}: ${dayInWords(next.date)}${time}${next.venue ? `, at ${next.venue}` : ''}.${next.rsvpUrl ? ` RSVP: ${next.rsvpUrl}` : ''}`,
  );
  return { text, blocks };
}

/** The organisers' nudge the morning after a meetup: what the post still lacks. */
export function buildChecklistNudge(o: { meetupLabel: string; checklist: readonly ChecklistItem[] }) {
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:sunrise: Good morning! Here is what the roundup of ${escapeMrkdwn(o.meetupLabel)} still needs. \`/roundup draft\` posts it for review when you are ready.`,
      },
    },
    checklistBlock(o.checklist),
  ];
  return { text: `What the roundup of ${escapeMrkdwn(o.meetupLabel)} still needs`, blocks };
}

/** The one polite DM to a speaker who has not filled in their talk yet. */
export function buildSpeakerNudge(o: { groupName: string; meetupLabel: string; talk: TalkRecord }) {
  const text = escapeMrkdwn(
    `A gentle reminder from ${o.groupName}: could you add the takeaways of “${o.talk.title}” (${o.meetupLabel})? It takes a couple of minutes.`,
  );
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `:wave: ${text}` } },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION.openAskedTalk,
          text: { type: 'plain_text', text: 'Fill in my talk' },
          style: 'primary',
          value: o.talk.id,
        },
      ],
    },
  ];
  return { text, blocks };
}

/** How a reminder reads in lists: "7 days before, Wed 5 Dec 10:00 in #community". */
export function describeReminder(r: ReminderRecord, zone: string): string {
  const at = DateTime.fromISO(r.fireAt).setZone(zone).setLocale('en-GB').toFormat('ccc d LLL yyyy, HH:mm');
  const days = daysBeforeOf(r.kind);
  const what =
    days !== undefined
      ? `Reminder of ${dayInWords(r.eventDate)} (${days === 0 ? 'on the day' : `${days} day${days === 1 ? '' : 's'} before`})`
      : r.kind === KIND_CHECKLIST
        ? 'Checklist for the organisers'
        : 'Nudge to a speaker';
  const where =
    r.channel.startsWith('U') || r.channel.startsWith('W') ? `<@${r.channel}>` : `<#${r.channel}>`;
  return `${what}: ${at} to ${where}`;
}

/** `/roundup remind`: the upcoming reminders, each with a cancel button. */
export function buildRemindersList(reminders: readonly ReminderRecord[], zone: string) {
  if (reminders.length === 0) {
    const text =
      'No reminders are scheduled. `/roundup next` sets the next meetup, and its reminders with it.';
    return {
      response_type: 'ephemeral' as const,
      text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] as KnownBlock[],
    };
  }
  const shown = reminders.slice(0, 40);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*Upcoming reminders* (times in ${escapeMrkdwn(zone)})` },
    },
    ...shown.map((r): KnownBlock => {
      const text = describeReminder(r, zone);
      if (r.status === 'cancelled') {
        return {
          type: 'section',
          block_id: `reminder_${r.id}`,
          text: { type: 'mrkdwn', text: `~${text}~ _cancelled_` },
          accessory: {
            type: 'button',
            action_id: ACTION.restoreReminder,
            text: { type: 'plain_text', text: 'Restore' },
            value: r.id,
          },
        };
      }
      return {
        type: 'section',
        block_id: `reminder_${r.id}`,
        text: { type: 'mrkdwn', text },
        accessory: {
          type: 'button',
          action_id: ACTION.cancelReminder,
          text: { type: 'plain_text', text: 'Cancel' },
          value: r.id,
          confirm: {
            title: { type: 'plain_text', text: 'Cancel this reminder?' },
            text: {
              type: 'plain_text',
              text: 'It will not be posted, even if the meetup is saved again. You can restore it here.',
            },
            confirm: { type: 'plain_text', text: 'Cancel it' },
            deny: { type: 'plain_text', text: 'Keep it' },
          },
        },
      };
    }),
  ];
  if (reminders.length > shown.length) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${reminders.length - shown.length} more.` }],
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: '`/roundup remind preview` shows the next one as it will be posted.' },
    ],
  });
  return { response_type: 'ephemeral' as const, text: `${reminders.length} upcoming reminder(s)`, blocks };
}
