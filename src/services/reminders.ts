import { randomUUID } from 'node:crypto';
import { ErrorCode, type WebClient } from '@slack/web-api';
import { DateTime } from 'luxon';
import { buildChecklist } from '../domain/checklist';
import type { Group } from '../domain/meetup';
import {
  cancel,
  claim,
  finish,
  type Outcome,
  reinstate,
  release,
  takeOver,
} from '../domain/reminder-lifecycle';
import {
  daysBefore,
  daysBeforeOf,
  KIND_CHECKLIST,
  kindSpeakerNudge,
  localInstant,
  type PlannedReminder,
  planMeetupReminders,
} from '../domain/reminders';
import {
  buildChecklistNudge,
  buildReminderMessage,
  buildSpeakerNudge,
  dayInWords,
  describeReminder,
  REMINDER_EVENT,
  reminderMetadata,
} from '../slack/views/reminder-message';
import type { AskRecord, MeetupRecord, ReminderRecord } from '../store/store';
import type { Deps } from './deps';
import { meetupLabel } from './meetups';
import { slackError } from './slack-errors';

/** Families of reminders a sync replaces as a whole. */
const FAMILY_BEFORE = 'before:';
const FAMILY_NUDGE = 'nudge:';

/** After this many failed attempts a reminder is marked failed and the organisers are told. */
export const MAX_ATTEMPTS = 5;
const TICK_BATCH = 200;

/** Errors that mean the channel itself is the problem: retrying will not help, the organisers can. */
const CHANNEL_ERRORS = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  // A DM that cannot be opened: the speaker left, or is a bot.
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
]);

/** What a meetup's reminders should be now: those of its next meetup, and the nudges after it. */
export function planReminders(
  group: Group,
  meetup: MeetupRecord,
  asks: readonly AskRecord[],
): { before: PlannedReminder[]; nudges: PlannedReminder[] } {
  const next = meetup.next;
  const channels = next?.channels.length ? next.channels : group.communityChannels;
  const before =
    next && !next.cancelled ? planMeetupReminders(group.reminderPlan, next, channels, group.timeZone) : [];

  const nudges: PlannedReminder[] = [];
  if (meetup.status !== 'published') {
    // The morning after the meetup: the organisers' checklist at 09:00, speakers still to answer at 10:00.
    const morningAfter = daysBefore(meetup.date, -1);
    if (group.organisersChannel) {
      nudges.push({
        kind: KIND_CHECKLIST,
        channel: group.organisersChannel,
        eventDate: meetup.date,
        fireAt: iso(localInstant(morningAfter, '09:00', group.timeZone)),
      });
    }
    for (const ask of asks.filter((a) => a.status === 'waiting')) {
      // Asked after that morning: the nudge comes two days after the ask instead.
      const askedDay = DateTime.fromISO(ask.askedAt).setZone(group.timeZone).toISODate() as string;
      const day = askedDay >= morningAfter ? daysBefore(askedDay, -2) : morningAfter;
      nudges.push({
        kind: kindSpeakerNudge(ask.userId),
        channel: ask.userId,
        eventDate: meetup.date,
        fireAt: iso(localInstant(day, '10:00', group.timeZone)),
      });
    }
  }
  return { before, nudges };
}

function iso(dt: DateTime): string {
  return dt.toUTC().toISO() as string;
}

/**
 * Bring a meetup's stored reminders in line with what it now says: called whenever the meetup, its next
 * meetup, the group's plan or its asks change. Reminders already past their grace period are not added.
 */
export async function syncMeetupReminders(deps: Deps, teamId: string, meetupId: string): Promise<void> {
  await deps.store.transaction(async (store) => {
    const group = await store.getGroup(teamId);
    const meetup = await store.getMeetup(teamId, meetupId);
    if (!group || !meetup) return;
    const asks = await store.listAsks(teamId, meetupId);
    const plan = planReminders(group, meetup, asks);
    const earliest = new Date(deps.now().getTime() - deps.reminderGraceMs).toISOString();
    const live = (list: PlannedReminder[]) => list.filter((r) => r.fireAt >= earliest);
    await store.syncReminders(teamId, meetupId, FAMILY_BEFORE, live(plan.before));
    await store.syncReminders(teamId, meetupId, FAMILY_NUDGE, live(plan.nudges));
  });
}

