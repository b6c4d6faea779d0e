import type { SenderKind } from "../../db/schema";
import type { DomainContext } from "../domain/context";
import { claimWithContext, deliverClaimed } from "./deliver";
import { createSenders } from "./senders";

/**
 * The "at once" path: right after the batch that wrote the rows, claim exactly those rows and send them.
 * Runs under waitUntil, so the caller's response does not wait. Any failure here is harmless: the rows
 * stay pending (or leased) and the cron job sends them.
 */
export async function sendNow(ctx: DomainContext, ids: string[]): Promise<void> {
  try {
    const senders = createSenders(ctx.config, ctx.channels);
    const { rows, context } = await claimWithContext(ctx, Object.keys(senders) as SenderKind[], ids);
    await deliverClaimed(ctx, senders, rows, context);
  } catch (err) {
    console.error(JSON.stringify({ job: "outbox.sendNow", error: err instanceof Error ? err.message : String(err) }));
  }
}

/** Schedules `sendNow` after the caller's response when the transport gave us a waitUntil. */
export function sendSoon(ctx: DomainContext, ids: string[]): void {
  if (ids.length === 0 || !ctx.waitUntil) return;
  ctx.waitUntil(sendNow(ctx, ids));
}
