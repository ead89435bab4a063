import cron from 'node-cron';
import type { Deps } from '../services/deps';
import { runTick } from '../services/reminders';

export interface ReminderScheduler {
  stop(): Promise<void>;
}

/**
 * Ticks every minute (and once at start, to catch up after downtime). A tick still running when the next is
 * due is not overlapped; each tick is tracked as work under way, so shutdown waits for it.
 */
export function startReminderScheduler(deps: Deps): ReminderScheduler {
  const tick = () =>
    deps.inFlight.track(
      runTick(deps, deps.now()).then(
        (r) => {
          if (r.sent + r.skipped + r.failed + r.recovered + r.retried > 0) {
            deps.logger.info(
              `reminders: ${r.sent} sent, ${r.recovered} found already posted, ${r.skipped} skipped, ${r.failed} failed, ${r.retried} to retry`,
            );
          }
        },
        (err: unknown) => deps.logger.error(`reminder tick failed: ${(err as Error).stack ?? String(err)}`),
      ),
    );
  const task = cron.schedule('* * * * *', tick, { name: 'roundup-reminders', noOverlap: true });
  void tick();
  return {
    stop: async () => {
      await task.stop();
    },
  };
}
