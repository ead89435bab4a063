import type { AllMiddlewareArgs, RespondFn, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { TeamDeps } from '../../services/deps';
import { DraftError, postDraft } from '../../services/draft';
import { refreshHome } from '../../services/home';
import { slackError } from '../../services/slack-errors';
import type { MeetupRecord } from '../../store/store';
import type { Actor } from '../middleware/actor';
import { buildNotice } from '../views/status-message';

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** A `/roundup` subcommand: its help line, who may run it, and what it does. */
export interface Subcommand {
  name: string;
  usage: string;
  description: string;
  /** `organiser`: the group's organisers only; `setup`: organisers, or before the first setup whoever installed roundup (anyone, with one bot token). */
  who: 'anyone' | 'organiser' | 'setup';
  /**
   * Acknowledge before any work (the subcommands that open a modal): the reply goes out at once and the
   * modal follows within the trigger's 3 seconds; a message the subcommand would have put in the
   * acknowledgement goes by response URL instead.
   */
  acksFirst?: boolean;
  run(args: CommandArgs & { actor: Actor; deps: TeamDeps; rest: string[] }): Promise<void>;
}

/**
 * Tell someone how slow work ended, where they will see it: through the command's response URL when there
 * is one, else in their DM with the bot.
 */
export async function tell(deps: TeamDeps, userId: string, text: string, respond?: RespondFn): Promise<void> {
  try {
    if (respond) await respond({ ...buildNotice(text), replace_original: false });
    else await deps.client.chat.postMessage({ channel: userId, ...buildNotice(text) });
  } catch (err) {
    deps.logger.error(`could not tell ${userId}: ${String((err as Error).message ?? err)}`);
  }
}

/** What went wrong with a Slack call, in words for an organiser (never a stack). */
export function explainSlackFailure(err: unknown, doing: string): string {
  const code = slackError(err);
  const hints: Record<string, string> = {
    not_in_channel: 'the bot is not in that channel: invite it with `/invite @roundup`.',
    channel_not_found:
      'the channel is gone or the bot cannot see it: invite the bot, or pick another in `/roundup setup`.',
    is_archived: 'the channel is archived: pick another in `/roundup setup`.',
    ratelimited: 'Slack is limiting how fast the bot may post; try again in a minute.',
    expired_trigger_id: 'Slack took too long to answer; try the command again.',
    invalid_blocks: 'Slack refused the message layout; please report this.',
  };
  const reason = code
    ? (hints[code] ?? `Slack answered “${code}”.`)
    : 'Slack could not be reached; try again in a minute.';
  return `:warning: I could not ${doing}: ${reason} Nothing you entered is lost.`;
}

/** Open a modal from a trigger; if Slack refuses, say so to the user. */
export async function openModal(
  deps: TeamDeps,
  triggerId: string,
  view: ModalView,
  userId: string,
  respond?: RespondFn,
): Promise<void> {
  try {
    await deps.client.views.open({ trigger_id: triggerId, view });
  } catch (err) {
    deps.logger.warn(`views.open failed: ${slackError(err) ?? String(err)}`);
    await tell(deps, userId, explainSlackFailure(err, 'open the form'), respond);
  }
}

/** The meetup being worked on, or a reply saying how to start one. */
export async function currentMeetupOrSay(
  deps: TeamDeps,
  actor: Actor,
  ack: CommandArgs['ack'],
): Promise<MeetupRecord | undefined> {
  const meetup = await deps.store.currentMeetup(actor.teamId);
  if (!meetup) await ack(buildNotice('There is no meetup yet: start one with `/roundup new`.'));
  return meetup;
}

/** Teams with an App Home refresh waiting to run, and the users to refresh besides the organisers. */
const pendingRefresh = new Map<string, Set<string>>();
/** Saves in quick succession (a form, then its photo) are shown by one refresh, this long after the first. */
const REFRESH_DELAY_MS = 250;

/**
 * Refresh the organisers' App Home after a change, without holding up the request: shortly after, once
 * for all the changes made meanwhile. The wait is tracked as work under way, so shutdown lets it finish.
 */
export function refreshOrganisersHome(deps: TeamDeps, actor: Actor): void {
  const waiting = pendingRefresh.get(actor.teamId);
  if (waiting) {
    waiting.add(actor.userId);
    return;
  }
  const users = new Set([actor.userId]);
  pendingRefresh.set(actor.teamId, users);
  void deps.inFlight.track(
    (async () => {
      await new Promise((resolve) => setTimeout(resolve, REFRESH_DELAY_MS));
      pendingRefresh.delete(actor.teamId);
      const group = await deps.store.getGroup(actor.teamId);
      await refreshHome(deps, actor.teamId, [...(group?.organisers ?? []), ...users]);
    })().catch((err: unknown) => deps.logger.warn(`App Home refresh failed: ${String(err)}`)),
  );
}

export function parseMetadata<T>(text: string): T {
  try {
    return JSON.parse(text || '{}') as T;
  } catch {
    return {} as T;
  }
}

/**
 * Post (or refresh) a meetup's draft in the organisers' channel, then tell the actor how it went (by
 * `respond` when there is one, else in their DM): what `/roundup draft` and the App Home's Draft button do.
 */
export async function draftAndTell(
  deps: TeamDeps,
  actor: Actor,
  meetupId: string,
  respond?: RespondFn,
): Promise<void> {
  const outcome = await postDraft(deps, actor.teamId, meetupId, actor.userId).catch(
    (err: unknown) => err as Error,
  );
  if (outcome instanceof Error) {
    if (!(outcome instanceof DraftError)) deps.logger.error(`draft failed: ${outcome.message}`);
    const text =
      outcome instanceof DraftError
        ? `:warning: ${outcome.message}`
        : explainSlackFailure(outcome, 'post the draft');
    return tell(deps, actor.userId, text, respond);
  }
  const verb = outcome.updated ? 'updated' : 'posted';
  await tell(
    deps,
    actor.userId,
    `:memo: Draft ${outcome.version} ${verb} in <#${outcome.channelId}>.`,
    respond,
  );
  refreshOrganisersHome(deps, actor);
}
