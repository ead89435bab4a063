import type { KnownBlock } from '@slack/types';
import type { ChecklistItem } from '../../domain/checklist';
import { escapeMrkdwn } from '../../render/slack-preview';

/** The checklist as one mrkdwn section (a tick when nothing is missing). */
export function checklistBlock(items: readonly ChecklistItem[]): KnownBlock {
  if (items.length === 0) {
    return { type: 'section', text: { type: 'mrkdwn', text: ':white_check_mark: Nothing is missing.' } };
  }
  const lines = items.map((item) => {
    const mark = item.blocking ? ':red_circle:' : ':large_yellow_circle:';
    const who = item.userId ? `<@${item.userId}> ` : '';
    return `${mark} ${who}${escapeMrkdwn(item.text)}`;
  });
  let text = `*Still to do*\n${lines.join('\n')}`;
  if (text.length > 2900) text = `${text.slice(0, 2900)}\n…`;
  return { type: 'section', text: { type: 'mrkdwn', text } };
}
