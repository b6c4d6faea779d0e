import { findWhatsappChannel } from "../../workers/domain/channels/whatsapp-channels";
import type { InboundHandler } from "../../workers/inbound/inbound-message";
import { handleDelivery } from "./handle-delivery";

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

/** The inbound queue's WhatsApp side: a number's queued deliveries (verified and parsed by the hook). */
export const whatsappInbound: InboundHandler = async (ctx, channelId, bodies) => {
  const found = await findWhatsappChannel(ctx, channelId);
  if (!found) {
    console.warn(JSON.stringify({ bot: "whatsapp", channel: channelId, dropped: bodies.length, reason: "gone" }));
    return;
  }
  for (const body of mergeDeliveries(bodies.map((b) => JSON.parse(b) as Envelope))) {
    await handleDelivery(ctx, found, body);
  }
};
