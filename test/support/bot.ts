import type { AddressInfo } from 'node:net';
import { type Config, loadConfig } from '../../src/config';
import type { TeamDeps } from '../../src/services/deps';
import { createSlackApp, type SlackApp, type SlackAppOptions } from '../../src/slack/create-app';
import { actionIdOf } from '../../src/slack/views/form';
import { STEPS, TALK } from '../../src/slack/views/ids';
import { proseToRichText } from '../../src/slack/views/rich-text';
import { completeState } from '../../src/slack/views/steps';
import { openStore, type SqlStore } from '../../src/store/sql-store';
import { createTestDatabase, type TestDatabase } from './backends';
import { type CallRecord, FAKE_DEFAULTS, FakeSlack, type FakeSlackOptions, type Json } from './fake-slack';
import {
  type BoltResponse,
  blockActionsPayload,
  eventBody,
  input,
  interactionBody,
  postToBolt,
  type StateValue,
  slashCommandBody,
  viewSubmissionPayload,
} from './slack-requests';
import { makeTempFolder, type TempFolder } from './temp-db';

export const SIGNING_SECRET = '8f742231b10e8888abcd99aaaa85a5a1';
/** Signs the OAuth state in the tests' installs. */
export const STATE_SECRET = 'a-state-secret-of-at-least-32-characters';

/** A modal the bot opened (or pushed), as the fake Slack stored it. */
export interface OpenedView {
  id: string;
  hash: string;
  callbackId: string;
  privateMetadata: string;
  view: Json;
}

export interface CommandResult {
  reply: BoltResponse;
  triggerId: string;
  responseUrl: string;
}

/**
 * The real bot (config, a store on a temp SQLite file, or on PostgreSQL with ROUNDUP_TEST_BACKEND=postgres, Bolt's HTTP receiver on a free port) against the
 * project's fake Slack, with helpers that act as Slack does: signed slash commands, view submissions and
 * button clicks carrying trigger ids the fake will honour.
 */
export class TestBot {
  private constructor(
    readonly slack: FakeSlack,
    readonly store: SqlStore,
    readonly bot: SlackApp,
    readonly base: string,
    readonly folder: TempFolder,
    readonly config: Config,
    readonly database: TestDatabase,
  ) {}

  /**
   * `slack` and `folder` let a test restart the bot against the same Slack and database, as after a crash.
   */
  static async start(
    o: {
      fake?: FakeSlackOptions;
      now?: () => Date;
      folder?: TempFolder;
      slack?: FakeSlack;
      /** More configuration, as environment variables (SLACK_TIMEOUT_SECONDS, ...). */
      env?: Record<string, string>;
      /** Installed by OAuth in many workspaces (`install()`), instead of one bot token. */
      oauth?: boolean;
      /** The database (a replica on the same one as another bot). */
      database?: TestDatabase;
      /** The speakers' pages' rate limits. */
      talkPages?: SlackAppOptions['talkPages'];
    } = {},
  ): Promise<TestBot> {
    const slack = o.slack ?? (await FakeSlack.start(o.fake));
    const folder = o.folder ?? makeTempFolder();
    const database = o.database ?? (await createTestDatabase(undefined, folder));
    const config = loadConfig({
      ...(o.oauth
        ? {
            SLACK_CLIENT_ID: slack.clientId,
            SLACK_CLIENT_SECRET: slack.clientSecret,
            SLACK_STATE_SECRET: STATE_SECRET,
          }
        : { SLACK_BOT_TOKEN: slack.botToken }),
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: database.url,
      DATA_DIR: folder.dir,
      LOG_LEVEL: 'error',
      ...o.env,
    });
    const store = await openStore(config.databaseUrl);
    // The identity the fake's auth.test gives, as app.ts passes on what the start-up check answered.
    const identity = { botId: FAKE_DEFAULTS.botId, botUserId: FAKE_DEFAULTS.botUserId };
    const bot = createSlackApp(config, store, {
      ...(o.oauth ? {} : { identity }),
      now: o.now,
      ...(o.talkPages ? { talkPages: o.talkPages } : {}),
    });
    const server = await bot.app.start(0);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return new TestBot(slack, store, bot, base, folder, config, database);
  }

