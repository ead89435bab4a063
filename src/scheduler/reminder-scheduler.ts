import cron from 'node-cron';
import type { Deps } from '../services/deps';
import { runTick } from '../services/reminders';

export interface ReminderScheduler {
  stop(): Promise<void>;
}

/**
 * Ticks every `tickSeconds` (a minute unless configured), and once at start, to catch up after downtime.
 * Ticks may overlap: a tick only takes reminders that are pending, each under a claim of its own, so one
 * still waiting on a slow Slack call holds up only the reminders it has claimed, never the next tick's.
 * Each tick is tracked as work under way, so shutdown waits for it.
 */
export function startReminderScheduler(
  deps: Deps,
  options: {
    tickSeconds?: number;
    /** What time it is for the tick: the database's clock in production, shared by every replica. */
    clock?: () => Promise<Date>;
  } = {},
): ReminderScheduler {
  const clock = options.clock ?? (async () => deps.now());
  const tick = () =>
    deps.inFlight.track(
      clock()
        .then((now) => runTick(deps, now))
        .then(
          (r) => {
            if (r.sent + r.skipped + r.failed + r.recovered + r.retried + r.lost > 0) {
              deps.logger.info(
                `reminders: ${r.sent} sent, ${r.recovered} found already posted, ${r.skipped} skipped, ${r.failed} failed, ${r.retried} to retry, ${r.lost} taken over`,
              );
            }
          },
          (err: unknown) => deps.logger.error(`reminder tick failed: ${(err as Error).stack ?? String(err)}`),
        ),
    );
  const seconds = options.tickSeconds ?? 60;
  const expression = seconds >= 60 ? '* * * * *' : `*/${seconds} * * * * *`;
  const task = cron.schedule(expression, tick, { name: 'roundup-reminders', noOverlap: false });
  void tick();
  return {
    stop: async () => {
      await task.stop();
    },
  };
}
