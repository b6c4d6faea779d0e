import type { InboundHandler } from "../../workers/inbound/inbound-message";
import { findNumberWithReads } from "./delivery-read";
import { handleDelivery } from "./handle-delivery";
import { readDelivery, webhookMessages } from "./webhook-payload";

// Meta's own cap on the updates of one POST; a merged delivery stays within what one POST may hold.
const MAX_ENTRIES = 1000;

interface Envelope {
  object: unknown;
  entry: unknown[];
}

/**
 * Consecutive deliveries to one number as few webhook bodies as possible, in order: handled together, a
 * contact's messages from several deliveries are handled one after another in arrival order while other
 * contacts go side by side (bots/whatsapp/handle-webhook.ts).
 */
export function mergeDeliveries(bodies: Envelope[]): Envelope[] {
  const merged: Envelope[] = [];
  for (const body of bodies) {
    const last = merged.at(-1);
    if (last && last.object === body.object && last.entry.length + body.entry.length <= MAX_ENTRIES)
      last.entry.push(...body.entry);
    else merged.push({ ...body, entry: [...body.entry] });
  }
  return merged;
}

/**
 * The inbound queue's WhatsApp side: a number's queued deliveries (verified and parsed by the hook). The number is
 * read with the first merged delivery's reads, in one round trip: the queued copies of deliveries handled right
 * after their 200 (the safety net) find every message handled and cost that read alone.
 */
export const whatsappInbound: InboundHandler = async (ctx, channelId, bodies) => {
  const merged = mergeDeliveries(bodies.map((b) => JSON.parse(b) as Envelope)).map(readDelivery);
  const { found, read } = await findNumberWithReads(ctx, channelId, merged[0] ? webhookMessages(merged[0]) : []);
  if (!found) {
    console.warn(JSON.stringify({ bot: "whatsapp", channel: channelId, dropped: bodies.length, reason: "gone" }));
    return;
  }
  for (const [i, delivery] of merged.entries()) await handleDelivery(ctx, found, delivery, i === 0 ? read : undefined);
};
