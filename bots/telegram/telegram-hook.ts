import type { Update } from "grammy/types";
import { AppError } from "../../workers/errors";
import type { App } from "../../workers/http/app";
import { acceptDelivery } from "../../workers/inbound/accept-delivery";
import { handleAfter } from "../../workers/inbound/handle-after";
import { timingSafeEqualText } from "../../workers/lib/timing-safe";
import { handleTelegramUpdate } from "./handle-update";
import { findBotWithReads } from "./update-read";

// Updates are a few KB; anything far larger is not from Telegram.
const MAX_UPDATE_BYTES = 1_048_576;

/**
 * Telegram's webhook for one connected bot. Checks, in order and before any write: the channel exists
 * (404), the secret Telegram echoes from setWebhook matches (401, constant-time), the body is an update.
 * With the inbound queue the update is answered 200 at once and handled right after, in this invocation, with a
 * delayed copy on the queue as the safety net (workers/inbound/); without it the bot handles it before answering
 * (bots/telegram/handle-update.ts): an `update_id` already recorded has no effect, and the 200 means "stored" — a
 * storage failure answers 5xx, which makes Telegram redeliver.
 */
export function registerTelegramHook(app: App) {
  app.post("/hooks/telegram/:channelId", async (c) => {
    const ctx = c.get("ctx");
    const tooLarge = Number(c.req.header("content-length") ?? 0) > MAX_UPDATE_BYTES;
    // Decoded here rather than with .text(), which warns about any content type that is not text: the body is read
    // before the secret is checked, so whatever anyone posts reaches it.
    const text = tooLarge ? null : new TextDecoder().decode(await c.req.arrayBuffer());
    let update: { update_id?: unknown } | null = null;
    try {
      update = text === null ? null : (JSON.parse(text) as { update_id?: unknown } | null);
    } catch {
      // Answered below, once the secret is known good, like any body that is not an update.
    }
    const isUpdate = !!update && typeof update === "object" && Number.isSafeInteger(update.update_id);
    // The update's reads ride with the channel lookup (read-only, so before the secret check is fine).
    const { found, read } = await findBotWithReads(ctx, c.req.param("channelId"), isUpdate ? (update as Update) : null);
    if (!found) throw AppError.notFound("Channel");
    const secret = c.req.header("x-telegram-bot-api-secret-token") ?? "";
    if (!timingSafeEqualText(secret, found.channel.config.secretToken)) {
      throw new AppError("UNAUTHORIZED", "Missing or wrong X-Telegram-Bot-Api-Secret-Token.");
    }
    if (text === null) throw new AppError("PAYLOAD_TOO_LARGE", "Not a Telegram update.");
    if (!isUpdate) throw new AppError("BAD_REQUEST", "Not a Telegram update (no update_id).");
    const bytes = new TextEncoder().encode(text).byteLength;
    const channelId = found.channel.id;
    const intake = await acceptDelivery(ctx, { channel: "telegram", channelId, body: text, bytes, units: 1 });
    if (intake === "after") {
      const sender = updateSender(update as object);
      const contacts = sender ? [`telegram:${channelId}:${sender}`] : [];
      // Behind an earlier update of the same person, what was read before may be stale: read again.
      handleAfter(ctx, { channelId, contacts }, (waited) =>
        handleTelegramUpdate(ctx, found, update as Update, waited ? undefined : read),
      );
    }
    if (intake !== "inline") return c.body(null, 200);
    await handleTelegramUpdate(ctx, found, update as Update, read);
    return c.body(null, 200);
  });
}

/** Who the update is from (a message's, a button tap's … `from.id`): one person's updates are handled in order. */
function updateSender(update: object): string | null {
  for (const part of Object.values(update)) {
    const id = (part as { from?: { id?: unknown } } | null)?.from?.id;
    if (typeof id === "number" || typeof id === "string") return String(id);
  }
  return null;
}
