import type { InboundChannel } from "../../db/schema";
import type { DomainContext } from "../domain/context";
import { toAppError } from "../errors";
import { newId } from "../lib/ids";

// Queues take messages up to 128 KB, serialized; the envelope and the structured-clone overhead stay well
// inside the margin left here.
const MAX_QUEUED_BYTES = 120_000;

/**
 * The queue-first intake of a verified webhook delivery: handed to the inbound queue (or, when too large for a
 * queue message, stored in one INSERT and its id queued), so the platform gets its 200 at once and the queue
 * consumer does the work. Returns false when there is no queue (a deployment without the binding): the caller
 * then handles the delivery inline, as before. A storage failure while storing throws (5xx: the platform
 * redelivers). When the queue refuses, a stored delivery is left to the cron sweep, a small one is handled inline.
 */
export async function acceptDelivery(
  ctx: DomainContext,
  delivery: { channel: InboundChannel; channelId: string; body: string; bytes: number },
): Promise<boolean> {
  const queue = ctx.inbound;
  if (!queue) return false;
  const { channel, channelId, body } = delivery;
  if (delivery.bytes <= MAX_QUEUED_BYTES) {
    try {
      await queue.send({ channel, channelId, body });
      return true;
    } catch (err) {
      logQueueRefusal(channelId, err);
      return false;
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
  return true;
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