/** Sync every meetup of a team that has reminders to keep, and the current one (after a setup change). */
export async function syncTeamReminders(deps: Deps, teamId: string): Promise<void> {
  const pending = await deps.store.listReminders(teamId, { statuses: ['pending'] });
  const current = await deps.store.currentMeetup(teamId);
  const ids = new Set([...pending.map((r) => r.meetupId), ...(current ? [current.id] : [])]);
  for (const id of ids) await syncMeetupReminders(deps, teamId, id);
}

/** What `/roundup remind` lists: the reminders still to come, pending or cancelled by a person. */
export async function upcomingReminders(deps: Deps, teamId: string): Promise<ReminderRecord[]> {
  const now = deps.now().toISOString();
  const listed = await deps.store.listReminders(teamId, { statuses: ['pending', 'cancelled'] });
  return listed.filter((r) => r.status === 'pending' || r.fireAt > now);
}

/** A person cancels a pending reminder: it stays cancelled, whatever is saved later, until they restore it. */
export function cancelReminder(deps: Deps, teamId: string, reminderId: string): Promise<boolean> {
  return deps.store.changeReminder(reminderId, cancel(), teamId);
}

/** A person takes their cancel back: it is pending again, and posted when due (or late, within the grace). */
export function restoreReminder(deps: Deps, teamId: string, reminderId: string): Promise<boolean> {
  return deps.store.changeReminder(reminderId, reinstate(), teamId);
}

/** The next reminder of the next meetup, as it will be posted, for `/roundup remind preview`. */
export async function previewNextReminder(deps: Deps, teamId: string) {
  const pending = await deps.store.listReminders(teamId, { statuses: ['pending'] });
  const reminder = pending.find((r) => daysBeforeOf(r.kind) !== undefined);
  if (!reminder) return undefined;
  const content = await contentOf(deps, reminder);
  if ('skip' in content) return undefined;
  return {
    reminder,
    message: content.message,
    blocks: (zone: string) => [
      {
        type: 'context' as const,
        elements: [
          { type: 'mrkdwn' as const, text: `Preview, only for you. ${describeReminder(reminder, zone)}:` },
        ],
      },
      ...content.message.blocks,
    ],
  };
}

export interface TickResult {
  sent: number;
  skipped: number;
  failed: number;
  /** Abandoned claims found already posted (from their message metadata). */
  recovered: number;
  retried: number;
  /** Claims taken over by another sender while this one was still at work: nothing was recorded. */
  lost: number;
}

/**
 * One run of the scheduler at `now` (the database's clock, in production): take over reminders whose sender
 * stopped (or hung) past its lease, then send what is due. Each is claimed atomically just before it is
 * sent, with a token of its own, so two ticks (or two replicas) never post the same one, and only the
 * claimer can record how it ended. Every delivery has a deadline well inside the lease, so a slow or hung
 * Slack delays only its own reminder.
 */
