import type { DomainContext } from "../domain/context";
import type { SenderRegistry } from "../outbox/sender";

/** What every cron job gets: a context whose clock is the tick's `scheduledTime`, and the senders. */
export interface JobContext {
  ctx: DomainContext;
  senders: SenderRegistry;
}

/**
 * A cron job: small, idempotent (running it twice, or two runs at once, changes nothing more than
 * running it once), bounded per run (batch-size constants in each file), callable alone in tests.
 */
export interface CronJob {
  name: string;
  run(job: JobContext): Promise<Record<string, number>>;
}
