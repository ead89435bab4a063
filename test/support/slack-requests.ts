import { createHmac, randomBytes } from 'node:crypto';
import { PROSE_BULLET } from '../../src/domain/prose';
import { proseToRichText } from '../../src/slack/views/rich-text';
import { FAKE_DEFAULTS } from './fake-slack';

/**
 * Inbound requests shaped and signed the way Slack sends them to an app's HTTP endpoint (slash commands and
 * interactions as form bodies, events as JSON), for driving the real Bolt app in end-to-end tests.
 */

/** Slack's v0 signature headers: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` keyed by the signing secret. */
export function signRequest(
  rawBody: string,
  signingSecret: string,
  timestampSeconds: number = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const digest = createHmac('sha256', signingSecret)
    .update(`v0:${timestampSeconds}:${rawBody}`)
    .digest('hex');
  return { 'X-Slack-Signature': `v0=${digest}`, 'X-Slack-Request-Timestamp': String(timestampSeconds) };
}

/** The legacy verification token Slack still puts in every payload (Bolt ignores it). */
const VERIFICATION_TOKEN = 'xyzz0WbapA4vBCDEFasx0q6G';

function triggerIdLike(): string {
  const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
  return `${digits(12)}.${digits(11)}.${randomBytes(16).toString('hex')}`;
}

export interface SlashCommandOptions {
  command?: string;
  text?: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
  /** Use `FakeSlack.issueTriggerId()` when the handler will open a modal. */
  triggerId?: string;
  /** Use `FakeSlack.issueResponseUrl()` when the handler will `respond()`. */
  responseUrl?: string;
}

/** A slash command's form body, with every field Slack sends, in Slack's order. */
export function slashCommandBody(options: SlashCommandOptions = {}): string {
  const teamId = options.teamId ?? FAKE_DEFAULTS.teamId;
  return new URLSearchParams({
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    team_domain: options.teamDomain ?? FAKE_DEFAULTS.teamDomain,
    channel_id: options.channelId ?? FAKE_DEFAULTS.channelId,
    channel_name: options.channelName ?? FAKE_DEFAULTS.channelName,
    user_id: options.userId ?? FAKE_DEFAULTS.userId,
    user_name: options.userName ?? FAKE_DEFAULTS.userName,
    command: options.command ?? '/roundup',
    text: options.text ?? '',
    api_app_id: options.apiAppId ?? FAKE_DEFAULTS.appId,
    is_enterprise_install: 'false',
    response_url:
      options.responseUrl ??
      `https://hooks.slack.com/commands/${teamId}/1234567890123/${randomBytes(12).toString('hex')}`,
    trigger_id: options.triggerId ?? triggerIdLike(),
  }).toString();
}

