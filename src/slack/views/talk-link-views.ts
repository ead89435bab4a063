import type { ModalView } from '@slack/types';
import { escapeMrkdwn } from '../../render/slack-preview';
import type { MadeLink } from '../../services/talk-links';
import { modal, note } from './form';
import { ACTION, CALLBACK } from './ids';

/** What the organiser is told of a speaker link: the link to send, how long it works, and how to withdraw it. */
export function talkLinkText(made: MadeLink, talk: { number: number; title: string }, when: string): string {
  if (!made.ok) {
    const what = made.missing.map((m) =>
      m === 'PUBLIC_URL'
        ? '`PUBLIC_URL` (the https:// address roundup is reached at from the internet)'
        : '`SPEAKER_LINK_SECRET` (at least 32 random characters, such as the output of `openssl rand -hex 32`)',
    );
    return `Speaker links are not set up: roundup's configuration needs ${what.join(' and ')}. Whoever runs roundup sets ${made.missing.length === 1 ? 'it' : 'them'} and restarts it; then ask again.`;
  }
  return [
    `Send this link to the speaker of talk ${talk.number}, “${escapeMrkdwn(talk.title)}”, by email or any chat:`,
    made.url,
    `It opens a page where they fill in their talk (name, company, title, link, takeaways and photo) without Slack. It works for this talk only, until ${when}. Withdraw it with \`/roundup ask ${talk.number} link revoke\`.`,
  ].join('\n');
}

export interface TalkLinkModalMetadata {
  meetupId: string;
  talkId: string;
}

export function buildTalkLinkModal(
  text: string,
  metadata: TalkLinkModalMetadata,
  withdrawable: boolean,
): ModalView {
  return modal(
    CALLBACK.talkLink,
    'Link for the speaker',
    [
      { type: 'section', text: { type: 'mrkdwn', text } },
      ...(withdrawable
        ? [
            {
              type: 'actions' as const,
              block_id: 'talk_link_actions',
              elements: [
                {
                  type: 'button' as const,
                  action_id: ACTION.revokeTalkLinks,
                  text: { type: 'plain_text' as const, text: 'Withdraw its links' },
                  value: metadata.talkId,
                  style: 'danger' as const,
                },
              ],
            },
            note('Withdrawing stops every link given out for this talk; what the speaker saved stays.'),
          ]
        : []),
    ],
    { close: 'Done', privateMetadata: JSON.stringify(metadata) },
  );
}

export function buildLinksWithdrawnModal(count: number, title: string): ModalView {
  const text =
    count === 0
      ? `No link to “${escapeMrkdwn(title)}” was still working.`
      : `Withdrew ${count} link${count === 1 ? '' : 's'} to “${escapeMrkdwn(title)}”: ${count === 1 ? 'it no longer opens' : 'they no longer open'} the talk.`;
  return modal(
    CALLBACK.talkLink,
    'Link for the speaker',
    [{ type: 'section', text: { type: 'mrkdwn', text } }],
    {
      close: 'Done',
    },
  );
}