export async function runTick(deps: Deps, now: Date): Promise<TickResult> {
  const result: TickResult = { sent: 0, skipped: 0, failed: 0, recovered: 0, retried: 0, lost: 0 };
  const notices = new Map<string, string[]>();
  const notify = (teamId: string, line: string) =>
    notices.set(teamId, [...(notices.get(teamId) ?? []), line]);

  // What this tick has claimed: one it tried and let go of is tried again on a later tick, not at once.
  const tried: string[] = [];
  // A tick's lanes go on claiming long after `now`: each claim is stamped with the database's time when it
  // is made (`now` plus the time since), so that its lease starts then and not when the tick began.
  const startedAt = Date.now();
  const at = () => new Date(now.getTime() + (Date.now() - startedAt));
  await inLanes(
    async () => {
      const claimedAt = at();
      const expiredBefore = new Date(claimedAt.getTime() - leaseMs(deps)).toISOString();
      const taken = await deps.store.takeOverAbandoned(
        expiredBefore,
        1,
        takeOver(randomUUID(), claimedAt.toISOString(), expiredBefore),
      );
      tried.push(...taken.map((r) => r.id));
      return taken;
    },
    (reminder) => deliver(deps, reminder, result, notify, true),
  );

  await inLanes(
    async () => {
      const claimedAt = at().toISOString();
      const claimed = await deps.store.claimDueReminders(claimedAt, 1, claim(randomUUID(), claimedAt), tried);
      tried.push(...claimed.map((r) => r.id));
      return claimed;
    },
    async (claimed) => {
      const lateBy = at().getTime() - Date.parse(claimed.fireAt);
      if (lateBy > deps.reminderGraceMs) {
        if (
          await record(deps, claimed, { status: 'skipped', lastError: 'too late after downtime' }, result)
        ) {
          result.skipped += 1;
          notify(claimed.teamId, await lateNotice(deps, claimed, lateBy));
        }
        return;
      }
      // Tried before (this claim is not its first): the earlier try may have reached Slack, so its history
      // is read before posting.
      await deliver(deps, claimed, result, notify, claimed.attempts > 1);
    },
  );

  for (const [teamId, lines] of notices) await tellOrganisers(deps, teamId, lines);
  return result;
}

/**
 * A claim not finished within this long is taken to be abandoned: its sender stopped or hung. It is a
 * dozen of the scheduler's Slack timeouts (two minutes with the default ten seconds), and every delivery
 * gives up at half of it, so a live sender always finishes (or lets go) before its claim can be taken over.
 */
export const leaseMs = (deps: Pick<Deps, 'slackTimeoutMs'>) => 12 * deps.slackTimeoutMs;
const deadlineMs = (deps: Pick<Deps, 'slackTimeoutMs'>) => 6 * deps.slackTimeoutMs;

/** Reminders go out several at a time: each is its own claim, post and record, independent of the others. */
const PARALLEL_SENDS = 16;

/**
 * Up to PARALLEL_SENDS lanes, each claiming one reminder, sending it, then claiming the next, until nothing
 * is left or the tick has taken TICK_BATCH. A reminder is claimed only when a lane is free to send it, so a
 * claim never waits in a queue while its lease runs out.
 */
async function inLanes(
  claimOne: () => Promise<ReminderRecord[]>,
  work: (reminder: Claimed) => Promise<void>,
): Promise<void> {
  let taken = 0;
  let empty = false;
  const next = async (): Promise<Claimed | undefined> => {
    if (empty || taken >= TICK_BATCH) return undefined;
    taken += 1;
    const [reminder] = await claimOne();
    if (reminder?.claimToken === undefined) empty = true;
    return reminder as Claimed | undefined;
  };
  const lane = async () => {
    for (let reminder = await next(); reminder; reminder = await next()) await work(reminder);
  };
  // One claim finds out whether there is anything at all before the lanes start.
  const first = await next();
  if (first === undefined) return;
  await Promise.all([work(first).then(lane), ...Array.from({ length: PARALLEL_SENDS - 1 }, lane)]);
}

type Claimed = ReminderRecord & { claimToken: string };

/**
 * Record how a claimed reminder ended. False when the claim is no longer this sender's (it was too slow and
 * another took over): then nothing is recorded, and it does not try again.
 */
async function record(deps: Deps, reminder: Claimed, outcome: Outcome, result: TickResult): Promise<boolean> {
  if (await deps.store.changeReminder(reminder.id, finish(reminder.claimToken, outcome))) return true;
  lostClaim(deps, reminder, result);
  return false;
}

