import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_BOT_SCOPES,
  FakeApiError,
  type FakeToken,
  type FakeWorkspace,
  FakeWorkspaces,
} from './fake-slack-oauth';

/**
 * A local fake of the Slack Web API (plus Slack's file host and response URLs) for end-to-end tests that drive
 * the real Bolt app over HTTP: point the WebClient's `slackApiUrl` at `apiUrl`.
 *
 * It answers like Slack where our bot depends on Slack: auth errors, `{ ok: false, error }` bodies with HTTP
 * 200, 429 + Retry-After, trigger ids that expire after 3 s and can be exchanged once, view hashes, message
 * metadata only on request, Block Kit limits, the three-step `files.uploadV2` flow, and private file URLs
 * that only serve the bytes to a request carrying the bot token, and image blocks refused as Slack refuses
 * them (a `slack_file` deleted or not a PNG, JPEG or GIF; an `image_url` on this machine that does not
 * download as one). It is not a Slack simulator: there are no scopes, no rate limits unless injected, and
 * file sharing completes synchronously.
 */

export type Json = Record<string, unknown>;

/** Ids the fake uses unless told otherwise; the inbound-request helpers use the same ones. */
export const FAKE_DEFAULTS = {
  botToken: 'xoxb-test-token',
  teamId: 'T0TEAM0001',
  teamDomain: 'roundup-test',
  teamName: 'Roundup Test',
  appId: 'A0APP00001',
  botId: 'B0BOT00001',
  botUserId: 'U0BOT00001',
  botName: 'roundup',
  userId: 'U0USER0001',
  userName: 'organiser',
  channelId: 'C0CHAN0001',
  channelName: 'general',
} as const;

/** The `method` recorded for the HTTP POST of file bytes to an `upload_url`; `failNext` accepts it too. */
export const UPLOAD_METHOD = 'upload_url';

export interface FakeSlackOptions {
  botToken?: string;
  teamId?: string;
  /** How long an issued trigger id can be exchanged; Slack's is 3 seconds. */
  triggerTtlMs?: number;
  /** The clock (ms since the epoch) for trigger expiry, message `ts` values and call times. */
  now?: () => number;
  /** Users for `users.info`, besides the bot and the default organiser. */
  users?: FakeUserInput[];
  /** Channels to know from the start; unknown `C…`/`G…`/`D…` ids are accepted as channels the bot is in. */
  channels?: FakeChannelInput[];
  /** How long every Web API call takes to answer, as a real Slack does (default 0; benchmarks use ~30 ms). */
  delayMs?: number;
  /** The app's OAuth client credentials, which `oauth.v2.access` checks. */
  clientId?: string;
  clientSecret?: string;
}

export interface FakeUserInput {
  id: string;
  name?: string;
  realName?: string;
  /** IANA zone, default Europe/London. */
  tz?: string;
  email?: string;
  isBot?: boolean;
  deleted?: boolean;
}

export interface FakeChannelInput {
  id?: string;
  name: string;
  isPrivate?: boolean;
  /** Whether the bot is in it (default true). Posting to a public channel it is not in is `not_in_channel`. */
  isMember?: boolean;
  /** The workspace it is in (the default one unless told). */
  teamId?: string;
}

export interface CallRecord {
  method: string;
  /** The arguments as received, without `token`; JSON-encoded fields (view, blocks, metadata, files...) decoded. */
  args: Json;
  /** `now()` when the request arrived. */
  at: number;
  /**
   * HTTP status answered (0: no answer, for a call hung by `hangNext`, held by `holdNext` until released, or
   * dropped when its caller gave up).
   */
  status: number;
  /** The body answered (for Web API methods). */
  response: unknown;
  /** The token the call carried (bot or app-level), and the workspace of a bot token. */
  token?: string;
  teamId?: string;
}

export interface FailOptions {
  /** 429 (with Retry-After), 500 or any other HTTP status; omitted means HTTP 200 with `{ ok: false, error }`. */
  status?: number;
  /** Seconds for the Retry-After header of a 429 (default 1). */
  retryAfter?: number;
  /** The `error` in the body (defaults: ratelimited for 429, internal_error otherwise). */
  error?: string;
  /** How many consecutive calls fail (default 1). */
  times?: number;
}

export interface CompletedUpload {
  fileId: string;
  filename: string;
  title: string;
  bytes: Buffer;
  /** The `length` announced to files.getUploadURLExternal. */
  length: number;
  channel_id?: string;
  initial_comment?: string;
  thread_ts?: string;
  alt_text?: string;
  /** The ts of the message that shared the file, when it was shared to a channel. */
  message_ts?: string;
  at: number;
}

export interface PrivateFile {
  id: string;
  url_private: string;
  url_private_download: string;
}

export interface DownloadRecord {
  fileId: string;
  /** Whether the request carried the bot token (only then are the bytes served). */
  authorized: boolean;
  status: number;
  at: number;
}

/** The fake's own download of an `image_url` in a message, as Slack downloads each before accepting it. */
export interface ImageFetchRecord {
  url: string;
  /** HTTP status answered (0: no answer in time, or no server). */
  status: number;
  /** Whether it was a PNG, JPEG or GIF that an image block can show. */
  ok: boolean;
  at: number;
}

export interface ResponseUrlPost {
  url: string;
  body: unknown;
  at: number;
}

export type SlackMessage = Json & { ts: string; text: string };

interface StoredFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  bytes: Buffer;
  user: string;
  /** The workspace it was uploaded in: only that workspace's bot tokens download it. */
  teamId: string;
  created: number;
  channels: string[];
  altText?: string;
}

interface PendingUpload {
  fileId: string;
  filename: string;
  length: number;
  altText?: string;
  snippetType?: string;
  bytes?: Buffer;
}

interface ChannelState {
  id: string;
  name: string;
  kind: 'channel' | 'group' | 'im' | 'mpim';
  isPrivate: boolean;
  isMember: boolean;
  created: number;
  /** The workspace it is in: another workspace's token does not see it. */
  teamId: string;
  /** For an IM, the other user. */
  user?: string;
  /** In posting order, thread replies included. */
  messages: SlackMessage[];
  ephemerals: Array<Json & { user: string; ts: string }>;
}

interface StoredView {
  view: Json & { id: string; hash: string; type: string; root_view_id: string };
  userId: string;
}

interface Trigger {
  issuedAt: number;
  used: boolean;
  userId: string;
  viewId?: string;
}

interface Fault {
  status: number;
  retryAfter: number;
  error: string;
  remaining: number;
}

interface Waiter {
  method: string;
  predicate: (call: CallRecord) => boolean;
  resolve: (call: CallRecord) => void;
}

/** Thrown by a method handler; becomes `{ ok: false, error, ...extra }` with HTTP 200, as Slack answers. */
const ApiError = FakeApiError;

/** A Web API method that takes an app-level token (Socket Mode's `apps.connections.open`). */
export type AppMethodHandler = (args: Json, caller: FakeToken) => Json;

/** Slack's `invalid_blocks` / `invalid_arguments` shape: each problem as `[ERROR] ... [json-pointer:...]`. */
function schemaError(error: string, problems: string[]): FakeApiError {
  return new ApiError(error, {
    errors: problems,
    response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
  });
}

/** Arguments the WebClient sends JSON-stringified inside a form body. */
const JSON_ARGS = ['view', 'blocks', 'attachments', 'metadata', 'files', 'user_auth_blocks'];

const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  contextElements: 10,
  actionsElements: 25,
  altText: 2000,
  blockId: 255,
  viewTitle: 24,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
  viewBytes: 250_000,
  viewStack: 3,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  actionId: 255,
  textInputValue: 3000,
  selectOptions: 100,
  checkboxOptions: 10,
  optionText: 75,
  optionValue: 150,
} as const;

/**
 * What Slack refuses in an input block (Block Kit's input block, plain-text input and select references): a
 * plain_text_input's initial_value and max_length are at most 3,000 characters, a select offers at most 100
 * options of at most 75 characters shown and 150 sent.
 */
