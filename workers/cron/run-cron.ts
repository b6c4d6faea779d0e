import type { ChannelList } from "../channels/channel";
import type { Config } from "../config";
import { openDatabase } from "../db";
import type { DomainContext } from "../domain/context";
import { createSenders } from "../outbox/senders";
import type { RotationService } from "../routing/rotation-service";
import type { CronJob } from "./job";
import { CRON_JOBS } from "./jobs";

/**
 * One tick: every job with the tick's time as its clock. A failing job is logged and does not stop
 * the others (a broken digest must not hold back follow-ups); the tick then fails as a whole so the
 * platform's cron metrics show it.
 */
export async function runCron(
  config: Config,
  channels: ChannelList,
  scheduledTime: number,
  rotation: RotationService,
  jobs: CronJob[] = CRON_JOBS,
  queues: Pick<DomainContext, "scheduleRetry" | "imports"> = {},
) {
  const ctx = { config, channels, database: openDatabase(config), now: () => scheduledTime, rotation, ...queues };
  const senders = createSenders(config, channels);
  const results: Record<string, Record<string, number> | { error: string }> = {};
  for (const job of jobs) {
    try {
      results[job.name] = await job.run({ ctx, senders });
    } catch (err) {
      results[job.name] = { error: err instanceof Error ? err.message : String(err) };
    }
  }
  // One log line per tick that did something (idle ticks, 1,440 a day, stay quiet).
  const busy = Object.values(results).some((r) => "error" in r || Object.values(r).some((n) => n > 0));
  if (busy) console.log(JSON.stringify({ cron: new Date(scheduledTime).toISOString(), results }));
  const failed = Object.entries(results).filter(([, r]) => "error" in r);
  if (failed.length > 0) throw new Error(`cron jobs failed: ${failed.map(([name]) => name).join(", ")}`);
  return results;
}