function lostClaim(deps: Deps, reminder: Claimed, result: TickResult): void {
  result.lost += 1;
  deps.logger.warn(`reminder ${reminder.id}: its claim was taken over by another sender; recording nothing`);
}

/** Post one claimed reminder (after checking Slack does not have it already), and record the outcome. */
async function deliver(
  deps: Deps,
  reminder: Claimed,
  result: TickResult,
  notify: (teamId: string, line: string) => void,
  mayBePosted: boolean,
): Promise<void> {
  const content = await contentOf(deps, reminder);
  if ('skip' in content) {
    if (
      (await record(deps, reminder, { status: content.status, lastError: content.skip }, result)) &&
      content.status === 'skipped'
    )
      result.skipped += 1;
    return;
  }
  const workspace = await deps.workspaces.slackFor(reminder.teamId);
  if (!workspace) {
    // Removed from the workspace between the claim and now: nothing can be posted there.
    await record(
      deps,
      reminder,
      { status: 'unplanned', lastError: 'roundup is not installed in the workspace' },
      result,
    );
    return;
  }
  const slack = new Deadline(workspace.reminderClient, Date.now() + deadlineMs(deps));
  try {
    const channel = await conversationFor(slack, reminder.channel);
    if (mayBePosted) {
      const ts = await findPosted(slack, channel, reminder);
      if (ts) {
        if (await record(deps, reminder, { status: 'sent', messageTs: ts, postedChannel: channel }, result))
          result.recovered += 1;
        return;
      }
    }
    const posted = await postOnce(slack, channel, reminder, content.message);
    if (
      await record(deps, reminder, { status: 'sent', messageTs: posted.ts, postedChannel: channel }, result)
    )
      result[posted.found ? 'recovered' : 'sent'] += 1;
  } catch (err) {
    const code = slackError(err);
    const attempts = reminder.attempts + 1;
    if ((code && CHANNEL_ERRORS.has(code)) || attempts >= MAX_ATTEMPTS) {
      const lastError = code ?? describeFailure(err);
      if (await record(deps, reminder, { status: 'failed', lastError }, result)) {
        result.failed += 1;
        notify(reminder.teamId, failureNotice(reminder, code));
      }
    } else if (
      await deps.store.changeReminder(reminder.id, release(reminder.claimToken, code ?? describeFailure(err)))
    ) {
      // Slack limiting, failing, slow or silent: a later tick tries again, reading the history first.
      result.retried += 1;
    } else {
      lostClaim(deps, reminder, result);
    }
  }
}

function describeFailure(err: unknown): string {
  if (err instanceof DeadlineError) return err.message;
  const code = (err as { code?: string }).code;
  if (code === ErrorCode.RequestError) return `no answer from Slack (${(err as Error).message})`;
  if (code === ErrorCode.HTTPError)
    return `Slack answered HTTP ${(err as { statusCode?: number }).statusCode}`;
  return String((err as Error).message ?? err);
}

class DeadlineError extends Error {}

/**
 * The Slack calls of one delivery, all within its deadline. A rate limit is waited out when its Retry-After
 * ends before the deadline. Calls that change nothing (opening a DM, reading history, joining) are tried
 * again after a timeout or a 5xx; a post is not, since Slack may have taken it: the next attempt reads the
 * channel's history first.
 */
class Deadline {
  constructor(
    /** The workspace's scheduler client (with its bot token). */
    readonly client: WebClient,
    private readonly endsAt: number,
  ) {}

  async call<T>(what: string, run: () => Promise<T>, options: { repeatable: boolean }): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (Date.now() >= this.endsAt) throw new DeadlineError(`gave up on ${what}: out of time`);
      try {
        return await run();
      } catch (err) {
        const code = (err as { code?: string }).code;
        const wait =
          code === ErrorCode.RateLimitedError
            ? ((err as { retryAfter?: number }).retryAfter ?? 1) * 1000
            : options.repeatable &&
                attempt < 3 &&
                (code === ErrorCode.RequestError || code === ErrorCode.HTTPError)
              ? 250 * attempt
              : undefined;
        if (wait === undefined || Date.now() + wait >= this.endsAt) throw err;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }
}