function inputBlockProblems(block: Json, at: string): string[] {
  const problems: string[] = [];
  const tooLong = (value: unknown, max: number, where: string) => {
    if (typeof value === 'string' && value.length > max)
      problems.push(`must be less than ${max + 1} characters [json-pointer:${at}${where}]`);
  };
  const textOf = (value: unknown) => (isObject(value) ? value.text : undefined);
  if (typeof textOf(block.label) !== 'string')
    problems.push(`missing required field: label [json-pointer:${at}]`);
  tooLong(textOf(block.label), LIMITS.inputLabel, '/label/text');
  tooLong(textOf(block.hint), LIMITS.inputHint, '/hint/text');
  const element = isObject(block.element) ? block.element : undefined;
  if (!element) return [...problems, `missing required field: element [json-pointer:${at}]`];
  tooLong(element.action_id, LIMITS.actionId, '/element/action_id');
  tooLong(textOf(element.placeholder), LIMITS.placeholder, '/element/placeholder/text');
  const between = (value: unknown, min: number, max: number, where: string) => {
    if (value !== undefined && (typeof value !== 'number' || value < min || value > max))
      problems.push(`must be between ${min} and ${max} [json-pointer:${at}/element/${where}]`);
  };
  if (element.type === 'plain_text_input') {
    tooLong(element.initial_value, LIMITS.textInputValue, '/element/initial_value');
    between(element.max_length, 1, LIMITS.textInputValue, 'max_length');
    between(element.min_length, 0, LIMITS.textInputValue, 'min_length');
  }
  if (element.type === 'rich_text_input') {
    if (element.initial_value !== undefined)
      problems.push(...richTextProblems(element.initial_value, `${at}/element/initial_value`));
    between(element.min_lines, 1, 100, 'min_lines');
    between(element.max_lines, 1, 100, 'max_lines');
  }
  if (element.type === 'url_text_input' && element.initial_value !== undefined) {
    if (typeof element.initial_value !== 'string')
      problems.push(`must be a string [json-pointer:${at}/element/initial_value]`);
  }
  if (
    (element.type === 'rich_text_input' ||
      element.type === 'url_text_input' ||
      element.type === 'plain_text_input') &&
    element.dispatch_action_config !== undefined
  ) {
    const on = isObject(element.dispatch_action_config)
      ? element.dispatch_action_config.trigger_actions_on
      : undefined;
    if (
      on !== undefined &&
      (!Array.isArray(on) || !on.every((t) => t === 'on_enter_pressed' || t === 'on_character_entered'))
    )
      problems.push(
        `must be on_enter_pressed or on_character_entered [json-pointer:${at}/element/dispatch_action_config/trigger_actions_on]`,
      );
  }
  if (element.type === 'external_select' || element.type === 'multi_external_select') {
    // Options come from the app's options load URL (block_suggestion), never from the view.
    if (element.options !== undefined || element.option_groups !== undefined)
      problems.push(`options are not allowed on ${element.type} [json-pointer:${at}/element]`);
    if (
      element.min_query_length !== undefined &&
      (typeof element.min_query_length !== 'number' ||
        !Number.isInteger(element.min_query_length) ||
        element.min_query_length < 0)
    )
      problems.push(`must be a whole number of at least 0 [json-pointer:${at}/element/min_query_length]`);
    const initial =
      element.type === 'external_select'
        ? element.initial_option === undefined
          ? []
          : [[element.initial_option, '/element/initial_option'] as const]
        : Array.isArray(element.initial_options)
          ? element.initial_options.map((o, i) => [o, `/element/initial_options/${i}`] as const)
          : [];
    if (element.type === 'multi_external_select') {
      if (element.initial_options !== undefined && !Array.isArray(element.initial_options))
        problems.push(`must be an array [json-pointer:${at}/element/initial_options]`);
      between(element.max_selected_items, 1, Number.MAX_SAFE_INTEGER, 'max_selected_items');
    }
    for (const [option, where] of initial) {
      if (!isObject(option) || typeof textOf(option.text) !== 'string' || typeof option.value !== 'string') {
        problems.push(`must be an option with text and value [json-pointer:${at}${where}]`);
        continue;
      }
      tooLong(textOf(option.text), LIMITS.optionText, `${where}/text/text`);
      tooLong(option.value, LIMITS.optionValue, `${where}/value`);
    }
  }
  const options = Array.isArray(element.options) ? element.options : [];
  const most =
    element.type === 'checkboxes' || element.type === 'radio_buttons'
      ? LIMITS.checkboxOptions
      : LIMITS.selectOptions;
  if (options.length > most)
    problems.push(`no more than ${most} items allowed [json-pointer:${at}/element/options]`);
  options.forEach((o, i) => {
    if (!isObject(o)) return;
    tooLong(textOf(o.text), LIMITS.optionText, `/element/options/${i}/text/text`);
    tooLong(o.value, LIMITS.optionValue, `/element/options/${i}/value`);
  });
  return problems;
}

/** The rich text elements Block Kit documents, and the fields each needs. */
const RICH_TEXT_ELEMENTS: Record<string, Record<string, 'string' | 'number'>> = {
  text: { text: 'string' },
  link: { url: 'string' },
  user: { user_id: 'string' },
  usergroup: { usergroup_id: 'string' },
  channel: { channel_id: 'string' },
  team: { team_id: 'string' },
  broadcast: { range: 'string' },
  emoji: { name: 'string' },
  date: { timestamp: 'number', format: 'string' },
  color: { value: 'string' },
};
const BROADCAST_RANGES = new Set(['here', 'channel', 'everyone']);
const TEXT_STYLES = new Set([
  'bold',
  'italic',
  'strike',
  'code',
  'underline',
  'highlight',
  'client_highlight',
  'unlink',
]);

/**
 * What Slack refuses in a rich text value (Block Kit's rich text block): it must be `type: rich_text` with
 * `elements` of rich_text_section / rich_text_list / rich_text_quote / rich_text_preformatted, a list of
 * style bullet or ordered whose items are sections, and inline elements of the documented kinds.
 */
function richTextProblems(value: unknown, at: string): string[] {
  const problems: string[] = [];
  if (!isObject(value) || value.type !== 'rich_text')
    return [`must be a rich_text block [json-pointer:${at}]`];
  if (!Array.isArray(value.elements)) return [`missing required field: elements [json-pointer:${at}]`];
  const inline = (elements: unknown, where: string, only?: ReadonlySet<string>) => {
    if (!Array.isArray(elements)) {
      problems.push(`missing required field: elements [json-pointer:${where}]`);
      return;
    }
    elements.forEach((e, i) => {
      const here = `${where}/elements/${i}`;
      const fields = isObject(e) && typeof e.type === 'string' ? RICH_TEXT_ELEMENTS[e.type] : undefined;
      if (!isObject(e) || !fields || (only && !only.has(String(e.type)))) {
        problems.push(`unsupported rich text element type [json-pointer:${here}/type]`);
        return;
      }
      for (const [field, type] of Object.entries(fields)) {
        if (typeof e[field] !== type)
          problems.push(`missing required field: ${field} [json-pointer:${here}]`);
      }
      if (e.type === 'broadcast' && !BROADCAST_RANGES.has(String(e.range)))
        problems.push(`must be here, channel or everyone [json-pointer:${here}/range]`);
      if (e.style !== undefined) {
        if (
          !isObject(e.style) ||
          !Object.entries(e.style).every(([k, v]) => TEXT_STYLES.has(k) && typeof v === 'boolean')
        )
          problems.push(`invalid style [json-pointer:${here}/style]`);
      }
    });
  };
  value.elements.forEach((block, i) => {
    const here = `${at}/elements/${i}`;
    if (!isObject(block)) {
      problems.push(`must be an object [json-pointer:${here}]`);
      return;
    }
    switch (block.type) {
      case 'rich_text_section':
      case 'rich_text_quote':
        inline(block.elements, here);
        break;
      case 'rich_text_preformatted':
        inline(block.elements, here, new Set(['text', 'link']));
        break;
      case 'rich_text_list': {
        if (block.style !== 'bullet' && block.style !== 'ordered')
          problems.push(`must be bullet or ordered [json-pointer:${here}/style]`);
        if (
          block.indent !== undefined &&
          (typeof block.indent !== 'number' ||
            !Number.isInteger(block.indent) ||
            block.indent < 0 ||
            block.indent > 8)
        )
          problems.push(`must be between 0 and 8 [json-pointer:${here}/indent]`);
        if (!Array.isArray(block.elements)) {
          problems.push(`missing required field: elements [json-pointer:${here}]`);
          break;
        }
        block.elements.forEach((item, j) => {
          if (!isObject(item) || item.type !== 'rich_text_section')
            problems.push(`must be a rich_text_section [json-pointer:${here}/elements/${j}]`);
          else inline(item.elements, `${here}/elements/${j}`);
        });
        break;
      }
      default:
        problems.push(`unsupported rich text element type [json-pointer:${here}/type]`);
    }
  });
  return problems;
}

/** What an image block can show (Slack's Block Kit reference: png, jpg, jpeg and gif). */
const SHOWABLE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif']);

/** Methods whose blocks Slack shows at once: it downloads every `image_url` in them first. */
const IMAGE_FETCHING_METHODS = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral']);

