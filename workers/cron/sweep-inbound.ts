import type { InboundChannel } from "../../db/schema";
import { handleGroup } from "../inbound/consume-inbound";
import type { InboundHandlers } from "../inbound/inbound-message";
import type { CronJob } from "./job";

// A stored delivery is normally handled within seconds of its queue message; one still here after this long
// lost its message (never sent, or parked by the dead-letter queue).
export const INBOUND_STALE_MS = 2 * 60_000;
// A delivery holds up to 1,000 messages (several seconds of work): a few per tick.
const DELIVERIES_PER_TICK = 3;
const LEASE_MS = 5 * 60_000;

/**
 * The safety net of the inbound queue: stored deliveries nobody handled are handled here, oldest first, one
 * after another, each claimed with a lease so overlapping ticks never take the same one. One that fails
 * stays for a later tick (its lease runs out); handling is idempotent, so one the queue also delivers late is
 * not doubled.
 */
export function sweepInbound(handlers: InboundHandlers): CronJob {
  return {
    name: "inbound-sweep",
    async run({ ctx }) {
      const now = ctx.now();
      const rs = await ctx.database.client.execute({
        sql: `UPDATE inbound_delivery SET lease_until = :leaseUntil
              WHERE id IN (SELECT id FROM inbound_delivery
                WHERE received_at <= :stale AND (lease_until IS NULL OR lease_until <= :now)
                ORDER BY received_at LIMIT :limit)
              RETURNING id, channel, channel_id, body, received_at`,
        args: { now, stale: now - INBOUND_STALE_MS, leaseUntil: now + LEASE_MS, limit: DELIVERIES_PER_TICK },
      });
      const rows = [...rs.rows].sort((a, b) => Number(a.received_at) - Number(b.received_at));
      let handled = 0;
      let failed = 0;
      for (const r of rows) {
        try {
          await handleGroup(ctx, handlers, {
            channel: String(r.channel) as InboundChannel,
            channelId: String(r.channel_id),
            bodies: [String(r.body)],
            stored: [String(r.id)],
          });
          handled++;
        } catch (err) {
          failed++;
          console.error(
            JSON.stringify({ job: "inbound-sweep", id: r.id, error: err instanceof Error ? err.message : String(err) }),
          );
        }
      }
      return { handled, failed };
    },
  };
}