  /**
   * Install roundup in a workspace as a person's browser does: the install page (its state, and the cookie
   * that carries it), Slack's approval (the code), then the redirect back. Returns the page shown at the end.
   */
  async install(teamId: string, userId: string, o: { state?: string; cookie?: string | null } = {}) {
    const page = await fetch(`${this.base}/slack/install`);
    const html = await page.text();
    const href = /href="([^"]+)"/.exec(html)?.[1]?.replace(/&#38;/g, '&') ?? '';
    const state = o.state ?? new URL(href).searchParams.get('state') ?? '';
    const cookie = o.cookie === undefined ? (page.headers.get('set-cookie') ?? '').split(';')[0] : o.cookie;
    // Slack grants the scopes the link asks for.
    const scopes = (new URL(href).searchParams.get('scope') ?? '').split(',').filter(Boolean);
    const code = this.slack.authorizeInstall({ teamId, userId, scopes });
    const back = await fetch(
      `${this.base}/slack/oauth_redirect?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`,
      { headers: cookie ? { cookie } : {} },
    );
    return { status: back.status, html: await back.text(), installPage: { status: page.status, html, href } };
  }

  async stop(options: { keepFolder?: boolean; keepSlack?: boolean } = {}): Promise<void> {
    await this.bot.stop();
    await this.store.close().catch(() => undefined);
    if (!options.keepSlack) await this.slack.stop();
    if (!options.keepFolder) await this.database.remove();
  }

  /** The use cases' dependencies with a workspace's Slack, as a request from that workspace has them. */
  async teamDeps(teamId: string = FAKE_DEFAULTS.teamId): Promise<TeamDeps> {
    const slack = await this.bot.deps.workspaces.slackFor(teamId);
    if (!slack) throw new Error(`roundup is not installed in ${teamId}`);
    return { ...this.bot.deps, teamId, client: slack.client, botToken: slack.botToken };
  }

  get url(): string {
    return `${this.base}/slack/events`;
  }

  /**
   * Resolves once every request answered so far has finished, including what it does after acknowledging
   * (downloads, drafts, refreshes): what a test asserts on next is done, not merely begun.
   */
  settled(): Promise<void> {
    return this.bot.deps.inFlight.drain();
  }

  post(body: string, options: { retryNum?: number; timestamp?: number; secret?: string } = {}) {
    return postToBolt(this.url, body, { signingSecret: options.secret ?? SIGNING_SECRET, ...options });
  }

  /** `/roundup <text>` typed by a user (the default organiser unless told). */
  async command(
    text: string,
    o: {
      userId?: string;
      channelId?: string;
      teamId?: string;
      retryNum?: number;
      triggerId?: string;
      responseUrl?: string;
    } = {},
  ): Promise<CommandResult> {
    const triggerId = o.triggerId ?? this.slack.issueTriggerId({ userId: o.userId });
    const responseUrl = o.responseUrl ?? this.slack.issueResponseUrl();
    const body = slashCommandBody({
      text,
      userId: o.userId,
      channelId: o.channelId,
      teamId: o.teamId,
      triggerId,
      responseUrl,
    });
    const reply = await this.post(body, { retryNum: o.retryNum });
    return { reply, triggerId, responseUrl };
  }

  /** The modal opened (or pushed) with a trigger id. */
  async viewOpenedWith(
    triggerId: string,
    method: 'views.open' | 'views.push' = 'views.open',
  ): Promise<OpenedView> {
    const call = await this.slack.waitForCall(method, (c) => c.args.trigger_id === triggerId);
    return openedView(call);
  }

  /** A command that opens a modal, and that modal. */
  async open(text: string, o: { userId?: string; teamId?: string } = {}): Promise<OpenedView> {
    const { reply, triggerId } = await this.command(text, o);
    if (reply.status !== 200) throw new Error(`/roundup ${text} answered HTTP ${reply.status}`);
    return this.viewOpenedWith(triggerId);
  }

  /**
   * A form opened and, if it is in steps, gone through with Next without changing anything, as a person
   * looks at every step: one view holding every step's blocks (for reading what the form shows). Each step
   * but the last is saved as it was shown.
   */
  async openWhole(text: string, o: { userId?: string; teamId?: string } = {}): Promise<OpenedView> {
    const first = await this.open(text, o);
    if (!isStep(first.view)) return first;
    const steps = [first];
    let current = first;
    while ((current.view.submit as { text?: string } | undefined)?.text === 'Next') {
      const reply = await this.submitStep(current, {}, o);
      const answer = reply.json as { response_action?: string; view?: Json } | undefined;
      if (answer?.response_action !== 'update' || !answer.view) break;
      current = viewOf(
        this.slack.answerSubmission(current.id, answer as { response_action: 'update'; view: Json }),
      );
      steps.push(current);
    }
    return {
      ...first,
      view: { ...first.view, blocks: steps.flatMap((v) => (v.view.blocks as Json[]) ?? []) },
    };
  }

  /**
   * Submit a modal as Slack would, with `values` by block id: each input the view shows gets its value from
   * `values` (an input `values` does not name is submitted as the view shows it). A form in steps is gone
   * through to its end, each step submitted with the values of the inputs it shows (the rest of `values`
   * wait for the step that shows them), as a person pressing Next would; it stops at a step answered with
   * errors. Returns the bot's last answer to Slack.
   */
  async submit(
    view: OpenedView,
    values: Record<string, StateValue>,
    o: { userId?: string; teamId?: string; retryNum?: number } = {},
  ): Promise<BoltResponse & { steps: OpenedView[] }> {
    let current = view;
    const steps = [view];
    for (;;) {
      current = await this.addRowsFor(current, values, o);
      const reply = await this.submitStep(current, values, o);
      const answer = reply.json as { response_action?: string; view?: Json } | undefined;
      if (answer?.response_action !== 'update' || !answer.view || !isStep(answer.view))
        return { ...reply, steps };
      current = viewOf(
        this.slack.answerSubmission(current.id, answer as { response_action: 'update'; view: Json }),
      );
      steps.push(current);
    }
  }

  /**
   * As a person adding speakers would: while `values` fill a row the view does not show yet (speaker 2, 3 …)
   * and the view has its "Add a speaker" button, press it and wait for the view to be drawn again.
   */
  private async addRowsFor(
    view: OpenedView,
    values: Record<string, StateValue>,
    o: { userId?: string; teamId?: string },
  ): Promise<OpenedView> {
    let current = view;
    for (;;) {
      const blocks = (current.view.blocks as Json[]) ?? [];
      const shown = new Set(blocks.map((b) => b.block_id));
      const button = blocks.some((b) => b.block_id === TALK.addSpeaker);
      const missing = Object.keys(values).some((id) => /^talk_speaker_\d+$/.test(id) && !shown.has(id));
      if (!button || !missing) return current;
      const hash = current.hash;
      await this.act({ actionId: TALK.addSpeaker, view: current, values, ...o });
      await this.settled();
      current = viewOf(this.slack.view(current.id) as Json);
      if (current.hash === hash) throw new Error('"Add a speaker" did not draw the form again');
    }
  }

  /** Submit one view (one step of a form in steps) with the values of the inputs it shows. */
  async submitStep(
    view: OpenedView,
    values: Record<string, StateValue>,
    o: { userId?: string; teamId?: string; retryNum?: number } = {},
  ): Promise<BoltResponse> {
    const payload = viewSubmissionPayload({
      callbackId: view.callbackId,
      viewId: view.id,
      hash: view.hash,
      privateMetadata: view.privateMetadata,
      values: stateValues(shownValues(view.view, values)),
      userId: o.userId,
      teamId: o.teamId,
    });
    return this.post(interactionBody(payload), { retryNum: o.retryNum });
  }

  /** Click a button (or pick from a menu) in a message or a view. */
  async act(o: {
    actionId: string;
    action?: Record<string, unknown>;
    userId?: string;
    teamId?: string;
    message?: { channelId: string; ts: string };
    view?: OpenedView;
    /** What the view's inputs hold when the button is clicked (untyped ones hold what the view shows). */
    values?: Record<string, StateValue>;
  }): Promise<{ reply: BoltResponse; triggerId: string; responseUrl: string }> {
    const triggerId = this.slack.issueTriggerId({ userId: o.userId, viewId: o.view?.id });
    const responseUrl = this.slack.issueResponseUrl();
    const payload = blockActionsPayload({
      actionId: o.actionId,
      action: o.action,
      userId: o.userId,
      teamId: o.teamId,
      triggerId,
      responseUrl,
      message: o.message,
      ...(o.view
        ? {
            view: {
              id: o.view.id,
              callback_id: o.view.callbackId,
              private_metadata: o.view.privateMetadata,
              hash: o.view.hash,
              blocks: o.view.view.blocks,
              state: { values: stateValues(shownValues(o.view.view, o.values ?? {})) },
            },
          }
        : {}),
    });
    const reply = await this.post(interactionBody(payload));
    return { reply, triggerId, responseUrl };
  }

  async event(
    event: Record<string, unknown>,
    o: { eventId?: string; retryNum?: number; teamId?: string } = {},
  ): Promise<BoltResponse> {
    return this.post(eventBody(event, { eventId: o.eventId, teamId: o.teamId }), { retryNum: o.retryNum });
  }

  /** What was POSTed to a response URL (ephemeral follow-ups), as text. */
  async responseTo(
    responseUrl: string,
    predicate: (text: string) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.slack.responses
        .filter((r) => r.url === responseUrl)
        .map((r) => JSON.stringify(r.body))
        .find(predicate);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `no matching response within ${timeoutMs} ms: ${JSON.stringify(this.slack.responses.filter((r) => r.url === responseUrl))}`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Messages the bot sent to a user's DM (posting to a user id). */
  dms(userId: string): Json[] {
    return this.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === userId)
      .map((c) => c.args);
  }
}

