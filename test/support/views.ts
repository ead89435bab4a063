import type { Json } from './fake-slack';
import { input, type StateValue } from './slack-requests';

/** An input block of a view as the fake Slack stored it. */
export type InputBlockJson = Json & { block_id: string; element: Json; label: Json; optional?: boolean };

export function inputBlocksOf(view: Json): InputBlockJson[] {
  return ((view.blocks as Json[] | undefined) ?? []).filter((b) => b.type === 'input') as InputBlockJson[];
}

/** What Slack reports for an input the user did not touch: its initial value, or nothing. */
export function untouched(element: Json): StateValue {
  switch (element.type) {
    case 'plain_text_input':
      return input.text((element.initial_value as string | undefined) ?? null);
    case 'url_text_input':
      return input.url((element.initial_value as string | undefined) ?? null);
    case 'static_select':
    case 'external_select':
      return { type: element.type, selected_option: (element.initial_option as never) ?? null };
    case 'multi_static_select':
    case 'checkboxes':
      return { type: element.type, selected_options: (element.initial_options as never) ?? [] };
    case 'users_select':
      return input.user((element.initial_user as string | undefined) ?? null);
    case 'multi_users_select':
      return input.users((element.initial_users as string[] | undefined) ?? []);
    case 'conversations_select':
      return input.conversation((element.initial_conversation as string | undefined) ?? null);
    case 'multi_conversations_select':
      return input.conversations((element.initial_conversations as string[] | undefined) ?? []);
    case 'datepicker':
      return input.date((element.initial_date as string | undefined) ?? null);
    case 'timepicker':
      return input.time((element.initial_time as string | undefined) ?? null);
    case 'file_input':
      return input.files([]);
    case 'rich_text_input':
      return input.richText((element.initial_value as object | undefined) ?? null);
    default:
      throw new Error(`no untouched value for a ${String(element.type)}`);
  }
}

/** The values of a modal submitted as it was opened, by block id (for `TestBot.submit`). */
export function valuesAsOpened(view: Json): Record<string, StateValue> {
  return Object.fromEntries(inputBlocksOf(view).map((b) => [b.block_id, untouched(b.element)]));
}
