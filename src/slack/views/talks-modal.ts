import type { KnownBlock, ModalView } from '@slack/types';
import { escapeMrkdwn } from '../../render/slack-preview';
import { andList } from '../../render/words';
import type { TalkRecord } from '../../store/store';
import { modal, note } from './form';
import { ACTION, CALLBACK } from './ids';

export interface TalksModalMetadata {
  meetupId: string;
}

/** The talk menu's choices; the value of each option is `<choice>:<talk id>`. */
export const TALK_MENU = { edit: 'edit', link: 'link', up: 'up', down: 'down', delete: 'delete' } as const;
export type TalkMenuChoice = keyof typeof TALK_MENU;

/** `/roundup talk` when the meetup has talks: each with a menu to edit, reorder or delete, and a button to add one. */
export function buildTalksModal(options: {
  meetupId: string;
  meetupLabel: string;
  talks: readonly TalkRecord[];
}): ModalView {
  const { talks } = options;
  const blocks: KnownBlock[] = [
    note(`Talks of *${escapeMrkdwn(options.meetupLabel)}*, in the order of the evening.`),
  ];
  talks.forEach((talk, i) => {
    const who = andList(talk.speakers.map((s) => (s.company ? `${s.name} (${s.company})` : s.name)));
    const menu = [
      { text: { type: 'plain_text' as const, text: 'Edit' }, value: `${TALK_MENU.edit}:${talk.id}` },
      {
        text: { type: 'plain_text' as const, text: 'Link for the speaker' },
        value: `${TALK_MENU.link}:${talk.id}`,
      },
      ...(i > 0
        ? [{ text: { type: 'plain_text' as const, text: 'Move up' }, value: `${TALK_MENU.up}:${talk.id}` }]
        : []),
      ...(i < talks.length - 1
        ? [
            {
              text: { type: 'plain_text' as const, text: 'Move down' },
              value: `${TALK_MENU.down}:${talk.id}`,
            },
          ]
        : []),
      { text: { type: 'plain_text' as const, text: 'Delete' }, value: `${TALK_MENU.delete}:${talk.id}` },
    ];
    blocks.push({
      type: 'section',
      block_id: `talk_${talk.id}`,
      text: {
        type: 'mrkdwn',
        text: `*${i + 1}. ${escapeMrkdwn(talk.title)}*\n${escapeMrkdwn(who)} · ${talk.takeaways.length} takeaway(s)`,
      },
      accessory: { type: 'overflow', action_id: ACTION.talkMenu, options: menu },
    });
  });
  blocks.push({
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: ACTION.addTalk,
        text: { type: 'plain_text', text: 'Add a talk' },
        style: 'primary',
        value: options.meetupId,
      },
    ],
  });
  const metadata: TalksModalMetadata = { meetupId: options.meetupId };
  return modal(CALLBACK.talks, 'Talks', blocks, { close: 'Done', privateMetadata: JSON.stringify(metadata) });
}

export interface DeleteTalkMetadata {
  meetupId: string;
  talkId: string;
  /** The talk list to refresh once the talk is gone. */
  listViewId: string;
}

export function buildDeleteTalkModal(talk: TalkRecord, metadata: DeleteTalkMetadata): ModalView {
  return modal(
    CALLBACK.deleteTalk,
    'Delete the talk?',
    [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `Delete *${escapeMrkdwn(talk.title)}* by ${escapeMrkdwn(andList(talk.speakers.map((s) => s.name)))}, with its takeaways and photo? This cannot be undone.`,
        },
      },
    ],
    { submit: 'Delete', close: 'Keep it', privateMetadata: JSON.stringify(metadata) },
  );
}
