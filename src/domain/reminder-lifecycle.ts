/**
 * The life of a reminder (or a nudge), as states and the transitions allowed between them. Each transition is
 * a function that returns a conditional change: the states it may start from, the claim it must still hold,
 * and what it sets. The store applies a change only to a row that matches, atomically, and says whether it
 * did; a refused change means someone else (another tick, another process, a person) got there first.
 *
 *   (planned) ──► pending ──claim──► sending ──finish──► sent | failed | skipped | unplanned
 *                  │  ▲                │  ▲
 *                  │  └────release─────┘  └─takeOver (the lease ran out: its sender stopped or hung)
 *                  ├──cancel──► cancelled ──reinstate──► pending      (a person's decision)
 *                  └──unplan──► unplanned ──replan─────► pending      (the plan's decision)
 *
 * A person's cancel is final until a person reinstates it: re-planning (any saved form) never undoes it.
 * A reminder the plan no longer wants (the date moved, the channel was removed, the speaker answered) is
 * `unplanned`, and comes back if the plan wants it again. A claim belongs to whoever made it (its token):
 * only that claimer may finish or release it, so a sender that lost its claim records nothing.
 */

export const REMINDER_STATUSES = [
  'pending',
  'sending',
  'sent',
  'failed',
  'skipped',
  'cancelled',
  'unplanned',
] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

/** States a reminder never leaves on its own. */
export const FINAL_STATUSES: readonly ReminderStatus[] = ['sent', 'failed', 'skipped'];

/** What a transition writes. Fields left out are kept; `null` clears. */
export interface ReminderFields {
  status: ReminderStatus;
  fireAt?: string;
  claimToken?: string | null;
  claimedAt?: string | null;
  /** Add one to the attempts (each claim is an attempt). */
  countAttempt?: boolean;
  messageTs?: string | null;
  postedChannel?: string | null;
  lastError?: string | null;
}

/** A change the store makes only to a row that still matches its conditions. */
export interface ReminderChange {
  from: readonly ReminderStatus[];
  /** Only while this claim holds the row. */
  claimToken?: string;
  /** Only a claim made before this instant (UTC ISO): a lease that ran out. */
  claimedBefore?: string;
  set: ReminderFields;
}

/** The plan moved a pending reminder to another time. */
export function move(fireAt: string): ReminderChange {
  return { from: ['pending'], set: { status: 'pending', fireAt } };
}

/** The plan wants again a reminder it had dropped. */
export function replan(fireAt: string): ReminderChange {
  return { from: ['unplanned'], set: { status: 'pending', fireAt, lastError: null } };
}

/** The plan no longer wants a pending reminder. */
export function unplan(): ReminderChange {
  return { from: ['pending'], set: { status: 'unplanned' } };
}

/**
 * The app left the workspace (uninstalled, or its token revoked): nothing can be posted there. The plan's
 * decision, not a person's, so a re-install that plans it again brings it back.
 */
export function unplanForUninstall(): ReminderChange {
  return {
    from: ['pending'],
    set: { status: 'unplanned', lastError: 'roundup was removed from the workspace' },
  };
}

/** A person cancelled it: it stays cancelled whatever the plan says. */
export function cancel(): ReminderChange {
  return { from: ['pending'], set: { status: 'cancelled' } };
}

/** A person takes their cancel back. */
export function reinstate(): ReminderChange {
  return { from: ['cancelled'], set: { status: 'pending', lastError: null } };
}

/** Take a pending reminder for sending; `token` is the claimer's own, unique to this claim. */
export function claim(token: string, now: string): ReminderChange {
  return {
    from: ['pending'],
    set: { status: 'sending', claimToken: token, claimedAt: now, countAttempt: true },
  };
}

/** Take over a claim whose lease ran out (claimed before `expiredBefore`): its sender stopped or hung. */
export function takeOver(token: string, now: string, expiredBefore: string): ReminderChange {
  return {
    from: ['sending'],
    claimedBefore: expiredBefore,
    set: { status: 'sending', claimToken: token, claimedAt: now, countAttempt: true },
  };
}

export type Outcome =
  | { status: 'sent'; messageTs: string; postedChannel: string }
  | { status: 'failed' | 'skipped' | 'unplanned'; lastError: string };

/** The claimer records how it ended; refused when the claim is no longer its own. */
export function finish(token: string, outcome: Outcome): ReminderChange {
  const set: ReminderFields =
    outcome.status === 'sent'
      ? {
          status: 'sent',
          messageTs: outcome.messageTs,
          postedChannel: outcome.postedChannel,
          lastError: null,
        }
      : { status: outcome.status, lastError: outcome.lastError };
  return { from: ['sending'], claimToken: token, set: { ...set, claimToken: null } };
}

/** The claimer gives it back to be tried on a later tick; refused when the claim is no longer its own. */
export function release(token: string, lastError: string): ReminderChange {
  return {
    from: ['sending'],
    claimToken: token,
    set: { status: 'pending', claimToken: null, claimedAt: null, lastError },
  };
}
