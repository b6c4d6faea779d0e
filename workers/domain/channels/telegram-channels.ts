import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { Api, GrammyError, HttpError } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { type ChannelConfig, channel } from "../../../db/schema";
import { AppError } from "../../errors";
import { newId, randomToken } from "../../lib/ids";
import type { Scope } from "../context";
import { listChannelRows } from "./channel-rows";

/** What a Telegram channel keeps in its config JSON (the token and secret never leave the server). */
export interface TelegramChannelConfig extends ChannelConfig {
  token: string;
  /** Sent back by Telegram as X-Telegram-Bot-Api-Secret-Token on every webhook call. */
  secretToken: string;
  /** getMe's answer, cached so the bot never calls getMe per request (grammY's `botInfo`). */
  botInfo: UserFromGetMe;
  webhookUrl: string;
}

export interface TelegramChannel {
  id: string;
  workspaceId: string;
  config: TelegramChannelConfig;
}

/** The public view: no token, no secret. */
export function channelView(c: TelegramChannel & { createdAt: number }) {
  return {
    id: c.id,
    kind: "telegram" as const,
    botId: c.config.botInfo.id,
    botUsername: c.config.botInfo.username,
    webhookUrl: c.config.webhookUrl,
    autoReplyText: c.config.autoReplyText ?? null,
    createdAt: c.createdAt,
  };
}

/** What connecting a bot takes, from the API and the console alike (the format check is the verb's). */
export const TelegramConnectInput = z.object({
  token: z.string().trim().min(1).max(200),
  autoReplyText: z.string().trim().min(1).max(4000).optional(),
});
export type TelegramConnectInput = z.infer<typeof TelegramConnectInput>;

// Telegram bot tokens look like 123456789:AA…; checked before we send it anywhere.
const TOKEN = /^\d{1,20}:[A-Za-z0-9_-]{20,100}$/;

/**
 * Connects a bot: getMe (validates the token, caches botInfo), then setWebhook with a fresh random secret,
 * then stores the channel. Connecting the same bot again in the same workspace updates that channel
 * (new secret, new URL) instead of adding a second one.
 */
export async function connectTelegramBot(
  { ctx, workspace }: Scope,
  input: TelegramConnectInput & { publicOrigin: string },
) {
  if (!TOKEN.test(input.token)) throw AppError.validation({ token: "Not a Telegram bot token (123456:ABC…)." });
  const api = new Api(input.token, { apiRoot: ctx.config.TELEGRAM_API_ROOT.replace(/\/+$/, "") });
  const { db } = ctx.database;
  const existing = (
    await db
      .select()
      .from(channel)
      .where(and(eq(channel.workspaceId, workspace.id), eq(channel.kind, "telegram")))
      .all()
  ).find((c) => String(c.config.token ?? "").split(":")[0] === input.token.split(":")[0]);

  const botInfo = await telegramCall(() => api.getMe());
  const now = ctx.now();
  const id = existing?.id ?? newId("chan", now);
  const secretToken = randomToken(48);
  const webhookUrl = `${input.publicOrigin.replace(/\/+$/, "")}/hooks/telegram/${id}`;
  const config: TelegramChannelConfig = {
    ...(existing?.config ?? {}),
    token: input.token,
    secretToken,
    botInfo,
    webhookUrl,
    ...(input.autoReplyText !== undefined ? { autoReplyText: input.autoReplyText } : {}),
  };
  // Stored before setWebhook: Telegram may deliver the first update before setWebhook even returns, and
  // that update must find the secret it carries.
  if (existing) await db.update(channel).set({ config }).where(eq(channel.id, id));
  else await db.insert(channel).values({ id, workspaceId: workspace.id, kind: "telegram", config, createdAt: now });
  try {
    await api.setWebhook(webhookUrl, {
      secret_token: secretToken,
      allowed_updates: ["message", "edited_message", "callback_query", "my_chat_member"],
    });
  } catch (err) {
    // A refused webhook leaves no channel behind: the bot would never receive an update.
    if (existing) await db.update(channel).set({ config: existing.config }).where(eq(channel.id, id));
    else await db.delete(channel).where(and(eq(channel.id, id), eq(channel.workspaceId, workspace.id)));
    if (err instanceof GrammyError && err.error_code === 400) {
      throw AppError.validation({
        webhookUrl:
          `Telegram refused the webhook URL ${webhookUrl}: ${err.description}. ` +
          "Telegram only calls public https URLs: set PUBLIC_URL to one.",
      });
    }
    throw telegramError(err);
  }
  return channelView({ id, workspaceId: workspace.id, config, createdAt: existing?.createdAt ?? now });
}

export async function listTelegramChannels(scope: Scope) {
  return (await listChannelRows<TelegramChannelConfig>(scope, "telegram")).map(channelView);
}

/** What a bot's webhook needs to be served. */
export const telegramComplete = (c: TelegramChannelConfig) => Boolean(c.token && c.secretToken && c.botInfo);

/** Telegram's answer to a connect call, as our error shape: a bad token is the caller's mistake, an outage is not. */
async function telegramCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw telegramError(err);
  }
}

function telegramError(err: unknown): AppError {
  if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
    return AppError.validation({ token: `Telegram rejected this token: ${err.description}` });
  }
  const message = err instanceof GrammyError ? err.description : err instanceof HttpError ? err.message : String(err);
  return new AppError("UPSTREAM_UNAVAILABLE", `Telegram Bot API unreachable: ${message}`, { cause: err });
}
