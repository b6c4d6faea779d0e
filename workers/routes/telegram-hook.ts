import { BotError, webhookCallback } from "grammy";
import { createBot } from "../../bots/telegram/create-bot";
import { channelWebhookSeen } from "../domain/channels/channel-status";
import { findTelegramChannel } from "../domain/channels/telegram-channels";
import { AppError } from "../errors";
import type { App } from "../http/app";
import { timingSafeEqualText } from "../lib/timing-safe";

// Updates are a few KB; anything far larger is not from Telegram.
const MAX_UPDATE_BYTES = 1_048_576;

/**
 * Telegram's webhook for one connected bot. Checks, in order and before any write: the channel exists
 * (404), the secret Telegram echoes from setWebhook matches (401, constant-time), the body is an update.
 * An `update_id` already recorded is acknowledged with no effect; otherwise the bot handles it and the id
 * is recorded *after* its effects, so the 200 means "stored" and a storage failure answers 5xx, which makes
 * Telegram redeliver (the effects themselves are keyed by the update id, so a partial first try is not doubled).
 */
export function registerTelegramHook(app: App) {
  app.post("/hooks/telegram/:channelId", async (c) => {
    const ctx = c.get("ctx");
    const found = await findTelegramChannel(ctx, c.req.param("channelId"));
    if (!found) throw AppError.notFound("Channel");
    const secret = c.req.header("x-telegram-bot-api-secret-token") ?? "";
    if (!timingSafeEqualText(secret, found.channel.config.secretToken)) {
      throw new AppError("UNAUTHORIZED", "Missing or wrong X-Telegram-Bot-Api-Secret-Token.");
    }
    if (Number(c.req.header("content-length") ?? 0) > MAX_UPDATE_BYTES)
      throw new AppError("PAYLOAD_TOO_LARGE", "Not a Telegram update.");
    const update = (await c.req.json().catch(() => null)) as { update_id?: unknown } | null;
    if (!update || typeof update !== "object" || !Number.isSafeInteger(update.update_id)) {
      throw new AppError("BAD_REQUEST", "Not a Telegram update (no update_id).");
    }
    const updateId = update.update_id as number;
    const { client } = ctx.database;
    const seen = await client.execute({
      sql: `SELECT 1 FROM telegram_update WHERE channel_id = ? AND update_id = ?`,
      args: [found.channel.id, updateId],
    });
    if (seen.rows.length > 0) return c.body(null, 200);

    const bot = createBot(found.channel.config.token, { ctx, channel: found.channel, workspace: found.workspace });
    let response: Response;
    try {
      // The hono adapter re-reads the body Hono already cached, and checks the secret a second time.
      response = await webhookCallback(bot, "hono", { secretToken: found.channel.config.secretToken })(c);
    } catch (err) {
      // grammY wraps what a handler threw; the error renderer maps the original (storage, validation, ...).
      let cause: unknown = err;
      while (cause instanceof BotError) cause = cause.error;
      throw cause;
    }
    await client.batch(
      [
        {
          sql: `INSERT INTO telegram_update (channel_id, update_id, received_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
          args: [found.channel.id, updateId, ctx.now()],
        },
        channelWebhookSeen(found.channel.id, ctx.now()),
      ],
      "write",
    );
    return response;
  });
}