/** `{ blockId: value }` as Slack nests it: block id, then the element's action id. */
export function stateValues(values: Record<string, StateValue>): Record<string, Record<string, StateValue>> {
  return Object.fromEntries(
    Object.entries(values).map(([block, value]) => [block, { [actionIdOf(block)]: value }]),
  );
}

export function openedView(call: CallRecord): OpenedView {
  const response = call.response as { view?: Json };
  return viewOf((response.view ?? {}) as Json);
}

/** A view as the fake Slack stores it, for submitting. */
export function viewOf(view: Json): OpenedView {
  return {
    id: String(view.id),
    hash: String(view.hash),
    callbackId: String(view.callback_id),
    privateMetadata: String(view.private_metadata ?? ''),
    view,
  };
}

/** Whether a view is a step of a form in steps (it carries the step header). */
function isStep(view: Json): boolean {
  return Array.isArray(view.blocks) && view.blocks.some((b) => (b as Json).block_id === STEPS.header);
}

/**
 * The values a view's inputs hold when submitted: those of `values` for the inputs it shows, and for the
 * others what they show (their initial values), as Slack reports a form's state.
 */
function shownValues(view: Json, values: Record<string, StateValue>): Record<string, StateValue> {
  const blocks = (Array.isArray(view.blocks) ? view.blocks : []) as Json[];
  const inputs = blocks.filter((b) => b.type === 'input' && typeof b.block_id === 'string');
  // A view the fake never stored (a test's own) keeps every value given.
  if (inputs.length === 0) return values;
  const initial = completeState(
    { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: inputs } as never,
    {},
  );
  const shown: Record<string, StateValue> = {};
  for (const block of inputs) {
    const id = block.block_id as string;
    const given = asTyped(block, values[id]);
    const own = Object.values(initial[id] ?? {})[0] as StateValue | undefined;
    if (given !== undefined) shown[id] = given;
    else if (own !== undefined) shown[id] = own;
  }
  return shown;
}

/**
 * A value as Slack sends it for the input the view shows: words given as plain text to a rich text input
 * arrive as the rich text a person typing them there makes (lists, links and emphasis as the form shows them
 * when reopened). Any other mismatch is the test's mistake.
 */
function asTyped(block: Json, given: StateValue | undefined): StateValue | undefined {
  const type = (block.element as Json | undefined)?.type;
  if (given === undefined || type === undefined || given.type === type) return given;
  // A web address typed in a URL input arrives as it does in a plain one.
  if (type === 'url_text_input' && given.type === 'plain_text_input')
    return input.url((given as { value?: string | null }).value ?? null);
  if (type === 'rich_text_input' && given.type === 'plain_text_input') {
    const text = (given as { value?: string | null }).value;
    return input.richText(text ? proseToRichText(text) : null);
  }
  throw new Error(`the test gives a ${given.type} value to ${String(block.block_id)}, a ${String(type)}`);
}

/** Poll until `check` passes (for work the bot does after acknowledging), failing with its last error. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

export { FAKE_DEFAULTS };
