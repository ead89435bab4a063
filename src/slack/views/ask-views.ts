import type { KnownBlock, ModalView } from '@slack/types';
import { escapeMrkdwn } from '../../render/slack-preview';
import type { TalkRecord } from '../../store/store';
import {
  type FormResult,
  modal,
  note,
  option,
  readSelected,
  readUser,
  type StateValues,
  staticSelect,
  userSelect,
} from './form';
import { ACTION, ASK, CALLBACK } from './ids';

export interface AskModalMetadata {
  meetupId: string;
}

export interface AskForm {
  userId: string;
  talkId: string;
}

/** `/roundup ask @speaker`: which speaker, and which talk is theirs. */
export function buildAskModal(options: {
  metadata: AskModalMetadata;
  talks: readonly TalkRecord[];
  speaker?: string;
  talkId?: string;
}): ModalView {
  const blocks: KnownBlock[] = [
    note(
      'The speaker gets a direct message with a button that opens their talk, filled in as far as you got.',
    ),
    userSelect(ASK.speaker, 'Speaker', { initial: options.speaker }),
    staticSelect(
      ASK.talk,
      'Their talk',
      options.talks.map((t, i) => option(t.id, `${i + 1}. ${t.title}`)),
      { initial: options.talkId, placeholder: 'Pick the talk' },
    ),
  ];
  return modal(CALLBACK.ask, 'Ask a speaker', blocks, {
    submit: 'Send',
    privateMetadata: JSON.stringify(options.metadata),
  });
}

export function readAskModal(values: StateValues, talks: readonly TalkRecord[]): FormResult<AskForm> {
  const userId = readUser(values, ASK.speaker);
  const talkId = readSelected(values, ASK.talk);
  const errors: Record<string, string> = {};
  if (!userId) errors[ASK.speaker] = 'Pick the speaker to ask.';
  if (!talkId || !talks.some((t) => t.id === talkId)) errors[ASK.talk] = 'Pick their talk from the list.';
  if (!userId || !talkId || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { userId, talkId } };
}

/** The speaker's DM: what is asked, and the button that opens their talk. */
export function buildAskMessage(options: {
  groupName: string;
  meetupLabel: string;
  talk: TalkRecord;
  askedBy: string;
}) {
  const text = `<@${options.askedBy}> from ${escapeMrkdwn(options.groupName)} asks you to fill in the takeaways of your talk “${escapeMrkdwn(options.talk.title)}” at ${escapeMrkdwn(options.meetupLabel)}.`;
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `:wave: ${text}` } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: 'Three or four points people should remember are plenty. You can come back and change them until the post is published.',
      },
    },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION.openAskedTalk,
          text: { type: 'plain_text', text: 'Fill in my talk' },
          style: 'primary',
          value: options.talk.id,
        },
      ],
    },
  ];
  return {
    text: `${escapeMrkdwn(options.groupName)}: please fill in the takeaways of “${escapeMrkdwn(options.talk.title)}”`,
    blocks,
  };
}