type Content =
  | { message: { text: string; blocks: ReturnType<typeof buildReminderMessage>['blocks'] } }
  | { skip: string; status: 'skipped' | 'unplanned' };

/** What to post for a reminder, built from the meetup as it is now (it may have changed since planning). */
async function contentOf(deps: Deps, reminder: ReminderRecord): Promise<Content> {
  const group = await deps.store.getGroup(reminder.teamId);
  const meetup = await deps.store.getMeetup(reminder.teamId, reminder.meetupId);
  if (!group || !meetup) return { skip: 'the meetup is gone', status: 'unplanned' };
  const days = daysBeforeOf(reminder.kind);
  if (days !== undefined) {
    const next = meetup.next;
    if (!next || next.cancelled || next.date !== reminder.eventDate) {
      return { skip: 'the next meetup changed', status: 'unplanned' };
    }
    return { message: buildReminderMessage({ group, next, daysBefore: days }) };
  }
  if (meetup.status === 'published') return { skip: 'the post is published', status: 'skipped' };
  const asks = await deps.store.listAsks(reminder.teamId, meetup.id);
  if (reminder.kind === KIND_CHECKLIST) {
    const pending = asks
      .filter((a) => a.status === 'waiting')
      .map((a) => ({
        userId: a.userId,
        talkTitle: meetup.talks.find((t) => t.id === a.talkId)?.title ?? 'their talk',
      }));
    return {
      message: buildChecklistNudge({
        meetupLabel: meetupLabel(meetup),
        checklist: buildChecklist(meetup, pending),
      }),
    };
  }
  const ask = asks.find((a) => kindSpeakerNudge(a.userId) === reminder.kind && a.status === 'waiting');
  const talk = ask && meetup.talks.find((t) => t.id === ask.talkId);
  if (!ask || !talk) return { skip: 'the speaker has answered', status: 'skipped' };
  return { message: buildSpeakerNudge({ groupName: group.name, meetupLabel: meetupLabel(meetup), talk }) };
}

/** A user id is posted to through the DM with them (a channel id that history can be read from). */
async function conversationFor(slack: Deadline, channel: string): Promise<string> {
  if (!/^[UW]/.test(channel)) return channel;
  const opened = await slack.call(
    'conversations.open',
    () => slack.client.conversations.open({ users: channel }),
    {
      repeatable: true,
    },
  );
  return opened.channel?.id ?? channel;
}

/**
 * The ts of this reminder's message if Slack already has it (a post accepted just before a crash, or one
 * whose answer never came). Every page of the channel's history since the reminder could first have been
 * posted is read: a busy channel may hold more than one page since then.
 */
async function findPosted(
  slack: Deadline,
  channel: string,
  reminder: ReminderRecord,
): Promise<string | undefined> {
  const since = Date.parse(reminder.fireAt) - 60_000;
  let cursor: string | undefined;
  do {
    const page = await slack.call(
      'conversations.history',
      () =>
        slack.client.conversations.history({
          channel,
          oldest: String(Math.floor(since / 1000)),
          include_all_metadata: true,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        }),
      { repeatable: true },
    );
    const found = (page.messages ?? []).find((m) => {
      const metadata = (
        m as { metadata?: { event_type?: string; event_payload?: { reminder_id?: unknown } } }
      ).metadata;
      return metadata?.event_type === REMINDER_EVENT && metadata.event_payload?.reminder_id === reminder.id;
    });
    if (found?.ts) return found.ts;
    cursor = page.has_more ? page.response_metadata?.next_cursor || undefined : undefined;
  } while (cursor);
  return undefined;
}

/**
 * Post the reminder once. A post that timed out or met a 5xx may still have reached Slack, so before trying
 * again the channel's history is read for it; at most three posts, within the delivery's deadline.
 */