/** An interaction's form body: a single `payload` field holding the JSON. */
export function interactionBody(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

// -----------------------------------------------------------------------------------------------------------
// view_submission state values, exactly as Slack reports each element type

type Option = { text: { type: 'plain_text' | 'mrkdwn'; text: string; emoji?: boolean }; value: string };

export type StateValue =
  | {
      type: 'plain_text_input' | 'number_input' | 'url_text_input' | 'email_text_input';
      value: string | null;
    }
  | { type: 'static_select' | 'external_select' | 'radio_buttons'; selected_option: Option | null }
  | { type: 'multi_static_select' | 'checkboxes'; selected_options: Option[] }
  | { type: 'users_select'; selected_user: string | null }
  | { type: 'multi_users_select'; selected_users: string[] }
  | { type: 'conversations_select'; selected_conversation: string | null }
  | { type: 'multi_conversations_select'; selected_conversations: string[] }
  | { type: 'channels_select'; selected_channel: string | null }
  | { type: 'datepicker'; selected_date: string | null }
  | { type: 'timepicker'; selected_time: string | null; timezone?: string }
  | { type: 'file_input'; files: object[] }
  | { type: 'rich_text_input'; rich_text_value: object | null };

/** `state.values` of a view: block_id, then action_id, then the element's value. */
export type StateValues = Record<string, Record<string, StateValue>>;

const option = (value: string, text: string = value): Option => ({
  text: { type: 'plain_text', text, emoji: true },
  value,
});

/** Builders for state values; an empty input is reported as null (or [] for multi-selects), as Slack does. */
export const input = {
  text: (value: string | null): StateValue => ({
    type: 'plain_text_input',
    value: value === '' ? null : value,
  }),
  number: (value: string | null): StateValue => ({ type: 'number_input', value }),
  url: (value: string | null): StateValue => ({ type: 'url_text_input', value }),
  staticSelect: (value: string | null, text?: string): StateValue => ({
    type: 'static_select',
    selected_option: value === null ? null : option(value, text),
  }),
  richText: (value: object | null): StateValue =>
    ({ type: 'rich_text_input', rich_text_value: value }) as StateValue,
  /**
   * A bulleted list typed in a rich text input, one line an item, two spaces in front a level deeper: the
   * nested lists Slack sends for it.
   */
  bullets: (lines: string | null): StateValue =>
    input.richText(
      lines
        ? proseToRichText(
            lines
              .split('\n')
              .map((l) => l.replace(/^((?: {2})*)/, (indent) => `${indent}${PROSE_BULLET} `))
              .join('\n'),
          )
        : null,
    ),
  externalSelect: (value: string | null, text?: string): StateValue => ({
    type: 'external_select',
    selected_option: value === null ? null : option(value, text),
  }),
  radio: (value: string | null, text?: string): StateValue => ({
    type: 'radio_buttons',
    selected_option: value === null ? null : option(value, text),
  }),
  checkboxes: (values: Array<string | [value: string, text: string]>): StateValue => ({
    type: 'checkboxes',
    selected_options: values.map((v) => (typeof v === 'string' ? option(v) : option(v[0], v[1]))),
  }),
  user: (userId: string | null): StateValue => ({ type: 'users_select', selected_user: userId }),
  users: (userIds: string[]): StateValue => ({ type: 'multi_users_select', selected_users: userIds }),
  conversation: (id: string | null): StateValue => ({
    type: 'conversations_select',
    selected_conversation: id,
  }),
  conversations: (ids: string[]): StateValue => ({
    type: 'multi_conversations_select',
    selected_conversations: ids,
  }),
  date: (isoDate: string | null): StateValue => ({ type: 'datepicker', selected_date: isoDate }),
  time: (hhmm: string | null): StateValue => ({ type: 'timepicker', selected_time: hhmm }),
  /** File objects as files.info returns them, e.g. `fake.fileObject(id)`. */
  files: (files: object[]): StateValue => ({ type: 'file_input', files }),
};

export interface ViewSubmissionOptions {
  callbackId: string;
  values?: StateValues;
  privateMetadata?: string;
  userId?: string;
  userName?: string;
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
  /** The id of the modal being submitted (e.g. from the fake's views.open answer). */
  viewId?: string;
  hash?: string;
  externalId?: string;
  blocks?: object[];
  rootViewId?: string;
  previousViewId?: string | null;
  triggerId?: string;
}

function userAndTeam(o: { userId?: string; userName?: string; teamId?: string; teamDomain?: string }) {
  const teamId = o.teamId ?? FAKE_DEFAULTS.teamId;
  const userName = o.userName ?? FAKE_DEFAULTS.userName;
  return {
    team: { id: teamId, domain: o.teamDomain ?? FAKE_DEFAULTS.teamDomain },
    user: { id: o.userId ?? FAKE_DEFAULTS.userId, username: userName, name: userName, team_id: teamId },
  };
}

/** A `view_submission` payload for a modal. */
export function viewSubmissionPayload(options: ViewSubmissionOptions): object {
  const { team, user } = userAndTeam(options);
  const viewId = options.viewId ?? 'V0000000001';
  const appId = options.apiAppId ?? FAKE_DEFAULTS.appId;
  return {
    type: 'view_submission',
    team,
    user,
    api_app_id: appId,
    token: VERIFICATION_TOKEN,
    trigger_id: options.triggerId ?? triggerIdLike(),
    view: {
      id: viewId,
      team_id: team.id,
      type: 'modal',
      blocks: options.blocks ?? [],
      private_metadata: options.privateMetadata ?? '',
      callback_id: options.callbackId,
      state: { values: options.values ?? {} },
      hash: options.hash ?? '1700000000.abcdef12',
      title: { type: 'plain_text', text: 'Roundup', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: { type: 'plain_text', text: 'Cancel', emoji: true },
      submit: { type: 'plain_text', text: 'Save', emoji: true },
      previous_view_id: options.previousViewId ?? null,
      root_view_id: options.rootViewId ?? viewId,
      app_id: appId,
      external_id: options.externalId ?? '',
      app_installed_team_id: team.id,
      bot_id: FAKE_DEFAULTS.botId,
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export interface BlockActionsOptions {
  actionId: string;
  blockId?: string;
  /** The element type and what it reports, e.g. `{ type: 'button', value: 'x' }` or `input.staticSelect('a')`. */
  action?: Record<string, unknown>;
  userId?: string;
  userName?: string;
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
  triggerId?: string;
  /** An action in a message: its channel and ts. */
  message?: { channelId: string; ts: string; text?: string; blocks?: object[] };
  /** An action in a modal or App Home: the view (id, callback_id, private_metadata, state...). */
  view?: Record<string, unknown> & { id: string };
  responseUrl?: string;
}

/** A `block_actions` payload for one action, from a message (with response_url) or from a view. */
export function blockActionsPayload(options: BlockActionsOptions): object {
  const { team, user } = userAndTeam(options);
  const action = {
    type: 'button',
    ...options.action,
    action_id: options.actionId,
    block_id: options.blockId ?? 'actions',
    action_ts: `${(Date.now() / 1000).toFixed(6)}`,
  };
  const base = {
    type: 'block_actions',
    user,
    api_app_id: options.apiAppId ?? FAKE_DEFAULTS.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: options.triggerId ?? triggerIdLike(),
    team,
    enterprise: null,
    is_enterprise_install: false,
  };
  if (options.view) {
    return {
      ...base,
      container: { type: 'view', view_id: options.view.id },
      view: { team_id: team.id, type: 'modal', state: { values: {} }, ...options.view },
      actions: [action],
    };
  }
  const message = options.message ?? { channelId: FAKE_DEFAULTS.channelId, ts: '1700000000.000100' };
  return {
    ...base,
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: message.channelId,
      is_ephemeral: false,
    },
    channel: { id: message.channelId, name: FAKE_DEFAULTS.channelName },
    message: {
      type: 'message',
      user: FAKE_DEFAULTS.botUserId,
      bot_id: FAKE_DEFAULTS.botId,
      ts: message.ts,
      text: message.text ?? '',
      blocks: message.blocks ?? [],
    },
    state: { values: {} },
    response_url:
      options.responseUrl ??
      `https://hooks.slack.com/actions/${team.id}/1234567890123/${randomBytes(12).toString('hex')}`,
    actions: [action],
  };
}

/** An Events API `event_callback` envelope (JSON) around `event`. */
export function eventBody(
  event: Record<string, unknown>,
  options: { teamId?: string; eventId?: string; apiAppId?: string; eventTime?: number } = {},
): string {
  const teamId = options.teamId ?? FAKE_DEFAULTS.teamId;
  return JSON.stringify({
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    context_team_id: teamId,
    api_app_id: options.apiAppId ?? FAKE_DEFAULTS.appId,
    event,
    type: 'event_callback',
    event_id: options.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: options.eventTime ?? Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: FAKE_DEFAULTS.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(16).toString('base64url')}`,
  });
}

export interface PostToBoltOptions {
  signingSecret: string;
  /** Default: JSON for a body starting with `{`, otherwise form-encoded, as Slack does. */
  contentType?: string;
  /** Slack's redelivery headers: X-Slack-Retry-Num and X-Slack-Retry-Reason (default http_timeout). */
  retryNum?: number;
  retryReason?: string;
  /** Signing timestamp in seconds (e.g. a stale one, to test rejection). */
  timestamp?: number;
}

export interface BoltResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  json?: unknown;
}

/** POSTs a signed request to the app's endpoint, like Slack's delivery. */
export async function postToBolt(
  url: string,
  body: string,
  options: PostToBoltOptions,
): Promise<BoltResponse> {
  const contentType =
    options.contentType ??
    (body.trimStart().startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded');
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    ...signRequest(body, options.signingSecret, options.timestamp),
  };
  if (options.retryNum !== undefined) {
    headers['X-Slack-Retry-Num'] = String(options.retryNum);
    headers['X-Slack-Retry-Reason'] = options.retryReason ?? 'http_timeout';
  }
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: Object.fromEntries(response.headers.entries()), text, json };
}

/** What Slack sends as someone types in an external select (`block_suggestion`), to load its options. */
export function blockSuggestionPayload(options: {
  actionId: string;
  blockId: string;
  value: string;
  view?: { id: string; callback_id: string; private_metadata?: string };
  userId?: string;
  teamId?: string;
}): object {
  const { team, user } = userAndTeam(options);
  return {
    type: 'block_suggestion',
    user,
    team,
    container: { type: 'view', view_id: options.view?.id },
    api_app_id: FAKE_DEFAULTS.appId,
    token: VERIFICATION_TOKEN,
    action_id: options.actionId,
    block_id: options.blockId,
    value: options.value,
    ...(options.view
      ? { view: { team_id: team.id, type: 'modal', state: { values: {} }, ...options.view } }
      : {}),
  };
}

export interface MessageShortcutOptions {
  callbackId: string;
  /** The message's file objects, as Slack puts them in it (e.g. `fake.fileObject(id)`). */
  files?: object[];
  text?: string;
  /** Who posted the message (default: the default user). */
  author?: string;
  channelId?: string;
  channelName?: string;
  messageTs?: string;
  userId?: string;
  userName?: string;
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
  /** Use `FakeSlack.issueTriggerId()` when the handler will open a modal. */
  triggerId?: string;
  /** Use `FakeSlack.issueResponseUrl()` when the handler will `respond()`. */
  responseUrl?: string;
}

/** A message shortcut's `message_action` payload: someone chose the shortcut on a message in a channel. */
export function messageShortcutPayload(options: MessageShortcutOptions): object {
  const { team, user } = userAndTeam(options);
  const ts = options.messageTs ?? '1700000000.000200';
  const channelId = options.channelId ?? FAKE_DEFAULTS.channelId;
  const files = options.files ?? [];
  return {
    type: 'message_action',
    token: VERIFICATION_TOKEN,
    action_ts: `${(Date.now() / 1000).toFixed(6)}`,
    team,
    user,
    channel: { id: channelId, name: options.channelName ?? FAKE_DEFAULTS.channelName },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: options.callbackId,
    trigger_id: options.triggerId ?? triggerIdLike(),
    response_url:
      options.responseUrl ??
      `https://hooks.slack.com/app/${team.id}/1234567890123/${randomBytes(12).toString('hex')}`,
    message_ts: ts,
    message: {
      type: 'message',
      user: options.author ?? FAKE_DEFAULTS.userId,
      ts,
      text: options.text ?? '',
      ...(files.length > 0 ? { files, upload: false, display_as_bot: false } : {}),
      client_msg_id: randomBytes(16).toString('hex'),
      team: team.id,
    },
  };
}
