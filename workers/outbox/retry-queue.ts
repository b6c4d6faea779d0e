import type { DomainContext } from "../domain/context";
import { sendNow } from "./send-now";

/** Outbox rows to try again once `dueAt` comes: a delayed message on the outbox retry queue. */
export interface OutboxRetryMessage {
  ids: string[];
  dueAt: number;
}

export type ScheduleRetry = (ids: string[], dueAt: number) => Promise<void>;

// Queues cap a message's delay at 12 hours; backoff never goes past 1 hour anyway.
const MAX_DELAY_S = 43_200;

/** Retries on time through the queue; undefined without the binding (then the cron job alone retries). */
export function queueRetries(
  queue: Queue<OutboxRetryMessage> | undefined,
  now: () => number,
): ScheduleRetry | undefined {
  if (!queue) return undefined;
  return async (ids, dueAt) => {
    // Delays are whole seconds: rounded up, the message never arrives before its rows are due.
    const delaySeconds = Math.min(MAX_DELAY_S, Math.max(0, Math.ceil((dueAt - now()) / 1000)));
    await queue.send({ ids, dueAt }, { delaySeconds });
  };
}

/** Groups rows by retry time, one message each; a failure only leaves the rows to the cron job. */
export async function scheduleRetries(
  schedule: ScheduleRetry | undefined,
  byDue: Map<number, string[]>,
): Promise<void> {
  if (!schedule || byDue.size === 0) return;
  try {
    await Promise.all([...byDue].map(([dueAt, ids]) => schedule(ids, dueAt)));
  } catch (err) {
    console.error(
      JSON.stringify({ job: "outbox.scheduleRetries", error: err instanceof Error ? err.message : String(err) }),
    );
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The consumer: sends the rows of every message whose time has come. A message that arrives early
 * (whole-second delays, clock skew) waits out the rest when it is under a second, else goes back with a
 * new delay. Sending is sendNow's claim, so a row the cron job or another message already took is skipped.
 */
export async function consumeOutboxRetries(ctx: DomainContext, batch: MessageBatch<OutboxRetryMessage>): Promise<void> {
  const ids: string[] = [];
  let wait = 0;
  for (const message of batch.messages) {
    const early = message.body.dueAt - ctx.now();
    if (early > 1000) {
      message.retry({ delaySeconds: Math.ceil(early / 1000) });
      continue;
    }
    wait = Math.max(wait, early);
    ids.push(...message.body.ids);
    message.ack();
  }
  if (ids.length === 0) return;
  if (wait > 0) await sleep(wait);
  await sendNow(ctx, ids);
}
