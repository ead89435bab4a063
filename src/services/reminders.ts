import { DateTime } from 'luxon';
import { buildChecklist } from '../domain/checklist';
import type { Group } from '../domain/meetup';
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

/** A claimed reminder whose sender has not finished within this long is taken to be abandoned. */
export const REMINDER_LEASE_MS = 2 * 60_000;
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
}

/**
 * One run of the scheduler at `now`: take over reminders whose sender stopped mid-way, then send what is
 * due. Each is claimed atomically first, so two ticks (or two processes) never post the same one.
 */
export async function runTick(deps: Deps, now: Date): Promise<TickResult> {
  const result: TickResult = { sent: 0, skipped: 0, failed: 0, recovered: 0, retried: 0 };
  const nowIso = now.toISOString();
  const notices = new Map<string, string[]>();
  const notify = (teamId: string, line: string) =>
    notices.set(teamId, [...(notices.get(teamId) ?? []), line]);

  const abandonedBefore = new Date(now.getTime() - REMINDER_LEASE_MS).toISOString();
  await inParallel(await deps.store.abandonedReminders(abandonedBefore, TICK_BATCH), async (reminder) => {
    if (!reminder.claimedAt || !(await deps.store.claimReminder(reminder.id, nowIso, reminder.claimedAt)))
      return;
    await deliver(deps, reminder, result, notify, true);
  });

  await inParallel(await deps.store.dueReminders(nowIso, TICK_BATCH), async (reminder) => {
    if (!(await deps.store.claimReminder(reminder.id, nowIso))) return;
    const lateBy = now.getTime() - Date.parse(reminder.fireAt);
    if (lateBy > deps.reminderGraceMs) {
      await deps.store.finishReminder(reminder.id, {
        status: 'skipped',
        lastError: 'too late after downtime',
      });
      result.skipped += 1;
      notify(reminder.teamId, await lateNotice(deps, reminder, lateBy));
      return;
    }
    await deliver(deps, reminder, result, notify, reminder.attempts > 0);
  });

  for (const [teamId, lines] of notices) await tellOrganisers(deps, teamId, lines);
  return result;
}

/** Reminders go out several at a time: each is its own claim, post and record, independent of the others. */
const PARALLEL_SENDS = 16;

async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_SENDS, items.length) }, lane));
}

/** Post one claimed reminder (after checking Slack does not have it already), and record the outcome. */
async function deliver(
  deps: Deps,
  reminder: ReminderRecord,
  result: TickResult,
  notify: (teamId: string, line: string) => void,
  mayBePosted: boolean,
): Promise<void> {
  const content = await contentOf(deps, reminder);
  if ('skip' in content) {
    await deps.store.finishReminder(reminder.id, { status: content.status, lastError: content.skip });
    if (content.status === 'skipped') result.skipped += 1;
    return;
  }
  try {
    const channel = await conversationFor(deps, reminder.channel);
    if (mayBePosted) {
      const ts = await findPosted(deps, channel, reminder);
      if (ts) {
        await deps.store.finishReminder(reminder.id, {
          status: 'sent',
          messageTs: ts,
          postedChannel: channel,
        });
        result.recovered += 1;
        return;
      }
    }
    const ts = await postJoiningIfNeeded(deps, channel, {
      ...content.message,
      metadata: reminderMetadata(reminder.id),
    });
    await deps.store.finishReminder(reminder.id, { status: 'sent', messageTs: ts, postedChannel: channel });
    result.sent += 1;
  } catch (err) {
    const code = slackError(err);
    const attempts = reminder.attempts + 1;
    if ((code && CHANNEL_ERRORS.has(code)) || attempts >= MAX_ATTEMPTS) {
      await deps.store.finishReminder(reminder.id, { status: 'failed', lastError: code ?? String(err) });
      result.failed += 1;
      notify(reminder.teamId, failureNotice(reminder, code));
    } else {
      // Slack still limiting or failing after the client's own retries: the next tick tries again.
      await deps.store.releaseReminder(reminder.id, code ?? String((err as Error).message ?? err));
      result.retried += 1;
    }
  }
}

type Content =
  | { message: { text: string; blocks: ReturnType<typeof buildReminderMessage>['blocks'] } }
  | { skip: string; status: 'skipped' | 'cancelled' };

/** What to post for a reminder, built from the meetup as it is now (it may have changed since planning). */
async function contentOf(deps: Deps, reminder: ReminderRecord): Promise<Content> {
  const group = await deps.store.getGroup(reminder.teamId);
  const meetup = await deps.store.getMeetup(reminder.teamId, reminder.meetupId);
  if (!group || !meetup) return { skip: 'the meetup is gone', status: 'cancelled' };
  const days = daysBeforeOf(reminder.kind);
  if (days !== undefined) {
    const next = meetup.next;
    if (!next || next.cancelled || next.date !== reminder.eventDate) {
      return { skip: 'the next meetup changed', status: 'cancelled' };
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
async function conversationFor(deps: Deps, channel: string): Promise<string> {
  if (!/^[UW]/.test(channel)) return channel;
  const opened = await deps.client.conversations.open({ users: channel });
  return opened.channel?.id ?? channel;
}

/** The ts of this reminder's message if Slack already has it (a post accepted just before a crash). */
async function findPosted(
  deps: Deps,
  channel: string,
  reminder: ReminderRecord,
): Promise<string | undefined> {
  const since = Date.parse(reminder.fireAt) - 60_000;
  const history = await deps.client.conversations.history({
    channel,
    oldest: String(Math.floor(since / 1000)),
    include_all_metadata: true,
    limit: 200,
  });
  const found = (history.messages ?? []).find((m) => {
    const metadata = (m as { metadata?: { event_type?: string; event_payload?: { reminder_id?: unknown } } })
      .metadata;
    return metadata?.event_type === REMINDER_EVENT && metadata.event_payload?.reminder_id === reminder.id;
  });
  return found?.ts;
}

/** Post; in a public channel the bot is not in, join it (where the scopes allow) and post again. */
async function postJoiningIfNeeded(
  deps: Deps,
  channel: string,
  message: { text: string; blocks: unknown[]; metadata: ReturnType<typeof reminderMetadata> },
): Promise<string> {
  const post = async () =>
    (
      await deps.client.chat.postMessage({
        channel,
        ...(message as { text: string }),
        metadata: message.metadata,
      })
    ).ts as string;
  try {
    return await post();
  } catch (err) {
    if (slackError(err) !== 'not_in_channel') throw err;
    try {
      await deps.client.conversations.join({ channel });
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
  await deps.client.chat
    .postMessage({ channel: group.organisersChannel, text: lines.join('\n') })
    .catch((err: unknown) =>
      deps.logger.error(`could not tell the organisers of ${teamId}: ${slackError(err) ?? String(err)}`),
    );
}