/** Hosts whose image URLs the fake downloads for real; any other host is taken to answer with a photo. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const IMAGE_FETCH_TIMEOUT_MS = 2000;

const MIME_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/plain',
  json: 'application/json',
  csv: 'text/csv',
};

export class FakeSlack {
  readonly botToken: string;
  readonly teamId: string;
  readonly triggerTtlMs: number;
  /** Workspaces, their bot tokens, and OAuth installs. */
  readonly workspaces: FakeWorkspaces;
  /** An app-level token with `connections:write`, for Socket Mode. */
  readonly appToken: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The token of the Web API call being answered (handlers run synchronously, one at a time). */
  private caller: FakeToken | undefined;
  private readonly appMethods = new Map<string, AppMethodHandler>();
  private readonly now: () => number;
  private server!: http.Server;
  private port = 0;

  private readonly users = new Map<string, FakeUserInput>();
  private readonly configuredChannels: FakeChannelInput[];
  private channels = new Map<string, ChannelState>();
  private readonly callLog: CallRecord[] = [];
  private waiters: Waiter[] = [];
  private faults = new Map<string, Fault[]>();
  private delayMs: number;
  private methodDelays = new Map<string, number>();
  private hangs = new Map<string, number>();
  private hung = new Set<http.ServerResponse>();
  private holds = new Map<string, Array<Promise<void>>>();
  private holdReleases = new Set<() => void>();
  private publicImages = new Map<string, { bytes: Buffer; contentType: string }>();
  private imageFetchLog: ImageFetchRecord[] = [];
  private triggers = new Map<string, Trigger>();
  private storedViews = new Map<string, StoredView>();
  private homeViews = new Map<string, string>();
  private files = new Map<string, StoredFile>();
  private pendingUploads = new Map<string, PendingUpload>();
  private completedUploads: CompletedUpload[] = [];
  private downloadLog: DownloadRecord[] = [];
  private responseLog: ResponseUrlPost[] = [];
  private responseUrls = new Set<string>();
  private idCounter = 0;
  private lastTsMicros = 0;

  private readonly handlers: Record<string, (args: Json) => Json> = {
    'auth.test': () => this.authTest(),
    'chat.postMessage': (a) => this.postMessage(a),
    'chat.update': (a) => this.updateMessage(a),
    'chat.postEphemeral': (a) => this.postEphemeral(a),
    'chat.delete': (a) => this.deleteMessage(a),
    'conversations.history': (a) => this.history(a),
    'conversations.replies': (a) => this.replies(a),
    'conversations.open': (a) => this.openConversation(a),
    'conversations.join': (a) => this.joinConversation(a),
    'conversations.info': (a) => ({ channel: this.channelObject(this.requireChannel(a.channel)) }),
    'views.open': (a) => this.openView(a, 'open'),
    'views.push': (a) => this.openView(a, 'push'),
    'views.update': (a) => this.updateView(a),
    'views.publish': (a) => this.publishView(a),
    'users.info': (a) => this.userInfo(a),
    'files.info': (a) => this.fileInfo(a),
    'files.getUploadURLExternal': (a) => this.getUploadUrl(a),
    'files.completeUploadExternal': (a) => this.completeUpload(a),
  };

  private constructor(options: FakeSlackOptions) {
    this.botToken = options.botToken ?? FAKE_DEFAULTS.botToken;
    this.teamId = options.teamId ?? FAKE_DEFAULTS.teamId;
    this.triggerTtlMs = options.triggerTtlMs ?? 3000;
    this.now = options.now ?? Date.now;
    this.delayMs = options.delayMs ?? 0;
    this.clientId = options.clientId ?? '1111111111111.2222222222222';
    this.clientSecret = options.clientSecret ?? '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
    this.workspaces = new FakeWorkspaces(
      { appId: FAKE_DEFAULTS.appId, clientId: this.clientId, clientSecret: this.clientSecret },
      this.now,
    );
    this.workspaces.add({
      teamId: this.teamId,
      teamName: FAKE_DEFAULTS.teamName,
      botUserId: FAKE_DEFAULTS.botUserId,
      botId: FAKE_DEFAULTS.botId,
    });
    this.workspaces.addToken({
      token: this.botToken,
      kind: 'bot',
      teamId: this.teamId,
      scopes: DEFAULT_BOT_SCOPES,
    });
    this.appToken = this.workspaces.issueAppToken(['connections:write']);
    this.configuredChannels = options.channels ?? [];
    this.addUser({ id: FAKE_DEFAULTS.botUserId, name: FAKE_DEFAULTS.botName, isBot: true });
    this.addUser({ id: FAKE_DEFAULTS.userId, name: FAKE_DEFAULTS.userName, realName: 'Olive Organiser' });
    for (const user of options.users ?? []) this.addUser(user);
    this.seedChannels();
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(options);
    fake.server = http.createServer((req, res) => {
      fake.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`fake slack crashed: ${err instanceof Error ? err.stack : String(err)}`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** The WebClient's `slackApiUrl`. */
  get apiUrl(): string {
    return `${this.fileHost}/api/`;
  }

  /** Where upload URLs, private file URLs and response URLs point (Slack's files.slack.com / hooks.slack.com). */
  get fileHost(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    this.waiters = [];
    this.releaseHung();
    for (const release of [...this.holdReleases]) release();
    // fetch keeps connections alive; without this close() waits for them and jest reports an open handle.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Test-facing API

  /** Every call, in arrival order, including ones answered with an error or an injected fault. */
  get calls(): readonly CallRecord[] {
    return this.callLog;
  }

  callsTo(method: string): CallRecord[] {
    return this.callLog.filter((c) => c.method === method);
  }

  /**
   * Resolves with the first call to `method` matching `predicate`: one already recorded (since the last reset),
   * or the next to arrive. Rejects after `timeoutMs` (real time), naming the methods that were called.
   */
  waitForCall(
    method: string,
    predicate: (call: CallRecord) => boolean = () => true,
    timeoutMs = 2000,
  ): Promise<CallRecord> {
    const seen = this.callLog.find((c) => c.method === method && predicate(c));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        method,
        predicate,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const methods = this.callLog.map((c) => c.method).join(', ') || 'none';
        reject(new Error(`no matching ${method} call within ${timeoutMs} ms (calls: ${methods})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Files completed through files.completeUploadExternal, with their bytes. */
  get uploads(): readonly CompletedUpload[] {
    return this.completedUploads;
  }

  /** Requests for private file URLs. */
  get downloads(): readonly DownloadRecord[] {
    return this.downloadLog;
  }

  /** Bodies POSTed to response URLs issued by `issueResponseUrl()`. */
  get responses(): readonly ResponseUrlPost[] {
    return this.responseLog;
  }

  /** Messages of a channel (id or name) in posting order, thread replies included; [] for an unknown channel. */
  messages(channel: string): SlackMessage[] {
    const state = this.findChannel(channel);
    return state ? state.messages.map((m) => structuredClone(m)) : [];
  }

  ephemerals(channel: string): Json[] {
    return structuredClone(this.findChannel(channel)?.ephemerals ?? []);
  }

  /** A stored view (modal or home) by id. */
  view(viewId: string): Json | undefined {
    const stored = this.storedViews.get(viewId);
    return stored ? structuredClone(stored.view) : undefined;
  }

  /** The App Home view last published for a user. */
  homeView(userId: string): Json | undefined {
    const id = this.homeViews.get(userId);
    return id === undefined ? undefined : this.view(id);
  }

  /** The Slack file object (as files.info returns it) of a stored file. */
  fileObject(fileId: string): Json | undefined {
    const file = this.files.get(fileId);
    return file ? this.fileJson(file) : undefined;
  }

  /**
   * A trigger id as Slack puts in slash commands and interactions: exchangeable once by views.open/views.push
   * within `triggerTtlMs`. `userId` is who the modal opens for; `viewId` is the modal the interaction came
   * from (views.push stacks on it).
   */
  issueTriggerId(options: { userId?: string; viewId?: string } = {}): string {
    const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
    const id = `${digits(12)}.${digits(11)}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, {
      issuedAt: this.now(),
      used: false,
      userId: options.userId ?? FAKE_DEFAULTS.userId,
      viewId: options.viewId,
    });
    return id;
  }

  /** A response_url (as in slash commands and message actions); what the app POSTs there lands in `responses`. */
  issueResponseUrl(): string {
    const url = `${this.fileHost}/commands/${this.teamId}/${this.nextNumber()}/${randomBytes(12).toString('hex')}`;
    this.responseUrls.add(url);
    return url;
  }

  /** A file someone uploaded (e.g. through a modal's file_input), downloadable only with the bot token. */
  addPrivateFile(input: {
    name: string;
    mimetype: string;
    bytes: Buffer;
    title?: string;
    userId?: string;
    /** The workspace it is uploaded in (the default one unless told). */
    teamId?: string;
  }): PrivateFile {
    const file = this.storeFile({
      name: input.name,
      title: input.title ?? input.name,
      mimetype: input.mimetype,
      bytes: Buffer.from(input.bytes),
      user: input.userId ?? FAKE_DEFAULTS.userId,
      teamId: input.teamId ?? this.teamId,
    });
    const json = this.fileJson(file);
    return {
      id: file.id,
      url_private: String(json.url_private),
      url_private_download: String(json.url_private_download),
    };
  }

  /** A workspace the app can be installed in, besides the default one (which has `botToken`). */
  addWorkspace(input: { teamId: string; teamName?: string; enterpriseId?: string }): FakeWorkspace {
    return this.workspaces.add(input);
  }

  /**
   * What Slack does when someone approves the install on its authorize page: the `code` it sends their browser
   * back to the redirect URL with, for `oauth.v2.access`. Usable once, within ten minutes.
   */
  authorizeInstall(input: {
    teamId: string;
    userId: string;
    scopes?: string[];
    redirectUri?: string;
  }): string {
    return this.workspaces.authorize(input);
  }

  /** The newest live bot token of a workspace (the one its last install issued). */
  botTokenOf(teamId: string): string | undefined {
    return this.workspaces.botTokensOf(teamId).pop();
  }

  /** The workspace's bot tokens stop working (`token_revoked`), as after an uninstall. */
  revokeTeam(teamId: string): void {
    this.workspaces.revokeTeam(teamId);
  }

  /** An app-level token (xapp-) with these scopes. */
  issueAppToken(scopes: string[]): string {
    return this.workspaces.issueAppToken(scopes);
  }

  /** Answer a Web API method that takes an app-level token (the bot token is `not_allowed_token_type`). */
  registerAppMethod(method: string, handler: AppMethodHandler): void {
    this.appMethods.set(method, handler);
  }

  /**
   * What Slack does with a view submission answered `response_action: update` (or `push`): the view is
   * checked as views.update checks one and replaces the submitted view (or goes on top of it), with a new
   * hash. Throws, as Slack refuses the answer, when the view breaks a rule. Returns the view as stored.
   */
  answerSubmission(viewId: string, answer: { response_action: 'update' | 'push'; view: Json }): Json {
    const stored = this.storedViews.get(viewId);
    if (!stored) throw new Error(`no view ${viewId} to answer`);
    const view = this.checkView(answer.view, 'modal');
    if (answer.response_action === 'update') {
      const updated = this.storeView(
        viewId,
        view,
        stored.userId,
        stored.view.root_view_id,
        (stored.view.previous_view_id as string | null) ?? null,
      );
      return structuredClone(updated.view);
    }
    const rootId = stored.view.root_view_id;
    const stack = [...this.storedViews.values()].filter((v) => v.view.root_view_id === rootId);
    if (stack.length >= LIMITS.viewStack) throw new ApiError('push_limit_reached');
    const pushed = this.storeView(this.nextId('V'), view, stored.userId, rootId, viewId);
    return structuredClone(pushed.view);
  }

  /** The HTTP server the Web API is on (for a WebSocket endpoint on the same port). */
  get httpServer(): http.Server {
    return this.server;
  }

  addUser(user: FakeUserInput): void {
    this.users.set(user.id, user);
  }

  /** Makes a channel known; returns its id. */
  addChannel(input: FakeChannelInput): string {
    const id = input.id ?? this.nextId(input.isPrivate ? 'G' : 'C');
    this.channels.set(id, {
      id,
      name: input.name,
      kind: input.isPrivate ? 'group' : 'channel',
      isPrivate: input.isPrivate ?? false,
      isMember: input.isMember ?? true,
      created: Math.floor(this.now() / 1000),
      teamId: input.teamId ?? this.callerTeam.teamId,
      messages: [],
      ephemerals: [],
    });
    return id;
  }

  /** A message written by someone else (a person), e.g. to be found in history; returns its ts. */
  addMessage(
    channel: string,
    message: { text: string; user?: string; thread_ts?: string; metadata?: Json },
  ): string {
    const state = this.requireChannel(channel);
    const ts = this.nextTs();
    const stored: SlackMessage = {
      type: 'message',
      user: message.user ?? FAKE_DEFAULTS.userId,
      text: message.text,
      ts,
    };
    if (message.metadata) stored.metadata = message.metadata;
    this.appendMessage(state, stored, message.thread_ts);
    return ts;
  }

  /**
   * The next `times` calls to `method` fail: HTTP 429 with Retry-After, another HTTP status, or HTTP 200 with
   * `{ ok: false, error }`. Use `UPLOAD_METHOD` for the upload POST.
   */
  failNext(method: string, options: FailOptions = {}): void {
    const status = options.status ?? 200;
    const fault: Fault = {
      status,
      retryAfter: options.retryAfter ?? 1,
      error: options.error ?? (status === 429 ? 'ratelimited' : 'internal_error'),
      remaining: options.times ?? 1,
    };
    this.faults.set(method, [...(this.faults.get(method) ?? []), fault]);
  }

  /**
   * Answer Web API calls only after `ms` (real wall-clock time): every method, or only `method`. A slow Slack,
   * for timeouts and for benchmarks where any call on the request path must show.
   */
  setDelay(ms: number, method?: string): void {
    if (method) this.methodDelays.set(method, ms);
    else this.delayMs = ms;
  }

  /**
   * The next `times` calls to `method` never answer: the request is recorded, then left open until the
   * caller gives up (its socket closes), `releaseHung()` or `stop()`.
   */
  hangNext(method: string, times = 1): void {
    this.hangs.set(method, (this.hangs.get(method) ?? 0) + times);
  }

  /**
   * The next call to `method` is recorded (status 0, and waiters told) and then waits, answered as usual only
   * when the returned function is called: a call Slack is slow to answer, for a test that acts meanwhile.
   */
  holdNext(method: string): () => void {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = () => {
        this.holdReleases.delete(release);
        resolve();
      };
    });
    this.holdReleases.add(release);
    this.holds.set(method, [...(this.holds.get(method) ?? []), held]);
    return release;
  }

  /**
   * A photo on the web, served by the fake at `${fileHost}/public/<name>`; returns its URL. Slack downloads
   * it when a message shows it; a URL on this host that was never given here answers 404, a dead link.
   */
  hostImage(name: string, bytes: Buffer, contentType = 'image/png'): string {
    this.publicImages.set(name, { bytes: Buffer.from(bytes), contentType });
    return `${this.fileHost}/public/${encodeURIComponent(name)}`;
  }

  /** The fake's downloads of image URLs in messages, in order. */
  get imageFetches(): readonly ImageFetchRecord[] {
    return this.imageFetchLog;
  }

  /** A file deleted in Slack (by whoever uploaded it): its id is unknown from now on. */
  deleteFile(fileId: string): void {
    this.files.delete(fileId);
  }

  /** Closes the connections of every hung call without an answer, as a dropped connection would. */
  releaseHung(): void {
    for (const res of this.hung) res.destroy();
    this.hung.clear();
  }

  /** Forgets calls, messages, views, files, uploads, triggers and faults; keeps users and configured channels. */
  reset(): void {
    this.releaseHung();
    this.hangs.clear();
    for (const release of [...this.holdReleases]) release();
    this.holds.clear();
    this.publicImages.clear();
    this.imageFetchLog = [];
    this.methodDelays.clear();
    this.callLog.length = 0;
    this.waiters = [];
    this.faults.clear();
    this.triggers.clear();
    this.storedViews.clear();
    this.homeViews.clear();
    this.files.clear();
    this.pendingUploads.clear();
    this.completedUploads = [];
    this.downloadLog = [];
    this.responseLog = [];
    this.responseUrls.clear();
    this.seedChannels();
  }

  // ---------------------------------------------------------------------------------------------------------
  // HTTP

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.fileHost);
    const raw = await readBody(req);
    const apiMatch = /^\/api\/([\w.]+)$/.exec(url.pathname);
    if (apiMatch?.[1]) return this.serveApi(apiMatch[1], req, url, raw, res);
    if (url.pathname.startsWith('/upload/v1/') && req.method === 'POST')
      return this.serveUpload(url, req, raw, res);
    if (url.pathname.startsWith('/files-pri/')) return this.serveFile(url, req, res);
    if (url.pathname.startsWith('/public/') && req.method === 'GET') return this.servePublicImage(url, res);
    if (url.pathname.startsWith('/commands/') && req.method === 'POST')
      return this.serveResponseUrl(url, raw, res);
    if (url.pathname === '/' && req.method === 'GET') {
      // Where Slack sends a browser (or a bot that forgot its token) asking for a private file.
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to Slack</body></html>');
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  }

  private async serveApi(
    method: string,
    req: http.IncomingMessage,
    url: URL,
    raw: Buffer,
    res: http.ServerResponse,
  ): Promise<void> {
    const at = this.now();
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    let args: Json = Object.fromEntries(url.searchParams);
    let parseError: string | undefined;
    let bodyToken: string | undefined;
    if (contentType === 'application/json') {
      try {
        const parsed: unknown = raw.length ? JSON.parse(raw.toString('utf8')) : {};
        args = { ...args, ...(isObject(parsed) ? parsed : {}) };
      } catch {
        parseError = 'invalid_json';
      }
    } else if (contentType === 'multipart/form-data') {
      args = { ...args, ...(await parseMultipartFields(raw, String(req.headers['content-type']))) };
      bodyToken = typeof args.token === 'string' ? args.token : undefined;
    } else {
      args = { ...args, ...Object.fromEntries(new URLSearchParams(raw.toString('utf8'))) };
      bodyToken = typeof args.token === 'string' ? args.token : undefined;
    }
    // Slack reads a token from the query string or a form body, never from a JSON body.
    bodyToken ??= url.searchParams.get('token') ?? undefined;
    delete args.token;
    for (const key of JSON_ARGS) {
      const value = args[key];
      if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
        try {
          args[key] = JSON.parse(value);
        } catch {
          // Left as the string: the handler reports it the way Slack does (e.g. invalid_blocks_format).
        }
      }
    }

    const record: CallRecord = { method, args, at, status: 200, response: undefined };
    this.callLog.push(record);

    const hangs = this.hangs.get(method) ?? 0;
    if (hangs > 0) {
      this.hangs.set(method, hangs - 1);
      record.status = 0;
      this.hung.add(res);
      res.once('close', () => this.hung.delete(res));
      this.notify(record);
      return;
    }
    const held = this.holds.get(method)?.shift();
    if (held) {
      record.status = 0;
      this.notify(record);
      await held;
    }
    const delay = this.methodDelays.get(method) ?? this.delayMs;
    if (delay > 0) {
      let gone = false;
      res.once('close', () => {
        gone = true;
      });
      await new Promise((resolve) => setTimeout(resolve, delay));
      // A slow Slack here is one whose queue is long: a request whose caller hung up (a client timeout)
      // while it waited is dropped unprocessed, so a caller that timed out knows its call had no effect
      // once the history says so.
      if (gone) {
        record.status = 0;
        this.notify(record);
        return;
      }
    }

    let status = 200;
    const headers: Record<string, string> = {};
    let body: Json;
    const fault = this.takeFault(method);
    if (fault) {
      status = fault.status;
      if (status === 429) headers['Retry-After'] = String(fault.retryAfter);
      body = { ok: false, error: fault.error };
    } else {
      const imageProblems = await this.imageUrlProblems(method, args);
      body = this.answer(
        method,
        args,
        req.headers.authorization,
        bodyToken,
        parseError,
        imageProblems,
        record,
      );
    }
    record.status = status;
    record.response = body;
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
    this.notify(record);
  }

  private answer(
    method: string,
    args: Json,
    authorization: string | undefined,
    bodyToken: string | undefined,
    parseError: string | undefined,
    imageProblems: string[],
    record: CallRecord,
  ): Json {
    if (parseError) return { ok: false, error: parseError };
    try {
      // OAuth's token exchange is authenticated by the app's client credentials, not by a token.
      if (method === 'oauth.v2.access') return { ok: true, ...this.workspaces.exchange(args, authorization) };
      const appMethod = this.appMethods.get(method);
      const handler = this.handlers[method];
      if (!handler && !appMethod) return { ok: false, error: 'unknown_method', req_method: method };
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
      const token = bearer ?? bodyToken;
      if (!token) return { ok: false, error: 'not_authed' };
      const caller = this.workspaces.lookup(token);
      if (!caller) return { ok: false, error: 'invalid_auth' };
      record.token = token;
      if (caller.teamId) record.teamId = caller.teamId;
      if (caller.revoked) return { ok: false, error: 'token_revoked' };
      if (appMethod) {
        if (caller.kind !== 'app') return { ok: false, error: 'not_allowed_token_type' };
        return { ok: true, ...appMethod(args, caller) };
      }
      if (caller.kind !== 'bot' || !handler) return { ok: false, error: 'not_allowed_token_type' };
      if (imageProblems.length > 0) throw schemaError('invalid_blocks', imageProblems);
      this.caller = caller;
      try {
        return { ok: true, ...handler(args) };
      } finally {
        this.caller = undefined;
      }
    } catch (err) {
      if (err instanceof ApiError) return { ok: false, error: err.error, ...err.extra };
      throw err;
    }
  }

  /** The workspace of the call being answered (the default one outside a call, for the test-facing API). */
  private get callerTeam(): FakeWorkspace {
    const teamId = this.caller?.teamId ?? this.teamId;
    return this.workspaces.team(teamId) as FakeWorkspace;
  }

  /**
   * Slack downloads every `image_url` of a message before taking it, and refuses the whole message when one
   * is not a PNG, JPEG or GIF it could download. The fake downloads for real the URLs on this machine (its
   * own `hostImage` photos, a path it never served, a port nothing listens on) within a short timeout; URLs
   * on other hosts are taken as photos, so that no test depends on the internet.
   */
  private async imageUrlProblems(method: string, args: Json): Promise<string[]> {
    if (!IMAGE_FETCHING_METHODS.has(method) || !Array.isArray(args.blocks)) return [];
    const problems = await Promise.all(
      args.blocks.map(async (block, i) =>
        isObject(block) &&
        block.type === 'image' &&
        typeof block.image_url === 'string' &&
        !(await this.downloadImage(block.image_url))
          ? `downloading image failed [json-pointer:/blocks/${i}/image_url]`
          : undefined,
      ),
    );
    return problems.filter((p): p is string => p !== undefined);
  }

  private async downloadImage(href: string): Promise<boolean> {
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      return false;
    }
    if (!LOOPBACK_HOSTS.has(url.hostname)) return true;
    let status = 0;
    let ok = false;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(IMAGE_FETCH_TIMEOUT_MS) });
      status = response.status;
      const bytes = Buffer.from(await response.arrayBuffer());
      ok = response.ok && isShowableImage(bytes);
    } catch {
      ok = false;
    }
    this.imageFetchLog.push({ url: href, status, ok, at: this.now() });
    return ok;
  }

  private takeFault(method: string): Fault | undefined {
    const queue = this.faults.get(method);
    const fault = queue?.[0];
    if (!queue || !fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) queue.shift();
    return fault;
  }

  private notify(record: CallRecord): void {
    const matched = this.waiters.filter((w) => w.method === record.method && w.predicate(record));
    this.waiters = this.waiters.filter((w) => !matched.includes(w));
    for (const waiter of matched) waiter.resolve(record);
  }

  /** The upload_url from files.getUploadURLExternal: takes the bytes as multipart (what the WebClient sends) or raw. */
  private async serveUpload(
    url: URL,
    req: http.IncomingMessage,
    raw: Buffer,
    res: http.ServerResponse,
  ): Promise<void> {
    const at = this.now();
    const pending = this.pendingUploads.get(url.pathname.slice('/upload/v1/'.length));
    const record: CallRecord = {
      method: UPLOAD_METHOD,
      args: { file_id: pending?.fileId, bytes: raw.length },
      at,
      status: 200,
      response: undefined,
    };
    this.callLog.push(record);
    const fault = this.takeFault(UPLOAD_METHOD);
    let status: number;
    let text: string;
    if (fault) {
      status = fault.status === 200 ? 500 : fault.status;
      text = fault.error;
    } else if (!pending) {
      status = 404;
      text = 'upload url not found';
    } else {
      const contentType = String(req.headers['content-type'] ?? '');
      pending.bytes = contentType.startsWith('multipart/form-data')
        ? await parseMultipartFile(raw, contentType)
        : raw;
      status = 200;
      // Slack's upload endpoint answers plain text, not JSON; the WebClient only checks for HTTP 200.
      text = `OK - ${pending.bytes.length}`;
    }
    record.status = status;
    record.response = text;
    res.writeHead(status, fault?.status === 429 ? { 'Retry-After': String(fault.retryAfter) } : {});
    res.end(text);
    this.notify(record);
  }

  /** A private file URL: the bytes with the bot token; otherwise a redirect to the sign-in page, as Slack does. */
  private serveFile(url: URL, req: http.IncomingMessage, res: http.ServerResponse): void {
    const match = /^\/files-pri\/[A-Z0-9]+-([A-Z0-9]+)\/(download\/)?[^/]+$/.exec(url.pathname);
    const file = match?.[1] ? this.files.get(match[1]) : undefined;
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    const caller = bearer ? this.workspaces.lookup(bearer) : undefined;
    const authorized =
      caller !== undefined && caller.kind === 'bot' && !caller.revoked && caller.teamId === file?.teamId;
    let status: number;
    if (!file) {
      status = 404;
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end('file not found');
    } else if (!authorized) {
      status = 302;
      res.writeHead(status, { Location: `${this.fileHost}/?redir=${encodeURIComponent(url.pathname)}` });
      res.end();
    } else {
      status = 200;
      const headers: Record<string, string | number> = {
        'Content-Type': file.mimetype,
        'Content-Length': file.bytes.length,
      };
      if (match?.[2])
        headers['Content-Disposition'] = `attachment; filename="${file.name.replace(/"/g, '')}"`;
      res.writeHead(status, headers);
      res.end(file.bytes);
    }
    this.downloadLog.push({ fileId: match?.[1] ?? '', authorized, status, at: this.now() });
  }

  /** A photo given to `hostImage`, to anyone; anything else under /public/ is a dead link (404). */
  private servePublicImage(url: URL, res: http.ServerResponse): void {
    const image = this.publicImages.get(decodeURIComponent(url.pathname.slice('/public/'.length)));
    if (!image) {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><title>Not found</title>');
      return;
    }
    res.writeHead(200, { 'Content-Type': image.contentType, 'Content-Length': image.bytes.length });
    res.end(image.bytes);
  }

  private serveResponseUrl(url: URL, raw: Buffer, res: http.ServerResponse): void {
    const href = `${this.fileHost}${url.pathname}`;
    if (!this.responseUrls.has(href)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('no_response_url');
      return;
    }
    const text = raw.toString('utf8');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Kept as text: a malformed response is itself worth asserting on.
    }
    this.responseLog.push({ url: href, body, at: this.now() });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ ok: true }));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Web API methods

  private authTest(): Json {
    const team = this.callerTeam;
    return {
      url: `https://${team.teamId === this.teamId ? FAKE_DEFAULTS.teamDomain : team.teamId.toLowerCase()}.slack.com/`,
      team: team.teamName,
      user: FAKE_DEFAULTS.botName,
      team_id: team.teamId,
      user_id: team.botUserId,
      bot_id: team.botId,
      ...(team.enterpriseId ? { enterprise_id: team.enterpriseId } : {}),
      is_enterprise_install: false,
    };
  }

  private postMessage(args: Json): Json {
    const channel = this.memberChannel(args.channel);
    const message = this.botMessage(args);
    const threadTs = optionalString(args.thread_ts);
    if (threadTs && flag(args.reply_broadcast)) message.subtype = 'thread_broadcast';
    this.appendMessage(channel, message, threadTs);
    return { channel: channel.id, ts: message.ts, message: structuredClone(message) };
  }

  private updateMessage(args: Json): Json {
    const channel = this.requireChannel(args.channel);
    const message = channel.messages.find((m) => m.ts === args.ts);
    if (!message) throw new ApiError('message_not_found');
    if (message.user !== this.callerTeam.botUserId) throw new ApiError('cant_update_message');
    const content = this.messageContent(args, false);
    if (content.text === undefined && content.blocks === undefined && content.attachments === undefined) {
      throw new ApiError('no_text');
    }
    Object.assign(message, content);
    if (content.text === undefined) message.text = '';
    message.edited = { user: this.callerTeam.botUserId, ts: this.nextTs() };
    return { channel: channel.id, ts: message.ts, text: message.text, message: structuredClone(message) };
  }

  private postEphemeral(args: Json): Json {
    const channel = this.memberChannel(args.channel);
    const user = optionalString(args.user);
    if (!user || !this.users.has(user)) throw new ApiError('user_not_found');
    const content = this.messageContent(args, true);
    const ts = this.nextTs();
    channel.ephemerals.push({ ...content, text: content.text ?? '', user, ts });
    return { message_ts: ts };
  }

  private deleteMessage(args: Json): Json {
    const channel = this.requireChannel(args.channel);
    const index = channel.messages.findIndex((m) => m.ts === args.ts);
    const message = channel.messages[index];
    if (!message) throw new ApiError('message_not_found');
    if (message.user !== this.callerTeam.botUserId) throw new ApiError('cant_delete_message');
    channel.messages.splice(index, 1);
    return { channel: channel.id, ts: message.ts };
  }

  private history(args: Json): Json {
    const channel = this.memberChannel(args.channel);
    const inclusive = flag(args.inclusive);
    const oldestArg = optionalString(args.oldest);
    const latestArg = optionalString(args.latest);
    const oldest = oldestArg ? tsMicros(oldestArg) : undefined;
    let latest = latestArg ? tsMicros(latestArg) : undefined;
    let latestInclusive = inclusive;
    const cursor = optionalString(args.cursor);
    if (cursor) {
      // Our cursors name the ts to resume from, like Slack's base64 "next_ts:..." cursors.
      const decoded = /^next_ts:(\d+\.\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
      if (!decoded?.[1]) throw new ApiError('invalid_cursor');
      latest = tsMicros(decoded[1]);
      latestInclusive = true;
    }
    const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 999);
    const withMetadata = flag(args.include_all_metadata);
    const inRange = channel.messages
      .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts || m.subtype === 'thread_broadcast')
      .filter((m) => {
        const t = tsMicros(m.ts);
        const afterOldest = oldest === undefined || (inclusive ? t >= oldest : t > oldest);
        const beforeLatest = latest === undefined || (latestInclusive ? t <= latest : t < latest);
        return afterOldest && beforeLatest;
      })
      .sort((a, b) => tsMicros(b.ts) - tsMicros(a.ts));
    const page = inRange.slice(0, limit).map((m) => this.readableMessage(m, withMetadata));
    const next = inRange[limit];
    return {
      messages: page,
      has_more: next !== undefined,
      pin_count: 0,
      channel_actions_ts: null,
      channel_actions_count: 0,
      ...(next
        ? { response_metadata: { next_cursor: Buffer.from(`next_ts:${next.ts}`).toString('base64') } }
        : {}),
    };
  }

  private replies(args: Json): Json {
    const channel = this.memberChannel(args.channel);
    const ts = optionalString(args.ts);
    const parent = channel.messages.find((m) => m.ts === ts);
    if (!parent || !ts) throw new ApiError('thread_not_found');
    const withMetadata = flag(args.include_all_metadata);
    const thread = channel.messages.filter((m) => m.ts === ts || (m.thread_ts === ts && m.ts !== ts));
    return { messages: thread.map((m) => this.readableMessage(m, withMetadata)), has_more: false };
  }

  private openConversation(args: Json): Json {
    const existing = optionalString(args.channel);
    if (existing) return { channel: this.channelObject(this.requireChannel(existing)) };
    const users = (optionalString(args.users) ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    if (users.length === 0) throw new ApiError('users_list_not_supplied');
    for (const user of users) if (!this.users.has(user)) throw new ApiError('user_not_found');
    const key = users.length === 1 ? users[0] : [...users].sort().join(',');
    let channel = [...this.channels.values()].find(
      (c) => (c.kind === 'im' || c.kind === 'mpim') && c.user === key && c.teamId === this.callerTeam.teamId,
    );
    const alreadyOpen = channel !== undefined;
    if (!channel) {
      const kind = users.length === 1 ? 'im' : 'mpim';
      const id = this.nextId(kind === 'im' ? 'D' : 'G');
      channel = {
        id,
        name: id,
        kind,
        isPrivate: true,
        isMember: true,
        user: key,
        created: this.seconds(),
        teamId: this.callerTeam.teamId,
        messages: [],
        ephemerals: [],
      };
      this.channels.set(id, channel);
    }
    const object = flag(args.return_im) ? this.channelObject(channel) : { id: channel.id };
    return alreadyOpen ? { no_op: true, already_open: true, channel: object } : { channel: object };
  }

  private joinConversation(args: Json): Json {
    const channel = this.requireChannel(args.channel);
    if (channel.kind !== 'channel') throw new ApiError('method_not_supported_for_channel_type');
    if (channel.isMember) {
      return {
        channel: this.channelObject(channel),
        warning: 'already_in_channel',
        response_metadata: { warnings: ['already_in_channel'] },
      };
    }
    channel.isMember = true;
    return { channel: this.channelObject(channel) };
  }

  private openView(args: Json, how: 'open' | 'push'): Json {
    const triggerId = optionalString(args.trigger_id) ?? optionalString(args.interactivity_pointer);
    const view = this.checkView(args.view, 'modal');
    const trigger = triggerId ? this.triggers.get(triggerId) : undefined;
    if (!triggerId || !trigger) throw new ApiError('invalid_trigger_id');
    if (trigger.used) throw new ApiError('exchanged_trigger_id');
    if (this.now() - trigger.issuedAt > this.triggerTtlMs) throw new ApiError('expired_trigger_id');
    this.checkExternalIdFree(view.external_id);

    let rootId: string | undefined;
    let previousId: string | null = null;
    if (how === 'push') {
      const from = trigger.viewId ? this.storedViews.get(trigger.viewId) : this.latestModalOf(trigger.userId);
      if (from) {
        rootId = from.view.root_view_id;
        const stack = [...this.storedViews.values()].filter((v) => v.view.root_view_id === rootId);
        if (stack.length >= LIMITS.viewStack) throw new ApiError('push_limit_reached');
        previousId = stack[stack.length - 1]?.view.id ?? null;
      }
    }
    trigger.used = true;
    const id = this.nextId('V');
    const stored = this.storeView(id, view, trigger.userId, rootId ?? id, previousId);
    return { view: structuredClone(stored.view) };
  }

  private updateView(args: Json): Json {
    const viewId = optionalString(args.view_id);
    const externalId = optionalString(args.external_id);
    if (!viewId && !externalId) throw new ApiError('invalid_arguments');
    const stored = viewId
      ? this.storedViews.get(viewId)
      : [...this.storedViews.values()].find((v) => v.view.external_id === externalId);
    if (!stored) throw new ApiError('not_found');
    const view = this.checkView(args.view, stored.view.type === 'home' ? 'home' : 'modal');
    const hash = optionalString(args.hash);
    if (hash !== undefined && hash !== stored.view.hash) throw new ApiError('hash_conflict');
    if (view.external_id !== undefined && view.external_id !== stored.view.external_id) {
      this.checkExternalIdFree(view.external_id);
    }
    const updated = this.storeView(
      stored.view.id,
      view,
      stored.userId,
      stored.view.root_view_id,
      (stored.view.previous_view_id as string | null) ?? null,
    );
    return { view: structuredClone(updated.view) };
  }

  private publishView(args: Json): Json {
    const userId = optionalString(args.user_id);
    if (!userId || !this.users.has(userId)) throw new ApiError('user_not_found');
    const view = this.checkView(args.view, 'home');
    const currentId = this.homeViews.get(userId);
    const current = currentId ? this.storedViews.get(currentId) : undefined;
    const hash = optionalString(args.hash);
    if (hash !== undefined && current && hash !== current.view.hash) throw new ApiError('hash_conflict');
    // Slack keeps one App Home view per user: republishing keeps its id and changes its hash.
    const id = currentId ?? this.nextId('V');
    this.homeViews.set(userId, id);
    const stored = this.storeView(id, view, userId, id, null);
    return { view: structuredClone(stored.view) };
  }

  private userInfo(args: Json): Json {
    const id = optionalString(args.user);
    const user = id ? this.users.get(id) : undefined;
    if (!user) throw new ApiError('user_not_found');
    const tz = user.tz ?? 'Europe/London';
    const name = user.name ?? user.id.toLowerCase();
    const realName = user.realName ?? name;
    return {
      user: {
        id: user.id,
        team_id: this.teamId,
        name,
        deleted: user.deleted ?? false,
        color: '9f69e7',
        real_name: realName,
        tz,
        tz_label: zoneLabel(tz, this.now()),
        tz_offset: zoneOffsetSeconds(tz, this.now()),
        profile: {
          real_name: realName,
          real_name_normalized: realName,
          display_name: name,
          display_name_normalized: name,
          ...(user.email ? { email: user.email } : {}),
          team: this.teamId,
        },
        is_admin: false,
        is_owner: false,
        is_primary_owner: false,
        is_restricted: false,
        is_ultra_restricted: false,
        is_bot: user.isBot ?? false,
        is_app_user: false,
        updated: this.seconds(),
        ...(user.isBot ? {} : { is_email_confirmed: true }),
      },
    };
  }

  private fileInfo(args: Json): Json {
    const id = optionalString(args.file);
    const file = id ? this.files.get(id) : undefined;
    if (!file) throw new ApiError('file_not_found');
    return { file: this.fileJson(file), comments: [], response_metadata: { next_cursor: '' } };
  }

  private getUploadUrl(args: Json): Json {
    const filename = optionalString(args.filename);
    const length = Number(args.length);
    if (!filename) throw new ApiError('invalid_arguments');
    if (!Number.isInteger(length) || length < 1) throw new ApiError('invalid_length');
    const fileId = this.nextId('F');
    const key = `${fileId}/${randomBytes(12).toString('hex')}`;
    this.pendingUploads.set(key, {
      fileId,
      filename,
      length,
      altText: optionalString(args.alt_text),
      snippetType: optionalString(args.snippet_type),
    });
    return { upload_url: `${this.fileHost}/upload/v1/${key}`, file_id: fileId };
  }

  private completeUpload(args: Json): Json {
    const list = args.files;
    if (!Array.isArray(list) || list.length === 0) throw new ApiError('invalid_arguments');
    const channelArg = optionalString(args.channel_id) ?? optionalString(args.channels);
    const channel = channelArg ? this.memberChannel(channelArg) : undefined;
    const threadTs = optionalString(args.thread_ts);
    const initialComment = optionalString(args.initial_comment);
    const entries = list.map((entry: unknown) => {
      const id = isObject(entry) ? optionalString(entry.id) : undefined;
      const pending = [...this.pendingUploads.entries()].find(([, p]) => p.fileId === id);
      // Completing a file whose bytes never arrived fails on Slack too.
      if (!pending?.[1].bytes) throw new ApiError('file_not_found');
      return {
        key: pending[0],
        upload: pending[1],
        title: isObject(entry) ? optionalString(entry.title) : undefined,
      };
    });
    const completed: CompletedUpload[] = [];
    const shared: StoredFile[] = [];
    for (const { key, upload, title } of entries) {
      this.pendingUploads.delete(key);
      const bytes = upload.bytes ?? Buffer.alloc(0);
      const file = this.storeFile({
        id: upload.fileId,
        name: upload.filename,
        title: title ?? upload.filename,
        mimetype: mimeFor(upload.filename),
        bytes,
        user: this.callerTeam.botUserId,
        teamId: this.callerTeam.teamId,
        altText: upload.altText,
      });
      if (channel) file.channels.push(channel.id);
      shared.push(file);
      completed.push({
        fileId: file.id,
        filename: file.name,
        title: file.title,
        bytes,
        length: upload.length,
        channel_id: channel?.id,
        initial_comment: initialComment,
        thread_ts: threadTs,
        alt_text: upload.altText,
        at: this.now(),
      });
    }
    if (channel) {
      // The share: one message carrying all the files, with the initial comment as its text.
      const message: SlackMessage = {
        type: 'message',
        text: initialComment ?? '',
        files: shared.map((f) => this.fileJson(f)),
        upload: true,
        user: this.callerTeam.botUserId,
        display_as_bot: false,
        ts: this.nextTs(),
      };
      const blocks = args.blocks;
      if (!initialComment && Array.isArray(blocks)) message.blocks = blocks;
      this.appendMessage(channel, message, threadTs);
      for (const upload of completed) upload.message_ts = message.ts;
    }
    this.completedUploads.push(...completed);
    return { files: shared.map((f) => ({ id: f.id, title: f.title })) };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Messages

  private botMessage(args: Json): SlackMessage {
    const content = this.messageContent(args, true);
    const team = this.callerTeam;
    const message: SlackMessage = {
      user: team.botUserId,
      type: 'message',
      ts: this.nextTs(),
      bot_id: team.botId,
      app_id: FAKE_DEFAULTS.appId,
      ...content,
      // Slack stores a blocks-only message with this placeholder text.
      text: content.text ?? "This content can't be displayed.",
      team: team.teamId,
      bot_profile: {
        id: team.botId,
        app_id: FAKE_DEFAULTS.appId,
        name: FAKE_DEFAULTS.botName,
        deleted: false,
        team_id: team.teamId,
      },
    };
    return message;
  }

  /** Validates text/blocks/attachments/metadata as Slack does and returns the fields to store. */
  private messageContent(args: Json, requireSomething: boolean): Json & { text?: string } {
    const content: Json & { text?: string } = {};
    const text = optionalString(args.text);
    if (text !== undefined && text !== '') {
      if (text.length > LIMITS.messageText) throw new ApiError('msg_too_long');
      content.text = text;
    }
    if (args.blocks !== undefined && args.blocks !== '') {
      if (!Array.isArray(args.blocks)) throw new ApiError('invalid_blocks_format');
      const problems = this.blockProblems(args.blocks, '/blocks', LIMITS.messageBlocks);
      if (problems.length) throw schemaError('invalid_blocks', problems);
      content.blocks = withBlockIds(args.blocks);
    }
    if (args.attachments !== undefined && args.attachments !== '') {
      if (!Array.isArray(args.attachments)) throw new ApiError('invalid_attachments');
      content.attachments = args.attachments;
    }
    if (args.metadata !== undefined && args.metadata !== '') {
      const metadata = args.metadata;
      if (
        !isObject(metadata) ||
        typeof metadata.event_type !== 'string' ||
        !isObject(metadata.event_payload)
      ) {
        throw new ApiError('invalid_metadata_format');
      }
      content.metadata = { event_type: metadata.event_type, event_payload: metadata.event_payload };
    }
    if (requireSomething && content.text === undefined && !content.blocks && !content.attachments) {
      throw new ApiError('no_text');
    }
    return content;
  }

  private appendMessage(channel: ChannelState, message: SlackMessage, threadTs: string | undefined): void {
    if (threadTs) {
      const parent = channel.messages.find((m) => m.ts === threadTs);
      if (parent) {
        message.thread_ts = threadTs;
        const replyUsers = new Set<string>((parent.reply_users as string[] | undefined) ?? []);
        replyUsers.add(String(message.user));
        Object.assign(parent, {
          thread_ts: threadTs,
          reply_count: Number(parent.reply_count ?? 0) + 1,
          reply_users: [...replyUsers],
          reply_users_count: replyUsers.size,
          latest_reply: message.ts,
        });
      }
    }
    channel.messages.push(message);
  }

  /** A message as read back: metadata only when asked for with include_all_metadata. */
  private readableMessage(message: SlackMessage, withMetadata: boolean): Json {
    const copy = structuredClone(message);
    if (!withMetadata) delete copy.metadata;
    return copy;
  }

  private blockProblems(blocks: unknown[], pointer: string, maxBlocks: number): string[] {
    const problems: string[] = [];
    if (blocks.length > maxBlocks)
      problems.push(`no more than ${maxBlocks} items allowed [json-pointer:${pointer}]`);
    const seenIds = new Set<string>();
    blocks.forEach((block, i) => {
      const at = `${pointer}/${i}`;
      if (!isObject(block) || typeof block.type !== 'string') {
        problems.push(`missing required field: type [json-pointer:${at}]`);
        return;
      }
      if (typeof block.block_id === 'string') {
        if (block.block_id.length > LIMITS.blockId) {
          problems.push(`must be less than ${LIMITS.blockId + 1} characters [json-pointer:${at}/block_id]`);
        }
        if (seenIds.has(block.block_id)) problems.push(`duplicate block_id [json-pointer:${at}/block_id]`);
        seenIds.add(block.block_id);
      }
      const textLength = (value: unknown) =>
        isObject(value) && typeof value.text === 'string' ? value.text.length : -1;
      const tooLong = (length: number, max: number, where: string) => {
        if (length > max)
          problems.push(`must be less than ${max + 1} characters [json-pointer:${at}${where}]`);
      };
      switch (block.type) {
        case 'header':
          if (textLength(block.text) < 1)
            problems.push(`missing required field: text [json-pointer:${at}/text]`);
          tooLong(textLength(block.text), LIMITS.headerText, '/text/text');
          break;
        case 'section': {
          const fields = Array.isArray(block.fields) ? block.fields : undefined;
          if (block.text === undefined && !fields) {
            problems.push(`must provide either text or fields [json-pointer:${at}]`);
          }
          tooLong(textLength(block.text), LIMITS.sectionText, '/text/text');
          if (fields && fields.length > LIMITS.sectionFields) {
            problems.push(`no more than ${LIMITS.sectionFields} items allowed [json-pointer:${at}/fields]`);
          }
          fields?.forEach((f, j) => {
            tooLong(textLength(f), LIMITS.sectionFieldText, `/fields/${j}/text`);
          });
          break;
        }
        case 'context': {
          const elements = Array.isArray(block.elements) ? block.elements : [];
          if (elements.length === 0 || elements.length > LIMITS.contextElements) {
            problems.push(`must have 1 to ${LIMITS.contextElements} items [json-pointer:${at}/elements]`);
          }
          break;
        }
        case 'actions': {
          const elements = Array.isArray(block.elements) ? block.elements : [];
          if (elements.length > LIMITS.actionsElements) {
            problems.push(
              `no more than ${LIMITS.actionsElements} items allowed [json-pointer:${at}/elements]`,
            );
          }
          break;
        }
        case 'image': {
          const alt = typeof block.alt_text === 'string' ? block.alt_text : undefined;
          if (alt === undefined) problems.push(`missing required field: alt_text [json-pointer:${at}]`);
          tooLong(alt?.length ?? 0, LIMITS.altText, '/alt_text');
          const slackFile = isObject(block.slack_file) ? block.slack_file : undefined;
          if (block.image_url === undefined && !slackFile) {
            problems.push(`must provide either image_url or slack_file [json-pointer:${at}]`);
          }
          const fileId = slackFile ? optionalString(slackFile.id) : undefined;
          const file = fileId === undefined ? undefined : this.files.get(fileId);
          // The file must exist (not deleted) and be a PNG, JPEG or GIF: a WebP is refused like a PDF.
          if (fileId !== undefined && (!file || !SHOWABLE_IMAGE_TYPES.has(file.mimetype))) {
            problems.push(`invalid slack file [json-pointer:${at}/slack_file]`);
          }
          break;
        }
        case 'input':
          problems.push(...inputBlockProblems(block, at));
          break;
        default:
          break;
      }
    });
    return problems;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Views

  /** Parses and validates a view payload as Slack does for the surface (`invalid_arguments` otherwise). */
  private checkView(raw: unknown, surface: 'modal' | 'home'): Json {
    if (raw === undefined || raw === '')
      throw schemaError('invalid_arguments', ['missing required field: view']);
    if (!isObject(raw)) throw schemaError('invalid_arguments', ['invalid view: must be a JSON object']);
    if (JSON.stringify(raw).length > LIMITS.viewBytes) throw new ApiError('view_too_large');
    const problems: string[] = [];
    if (raw.type !== surface) problems.push(`must be '${surface}' [json-pointer:/view/type]`);
    const blocks = Array.isArray(raw.blocks) ? raw.blocks : undefined;
    if (!blocks) problems.push('missing required field: blocks [json-pointer:/view/blocks]');
    else problems.push(...this.blockProblems(blocks, '/view/blocks', LIMITS.viewBlocks));
    const checkLength = (value: unknown, max: number, where: string) => {
      if (typeof value === 'string' && value.length > max) {
        problems.push(`must be less than ${max + 1} characters [json-pointer:/view/${where}]`);
      }
    };
    checkLength(raw.private_metadata, LIMITS.privateMetadata, 'private_metadata');
    checkLength(raw.callback_id, LIMITS.callbackId, 'callback_id');
    checkLength(raw.external_id, LIMITS.externalId, 'external_id');
    if (surface === 'modal') {
      for (const key of ['title', 'submit', 'close'] as const) {
        const part = raw[key];
        if (part === undefined) continue;
        if (!isObject(part) || part.type !== 'plain_text' || typeof part.text !== 'string') {
          problems.push(`must be a plain_text text object [json-pointer:/view/${key}]`);
        } else {
          checkLength(part.text, LIMITS.viewTitle, `${key}/text`);
        }
      }
      if (raw.title === undefined) problems.push('missing required field: title [json-pointer:/view/title]');
      const hasInput = blocks?.some((b) => isObject(b) && b.type === 'input') ?? false;
      if (hasInput && raw.submit === undefined) {
        problems.push(
          "submit is required when an 'input' block is within the blocks array [json-pointer:/view/submit]",
        );
      }
    }
    if (problems.length) throw schemaError('invalid_arguments', problems);
    return raw;
  }

  private checkExternalIdFree(externalId: unknown): void {
    if (typeof externalId !== 'string' || externalId === '') return;
    if ([...this.storedViews.values()].some((v) => v.view.external_id === externalId)) {
      throw new ApiError('duplicate_external_id');
    }
  }

  private storeView(
    id: string,
    view: Json,
    userId: string,
    rootId: string,
    previousId: string | null,
  ): StoredView {
    // An update that leaves out external_id keeps the old one, so later updates by external_id still find it.
    const previous = this.storedViews.get(id);
    const stored: StoredView = {
      userId,
      view: {
        id,
        team_id: this.callerTeam.teamId,
        type: String(view.type),
        blocks: withBlockIds((view.blocks as unknown[]) ?? []),
        private_metadata: optionalString(view.private_metadata) ?? '',
        callback_id: optionalString(view.callback_id) ?? '',
        state: { values: {} },
        hash: `${this.seconds()}.${randomBytes(4).toString('hex')}`,
        title: view.title ?? { type: 'plain_text', text: 'View Title', emoji: true },
        clear_on_close: flag(view.clear_on_close),
        notify_on_close: flag(view.notify_on_close),
        close: view.close ?? null,
        submit: view.submit ?? null,
        previous_view_id: previousId,
        root_view_id: rootId,
        app_id: FAKE_DEFAULTS.appId,
        external_id: optionalString(view.external_id) ?? previous?.view.external_id ?? '',
        app_installed_team_id: this.callerTeam.teamId,
        bot_id: this.callerTeam.botId,
      },
    };
    this.storedViews.set(id, stored);
    return stored;
  }

  private latestModalOf(userId: string): StoredView | undefined {
    return [...this.storedViews.values()].filter((v) => v.userId === userId && v.view.type === 'modal').pop();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Channels

  private seedChannels(): void {
    this.channels = new Map();
    this.addChannel({ id: FAKE_DEFAULTS.channelId, name: FAKE_DEFAULTS.channelName });
    for (const channel of this.configuredChannels) this.addChannel(channel);
  }

  private findChannel(ref: unknown): ChannelState | undefined {
    if (typeof ref !== 'string' || ref === '') return undefined;
    // A call sees only its own workspace's conversations; the test-facing API sees every workspace's.
    const visible = (c: ChannelState | undefined) =>
      c && (this.caller === undefined || c.teamId === this.caller.teamId) ? c : undefined;
    const known = this.channels.get(ref);
    if (known) return visible(known);
    const name = ref.replace(/^#/, '');
    const byName = visible([...this.channels.values()].find((c) => c.kind !== 'im' && c.name === name));
    if (byName) return byName;
    // Posting to a user id posts in the app's DM with that user.
    if (/^[UW][A-Z0-9]+$/.test(ref) && this.users.has(ref)) {
      const opened = this.openConversation({ users: ref }).channel as { id: string };
      return this.channels.get(opened.id);
    }
    // Leniency for tests: any other well-formed conversation id is a channel the bot is in.
    if (/^[CGD][A-Z0-9]{2,}$/.test(ref)) {
      this.addChannel({ id: ref, name: ref.toLowerCase(), isPrivate: !ref.startsWith('C') });
      return this.channels.get(ref);
    }
    return undefined;
  }

  private requireChannel(ref: unknown): ChannelState {
    const channel = this.findChannel(ref);
    if (!channel) throw new ApiError('channel_not_found');
    return channel;
  }

  /**
   * A channel the bot is in, to post in or read: a public one it is not in is not_in_channel; a private one it
   * is not in is invisible to it (channel_not_found).
   */
  private memberChannel(ref: unknown): ChannelState {
    const channel = this.requireChannel(ref);
    if (!channel.isMember) throw new ApiError(channel.isPrivate ? 'channel_not_found' : 'not_in_channel');
    return channel;
  }

  private channelObject(channel: ChannelState): Json {
    if (channel.kind === 'im') {
      return {
        id: channel.id,
        created: channel.created,
        is_im: true,
        is_org_shared: false,
        user: channel.user,
        is_open: true,
      };
    }
    return {
      id: channel.id,
      name: channel.name,
      name_normalized: channel.name,
      is_channel: channel.kind === 'channel',
      is_group: channel.kind === 'group',
      is_im: false,
      is_mpim: channel.kind === 'mpim',
      is_private: channel.isPrivate,
      created: channel.created,
      is_archived: false,
      is_general: channel.id === FAKE_DEFAULTS.channelId,
      is_member: channel.isMember,
      context_team_id: channel.teamId,
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Files

  private storeFile(input: Omit<StoredFile, 'id' | 'created' | 'channels'> & { id?: string }): StoredFile {
    const file: StoredFile = {
      ...input,
      id: input.id ?? this.nextId('F'),
      created: this.seconds(),
      channels: [],
    };
    this.files.set(file.id, file);
    return file;
  }

  private fileJson(file: StoredFile): Json {
    const extension = file.name.includes('.') ? (file.name.split('.').pop() ?? '').toLowerCase() : '';
    const base = `${this.fileHost}/files-pri/${file.teamId}-${file.id}`;
    const safeName = encodeURIComponent(file.name);
    return {
      id: file.id,
      created: file.created,
      timestamp: file.created,
      name: file.name,
      title: file.title,
      mimetype: file.mimetype,
      filetype: extension || 'binary',
      pretty_type: extension ? extension.toUpperCase() : 'Binary',
      user: file.user,
      user_team: file.teamId,
      editable: false,
      size: file.bytes.length,
      mode: 'hosted',
      is_external: false,
      external_type: '',
      is_public: file.channels.some((c) => c.startsWith('C')),
      public_url_shared: false,
      display_as_bot: false,
      username: '',
      url_private: `${base}/${safeName}`,
      url_private_download: `${base}/download/${safeName}`,
      permalink: `https://${FAKE_DEFAULTS.teamDomain}.slack.com/files/${file.user}/${file.id}/${safeName}`,
      permalink_public: `https://slack-files.com/${this.teamId}-${file.id}-${randomBytes(5).toString('hex')}`,
      ...(file.altText ? { alt_txt: file.altText } : {}),
      channels: file.channels.filter((c) => c.startsWith('C')),
      groups: file.channels.filter((c) => c.startsWith('G')),
      ims: file.channels.filter((c) => c.startsWith('D')),
      comments_count: 0,
      has_rich_preview: false,
      file_access: 'visible',
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Ids and time

  private nextNumber(): number {
    this.idCounter += 1;
    return this.idCounter;
  }

  private nextId(prefix: string): string {
    return `${prefix}${String(this.nextNumber()).padStart(10, '0')}`;
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Slack-style `seconds.micros` from the clock, strictly increasing even when the clock stands still. */
  private nextTs(): string {
    const micros = Math.max(Math.floor(this.now() * 1000), this.lastTsMicros + 100);
    this.lastTsMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }
}

// -----------------------------------------------------------------------------------------------------------
// Helpers

/** The bytes begin as a PNG, a JPEG or a GIF does. */
function isShowableImage(bytes: Buffer): boolean {
  const starts = (signature: number[]) => signature.every((b, i) => bytes[i] === b);
  return (
    starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) ||
    starts([0xff, 0xd8, 0xff]) ||
    starts([0x47, 0x49, 0x46, 0x38])
  );
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** Form bodies carry booleans as "true"/"1". */
function flag(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** A ts (or plain epoch seconds) as whole microseconds, for comparing. */
function tsMicros(ts: string): number {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return Number(seconds) * 1e6 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

function mimeFor(filename: string): string {
  const extension = filename.includes('.') ? (filename.split('.').pop() ?? '').toLowerCase() : '';
  return MIME_TYPES[extension] ?? 'application/octet-stream';
}

/** Slack gives every block without a block_id a generated one. */
function withBlockIds(blocks: unknown[]): unknown[] {
  return blocks.map((block) =>
    isObject(block) && block.block_id === undefined
      ? { ...block, block_id: randomBytes(3).toString('base64url') }
      : block,
  );
}

function zoneOffsetSeconds(tz: string, at: number): number {
  const name = new Intl.DateTimeFormat('en-GB', { timeZone: tz, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (!match) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
  return match[1] === '-' ? -seconds : seconds;
}

function zoneLabel(tz: string, at: number): string {
  return (
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'long' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? tz
  );
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parses multipart/form-data with the platform's own parser (undici's), as a server framework would. */
async function parseMultipart(raw: Buffer, contentType: string): Promise<FormData> {
  return new Request('http://fake.invalid/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new Uint8Array(raw),
  }).formData();
}

async function parseMultipartFields(raw: Buffer, contentType: string): Promise<Json> {
  const fields: Json = {};
  for (const [key, value] of await parseMultipart(raw, contentType)) {
    fields[key] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer());
  }
  return fields;
}

/** The first file part of a multipart body (the WebClient names it `body`, others use `file` or `filename`). */
async function parseMultipartFile(raw: Buffer, contentType: string): Promise<Buffer> {
  for (const [, value] of await parseMultipart(raw, contentType)) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return Buffer.alloc(0);
}