async function postOnce(
  slack: Deadline,
  channel: string,
  reminder: ReminderRecord,
  message: Extract<Content, { message: unknown }>['message'],
): Promise<{ ts: string; found: boolean }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const ts = await postJoiningIfNeeded(slack, channel, {
        ...message,
        metadata: reminderMetadata(reminder.id),
      });
      return { ts, found: false };
    } catch (err) {
      const code = (err as { code?: string }).code;
      const maybeTaken = code === ErrorCode.RequestError || code === ErrorCode.HTTPError;
      if (!maybeTaken || attempt >= 3) throw err;
      const ts = await findPosted(slack, channel, reminder);
      if (ts) return { ts, found: true };
    }
  }
}

/** Post; in a public channel the bot is not in, join it (where the scopes allow) and post again. */
async function postJoiningIfNeeded(
  slack: Deadline,
  channel: string,
  message: { text: string; blocks: unknown[]; metadata: ReturnType<typeof reminderMetadata> },
): Promise<string> {
  const post = async () =>
    (
      await slack.call(
        'chat.postMessage',
        () =>
          slack.client.chat.postMessage({
            channel,
            ...(message as { text: string }),
            metadata: message.metadata,
          }),
        { repeatable: false },
      )
    ).ts as string;
  try {
    return await post();
  } catch (err) {
    if (slackError(err) !== 'not_in_channel') throw err;
    try {
      await slack.call('conversations.join', () => slack.client.conversations.join({ channel }), {
        repeatable: true,
      });
    } catch {
      throw err;
    }
    return post();
  }
}

function where(channel: string): string {
  return /^[UW]/.test(channel) ? `the DM to <@${channel}>` : `<#${channel}>`;
}

function failureNotice(reminder: ReminderRecord, code: string | undefined): string {
  const fixes: Record<string, string> = {
    not_in_channel: `the bot is not in ${where(reminder.channel)} and cannot join it: invite it with \`/invite @roundup\` there`,
    channel_not_found: `${where(reminder.channel)} is gone or private to the bot: invite the bot, or pick other channels with \`/roundup next\``,
    is_archived: `${where(reminder.channel)} is archived: pick other channels with \`/roundup next\``,
  };
  const why =
    (code && fixes[code]) ?? `Slack kept failing (${code ?? 'no answer'}) after ${MAX_ATTEMPTS} tries`;
  return `:warning: The reminder for ${dayInWords(reminder.eventDate)} in ${where(reminder.channel)} was not posted: ${why}.`;
}

async function lateNotice(deps: Deps, reminder: ReminderRecord, lateByMs: number): Promise<string> {
  const group = await deps.store.getGroup(reminder.teamId);
  const zone = group?.timeZone ?? 'UTC';
  const due = DateTime.fromISO(reminder.fireAt).setZone(zone).setLocale('en-GB').toFormat('ccc d LLL, HH:mm');
  const hours = Math.round(lateByMs / 3_600_000);
  return `:zzz: I was offline when a reminder for ${where(reminder.channel)} was due (${due}, about ${hours} hour${hours === 1 ? '' : 's'} ago), so I skipped it rather than post it late.`;
}

async function tellOrganisers(deps: Deps, teamId: string, lines: string[]): Promise<void> {
  const group = await deps.store.getGroup(teamId);
  if (!group?.organisersChannel) {
    deps.logger.warn(`reminders need attention in team ${teamId}, which has no organisers' channel`);
    return;
  }
  const slack = await deps.workspaces.slackFor(teamId);
  if (!slack) return;
  // The scheduler's client, with its timeout: a Slack that does not answer cannot hold the tick open.
  await slack.reminderClient.chat
    .postMessage({ channel: group.organisersChannel, text: lines.join('\n') })
    .catch((err: unknown) =>
      deps.logger.error(`could not tell the organisers of ${teamId}: ${slackError(err) ?? String(err)}`),
    );
}
