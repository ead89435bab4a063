import type { KnownBlock } from '@slack/types';
import type { ChecklistItem } from '../../domain/checklist';
import { escapeMrkdwn } from '../../render/slack-preview';
import type { PublicationRecord } from '../../store/store';
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
  /** The group's site, when one is connected: the Publish button names it and the branch. */
  site?: { name: string; baseBranch: string; branch: string; pullRequests: boolean };
  /** Where the post was published last, and how its pull request stands. */
  publication?: PublicationRecord;
}

/** Blocks the draft message spends before the preview, so the preview gets the rest of Slack's 50. */
export const DRAFT_HEADER_BLOCKS = 6;

/** The draft in the organisers' channel: status, checklist, buttons, then the post's preview. */
export function buildDraftMessage(d: DraftMessageInput): { text: string; blocks: KnownBlock[] } {
  const state = d.published
    ? `:tada: Published${d.publishedBy ? ` (marked by <@${d.publishedBy}>)` : ''}`
    : `Draft ${d.version} · updated by <@${d.updatedBy}> · the .zip and .md are in the thread`;
  const published = publicationLine(d.publication);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `Roundup draft: ${d.title}`.slice(0, 150) } },
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: state },
        ...(published ? [{ type: 'mrkdwn' as const, text: published }] : []),
      ],
    },
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
        ...(d.site && !d.published ? [publishButton(d.meetupId, d.site)] : []),
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

/** "Publish to the site", confirmed with the repository and the branch it will write to. */
function publishButton(meetupId: string, site: NonNullable<DraftMessageInput['site']>) {
  const what = site.pullRequests
    ? `commits the post and its photos to the branch ${site.branch} and opens (or updates) a pull request against ${site.baseBranch}`
    : `commits the post and its photos to the branch ${site.branch}, made from ${site.baseBranch}, and pushes it`;
  return {
    type: 'button' as const,
    action_id: ACTION.draftPublish,
    text: { type: 'plain_text' as const, text: 'Publish to the site' },
    value: meetupId,
    confirm: {
      title: { type: 'plain_text' as const, text: 'Publish to the site?' },
      text: { type: 'plain_text' as const, text: `In ${site.name}: ${what}.`.slice(0, 300) },
      confirm: { type: 'plain_text' as const, text: 'Publish' },
      deny: { type: 'plain_text' as const, text: 'Not yet' },
    },
  };
}

/** Where the post was published, and the pull request's state, for the draft's status line. */
function publicationLine(p: PublicationRecord | undefined): string | undefined {
  if (!p) return undefined;
  const commit = p.commit ? ` (commit \`${p.commit.slice(0, 7)}\`)` : '';
  if (!p.pullRequest) return `:outbox_tray: On the site’s branch \`${escapeMrkdwn(p.branch)}\`${commit}`;
  const states = {
    open: ':large_green_circle: open',
    merged: ':purple_heart: merged',
    closed: ':red_circle: closed',
  };
  return `Pull request <${p.pullRequest.url}|#${p.pullRequest.number}>: ${states[p.pullRequest.state]}${commit}`;
}
