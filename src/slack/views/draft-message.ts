import type { KnownBlock } from '@slack/types';
import type { ChecklistItem } from '../../domain/checklist';
import { escapeMrkdwn } from '../../render/slack-preview';
import { checklistBlock } from './checklist';
import { ACTION } from './ids';

export interface DraftMessageInput {
  meetupId: string;
  title: string;
  version: number;
  updatedBy: string;
  published: boolean;
  /** Who marked it published, when this message is the one showing their click. */
  publishedBy?: string;
  checklist: readonly ChecklistItem[];
  /** The first part of the post's Block Kit preview. */
  preview: KnownBlock[];
  /** The preview goes on in the thread. */
  continued: boolean;
}

/** Blocks the draft message spends before the preview, so the preview gets the rest of Slack's 50. */
export const DRAFT_HEADER_BLOCKS = 6;

/** The draft in the organisers' channel: status, checklist, buttons, then the post's preview. */
export function buildDraftMessage(d: DraftMessageInput): { text: string; blocks: KnownBlock[] } {
  const state = d.published
    ? `:tada: Published${d.publishedBy ? ` (marked by <@${d.publishedBy}>)` : ''}`
    : `Draft ${d.version} · updated by <@${d.updatedBy}> · the .zip and .md are in the thread`;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `Roundup draft: ${d.title}`.slice(0, 150) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: state }] },
    checklistBlock(d.checklist),
    {
      type: 'actions',
      block_id: 'draft_actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION.draftEditTalk,
          text: { type: 'plain_text', text: 'Edit a talk' },
          value: d.meetupId,
        },
        {
          type: 'button',
          action_id: ACTION.draftRegenerate,
          text: { type: 'plain_text', text: 'Regenerate' },
          value: d.meetupId,
        },
        ...(d.published
          ? []
          : [
              {
                type: 'button' as const,
                action_id: ACTION.draftPublished,
                text: { type: 'plain_text' as const, text: 'Mark published' },
                style: 'primary' as const,
                value: d.meetupId,
                confirm: {
                  title: { type: 'plain_text' as const, text: 'Mark as published?' },
                  text: {
                    type: 'plain_text' as const,
                    text: 'The meetup moves to published; the next one becomes current.',
                  },
                  confirm: { type: 'plain_text' as const, text: 'Published' },
                  deny: { type: 'plain_text' as const, text: 'Not yet' },
                },
              },
            ]),
      ],
    },
    { type: 'divider' },
    ...d.preview,
  ];
  if (d.continued) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'The preview continues in the thread.' }],
    });
  }
  return { text: `Roundup draft ${d.version}: ${escapeMrkdwn(d.title)}`, blocks };
}
