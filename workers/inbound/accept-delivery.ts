import type { InboundChannel } from "../../db/schema";
import type { DomainContext } from "../domain/context";
import { toAppError } from "../errors";
import { newId } from "../lib/ids";

// Queues take messages up to 128 KB, serialized; the envelope and the structured-clone overhead stay well
// inside the margin left here.
const MAX_QUEUED_BYTES = 120_000;
// A delivery of this many updates or fewer (a prospect's message, a rep's tap) is handled right after the 200:
// a few captures fit easily in the 30 s a Worker has after answering, and a lead does not wait for a consumer
// (local `wrangler dev` runs one consumer batch at a time, so 1,000 single-message webhooks queued up there).
export const SMALL_DELIVERY = 10;
// The queued copy of a delivery handled after the 200 arrives this much later, past the 30 s that pass may run:
// by then that pass has finished or died, and the consumer finds every update it handled already recorded.
export const SAFETY_NET_DELAY_S = 60;

/**
 * How the hook goes on with a verified delivery:
 * - `queued`: on the inbound queue (or stored, its id queued); answer 200, the consumer does the work;
 * - `after`: answer 200 and handle it right after, in this invocation (`handleAfter`); a copy is on the queue
 *   with a delay, so if this isolate dies before it is done, the consumer does it;
 * - `inline`: no queue (a deployment without the binding) or it refused: handle it before answering, as the
 *   200 then has to mean "stored".
 */
export type Intake = "queued" | "after" | "inline";

/**
 * The queue-first intake of a verified webhook delivery. Small ones (`units` ≤ SMALL_DELIVERY updates) are
 * handled after the answer with a delayed copy queued as the safety net; large ones are handed to the queue at
 * once (or, when too large for a queue message, stored in one INSERT and its id queued), so the platform gets its
 * 200 without waiting for hundreds of captures. A storage failure while storing throws (5xx: the platform
 * redelivers). When the queue refuses, a stored delivery is left to the cron sweep, a small one is handled inline.
 */
export async function acceptDelivery(
  ctx: DomainContext,
  delivery: { channel: InboundChannel; channelId: string; body: string; bytes: number; units: number },
): Promise<Intake> {
  const queue = ctx.inbound;
  if (!queue) return "inline";
  const { channel, channelId, body } = delivery;
  if (delivery.bytes <= MAX_QUEUED_BYTES) {
    const after = delivery.units <= SMALL_DELIVERY && ctx.waitUntil !== undefined;
    try {
      await queue.send({ channel, channelId, body }, after ? { delaySeconds: SAFETY_NET_DELAY_S } : undefined);
      return after ? "after" : "queued";
    } catch (err) {
      logQueueRefusal(channelId, err);
      return "inline";
    }
  }
  const id = newId("inb", ctx.now());
  try {
    await ctx.database.client.execute({
      sql: `INSERT INTO inbound_delivery (id, channel_id, channel, body, received_at) VALUES (?, ?, ?, ?, ?)`,
      args: [id, channelId, channel, body, ctx.now()],
    });
  } catch (err) {
    throw toAppError(err);
  }
  try {
    await queue.send({ channel, channelId, stored: id });
  } catch (err) {
    // Stored is as good as answered: the cron sweep handles rows no message came for.
    logQueueRefusal(channelId, err);
  }
  return "queued";
}

function logQueueRefusal(channelId: string, err: unknown) {
  console.error(
    JSON.stringify({
      job: "inbound.enqueue",
      channel: channelId,
      error: err instanceof Error ? err.message : String(err),
    }),
  );
}
