import type { KnownBlock } from '@slack/types';
import type { NextMeetup } from '../../domain/meetup';
import { escapeMrkdwn } from '../../render/slack-preview';
import { ACTION } from './ids';
import { dayInWords } from './reminder-message';

/** `/roundup next cancel`: what calling it off does, and the button that does it. */
export function buildCancelNextPrompt(o: { meetupId: string; next: NextMeetup; pendingReminders: number }) {
  const day = dayInWords(o.next.date);
  const text = `Call off the meetup of *${day}*? Its ${o.pendingReminders} pending reminder(s) will be cancelled; you can then post a notice in the community channels.`;
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text } },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION.cancelNextMeetup,
          text: { type: 'plain_text', text: 'Call it off' },
          style: 'danger',
          value: o.meetupId,
          confirm: {
            title: { type: 'plain_text', text: 'Call off the meetup?' },
            text: { type: 'plain_text', text: `The meetup of ${day} and its reminders are cancelled.` },
            confirm: { type: 'plain_text', text: 'Call it off' },
            deny: { type: 'plain_text', text: 'Keep it' },
          },
        },
      ],
    },
  ];
  return { response_type: 'ephemeral' as const, text: `Call off the meetup of ${day}?`, blocks };
}

/** After calling it off: what was cancelled, and the offer to tell the community. */
export function buildCalledOff(o: {
  meetupId: string;
  next: NextMeetup;
  cancelled: number;
  channels: readonly string[];
}) {
  const day = dayInWords(o.next.date);
  const where = o.channels.map((c) => `<#${c}>`).join(', ');
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:no_entry_sign: The meetup of *${day}* is called off and ${o.cancelled} reminder(s) cancelled.${where ? ` Post a notice in ${where}?` : ''}`,
      },
    },
  ];
  if (where) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION.postCancellationNotice,
          text: { type: 'plain_text', text: 'Post the notice' },
          value: o.meetupId,
        },
      ],
    });
  }
  return { text: `The meetup of ${day} is called off.`, blocks, replace_original: true };
}

/** The notice in the community channels. */
export function buildCancellationNotice(o: { groupName: string; next: NextMeetup }) {
  const text = `:no_entry_sign: The ${escapeMrkdwn(o.groupName)} meetup on *${dayInWords(o.next.date)}* is cancelled. Sorry! We will share the next date soon.`;
  return {
    text: `The ${escapeMrkdwn(o.groupName)} meetup on ${dayInWords(o.next.date)} is cancelled.`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] as KnownBlock[],
  };
}
