import {
  findSiblingNumbers,
  recordUnknownNumbers,
  type WhatsappChannel,
} from "../../workers/domain/channels/whatsapp-channels";
import type { DomainContext, WorkspaceRef } from "../../workers/domain/context";
import type { DeliveryRead } from "./delivery-read";
import { handleWebhook, type WebhookReport } from "./handle-webhook";
import { readWebhook, type WebhookDelivery, webhookNumbers } from "./webhook-payload";

/**
 * One signed delivery to one number's URL. Meta sends every number of an app to the same callback URL, so
 * the changes of the workspace's other numbers under the same app secret are handled here too, each as
 * its own channel (a change for number B that reached A's URL is never answered 200 and dropped). A number
 * the workspace has not connected is recorded on this channel's status (shown in the channel list). `delivery`: the
 * body as `readDelivery` read it. `read`: what the hook read about this number's messages with its channel lookup
 * (bots/whatsapp/delivery-read.ts). `arrival`: handled by the hook that verified it (inline or right after its
 * answer), not from the queue.
 */
export async function handleDelivery(
  ctx: DomainContext,
  found: { channel: WhatsappChannel; workspace: WorkspaceRef },
  delivery: WebhookDelivery,
  read?: DeliveryRead,
  arrival = false,
): Promise<WebhookReport & { unknownNumbers: string[] }> {
  const own = readWebhook(delivery, found.channel.config.phoneNumberId);
  if (own.skipped.length > 0)
    console.warn(JSON.stringify({ bot: "whatsapp", channel: found.channel.id, skipped: own.skipped.slice(0, 20) }));
  const numbers = webhookNumbers(delivery);
  const others = [...numbers.keys()].filter((id) => id !== found.channel.config.phoneNumberId);
  const siblings = others.length > 0 ? await findSiblingNumbers(ctx, found.channel, others) : [];
  const report = await handleWebhook({ ctx, channel: found.channel, workspace: found.workspace }, own, read, arrival);
  for (const sibling of siblings) {
    const more = await handleWebhook(
      { ctx, channel: sibling, workspace: found.workspace },
      readWebhook(delivery, sibling.config.phoneNumberId),
    );
    report.handled += more.handled;
    report.duplicates += more.duplicates;
    report.statuses += more.statuses;
    report.dropped += more.dropped;
  }
  const unknownNumbers = others.filter((id) => !siblings.some((s) => s.config.phoneNumberId === id));
  if (unknownNumbers.length > 0) {
    await recordUnknownNumbers(
      ctx,
      found.channel.id,
      unknownNumbers.map((id) => ({ phoneNumberId: id, ...numbers.get(id)! })),
    );
    console.warn(JSON.stringify({ bot: "whatsapp", channel: found.channel.id, unknownNumbers }));
  }
  return { ...report, unknownNumbers };
}
