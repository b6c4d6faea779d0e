import { findWhatsappChannel } from "../../workers/domain/channels/whatsapp-channels";
import { AppError } from "../../workers/errors";
import type { App } from "../../workers/http/app";
import { readBytesLimited } from "../../workers/http/read-body";
import { assertStorableText } from "../../workers/http/text-safety";
import { acceptDelivery, SMALL_DELIVERY } from "../../workers/inbound/accept-delivery";
import { handleAfter } from "../../workers/inbound/handle-after";
import { verifyHubSignature } from "../../workers/lib/hub-signature";
import { timingSafeEqualText } from "../../workers/lib/timing-safe";
import { findNumberWithReads } from "./delivery-read";
import { handleDelivery } from "./handle-delivery";
import { assertWebhook, readDelivery, webhookMessages, webhookNumbers, webhookSenders } from "./webhook-payload";

// Meta batches up to 1,000 updates per POST, each a few hundred bytes to a few KB.
const MAX_WEBHOOK_BYTES = 8 * 1_048_576;

async function channelOr404(ctx: Parameters<typeof findWhatsappChannel>[0], id: string) {
  const found = await findWhatsappChannel(ctx, id);
  if (!found) throw AppError.notFound("Channel");
  return found;
}

/**
 * Meta's webhook for one connected number.
 * GET: the subscription check — answers `hub.challenge` only for `hub.mode=subscribe` and this channel's
 * verify token (constant-time); anything else is 403 and echoes nothing.
 * POST: checks, in order and before any write: the body's size (413), the channel exists (404),
 * X-Hub-Signature-256 is the app secret's HMAC of the raw bytes (401), the body is a WhatsApp webhook (400). Then every message, status
 * and error in it is handled, for this number and the workspace's other numbers of the same Meta app
 * (bots/whatsapp/handle-delivery.ts). With the inbound queue the answer is 200 at once (workers/inbound/): a
 * delivery of a few messages is then handled right after, in this invocation, with a delayed copy queued as the
 * safety net; a larger one is queued for the consumer. Without the queue the answer is 200 only once all is stored.
 */
export function registerWhatsappHook(app: App) {
  app.get("/hooks/whatsapp/:channelId", async (c) => {
    const found = await channelOr404(c.get("ctx"), c.req.param("channelId"));
    const mode = c.req.query("hub.mode");
    const token = c.req.query("hub.verify_token") ?? "";
    const challenge = c.req.query("hub.challenge") ?? "";
    if (mode !== "subscribe" || !timingSafeEqualText(token, found.channel.config.verifyToken)) {
      throw new AppError("FORBIDDEN", "Wrong hub.mode or hub.verify_token.");
    }
    // Meta sends a number; anything longer or stranger is not echoed into a response we serve.
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(challenge))
      throw new AppError("BAD_REQUEST", "Missing or malformed hub.challenge.", {
        fields: { "hub.challenge": "Expected Meta's challenge value." },
      });
    return c.text(challenge, 200);
  });

  app.post("/hooks/whatsapp/:channelId", async (c) => {
    const ctx = c.get("ctx");
    const bytes = await readBytesLimited(c.req.raw, MAX_WEBHOOK_BYTES);
    let text: string | undefined;
    let body: unknown;
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
      body = JSON.parse(text);
    } catch {
      // Answered below, once the signature is known good: a forged body learns nothing about its shape.
      text = undefined;
    }
    // Read once here; what follows (the counts, the senders, each number's batch after the 200) asks this.
    const delivery = readDelivery(body);
    const numbers = webhookNumbers(delivery);
    const units = [...numbers.values()].reduce((n, v) => n + v.messages + v.statuses, 0);
    // A small delivery's reads ride with the channel lookup (read-only, so before the signature check is fine):
    // the message handled after the 200 then writes its lead in the next round trip.
    const small = units > 0 && units <= SMALL_DELIVERY;
    const messages = small ? webhookMessages(delivery) : [];
    const { found, read } = small
      ? await findNumberWithReads(ctx, c.req.param("channelId"), messages)
      : { found: await findWhatsappChannel(ctx, c.req.param("channelId")), read: undefined };
    if (!found) throw AppError.notFound("Channel");
    if (!(await verifyHubSignature(found.channel.config.appSecret, bytes, c.req.header("x-hub-signature-256")))) {
      throw new AppError("UNAUTHORIZED", "Missing or wrong X-Hub-Signature-256.");
    }
    if (text === undefined)
      throw new AppError("INVALID_JSON", "The body is not JSON.", { fields: { body: "Not valid JSON." } });
    assertStorableText(body);
    assertWebhook(delivery);
    const channelId = found.channel.id;
    const intake = await acceptDelivery(ctx, {
      channel: "whatsapp",
      channelId,
      body: text,
      bytes: bytes.byteLength,
      units,
    });
    if (intake === "after") {
      const contacts = webhookSenders(delivery).map((from) => `whatsapp:${channelId}:${from}`);
      // Behind an earlier delivery of the same sender, what was read before may be stale: read again.
      handleAfter(ctx, { channelId, contacts }, (waited) =>
        handleDelivery(ctx, found, delivery, waited ? undefined : read, true),
      );
    }
    if (intake !== "inline") return c.json({ ok: true, queued: true }, 200);
    const report = await handleDelivery(ctx, found, delivery, read, true);
    return c.json({ ok: true, ...report }, 200);
  });
}
