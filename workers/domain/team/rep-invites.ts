import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { rep, repInvite } from "../../../db/schema";
import { AppError } from "../../errors";
import { randomToken } from "../../lib/ids";
import { listTelegramChannels } from "../channels/telegram-channels";
import type { Scope } from "../context";

const INVITE_TTL_MS = 7 * 24 * 3_600_000;

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export const RepTelegramInviteInput = z.object({
  channelId: z.string().trim().min(1).max(64).optional().openapi({
    description: "The bot to link through (the rep starts it, and alerts come from it); default the first bot",
  }),
});

/**
 * A one-time code that links a Telegram chat to this rep, and the deep link of the bot that carries it (the
 * given bot of the workspace, else its first): the bot the rep starts is the one their alerts come from.
 */
export async function createRepTelegramInvite({ ctx, workspace }: Scope, repId: string, channelId?: string) {
  const found = await ctx.database.db
    .select({ id: rep.id })
    .from(rep)
    .where(and(eq(rep.workspaceId, workspace.id), eq(rep.id, repId)))
    .get();
  if (!found) throw AppError.notFound("Rep");
  const bots = await listTelegramChannels({ ctx, workspace });
  const bot = channelId === undefined ? bots[0] : bots.find((b) => b.id === channelId);
  if (channelId !== undefined && !bot)
    throw AppError.validation({ channelId: "Not a Telegram bot of this workspace." });
  if (!bot) throw new AppError("CONFLICT", "Connect a Telegram bot first: the invite is a link to start it.");
  // 32 base62 chars ≈ 190 bits; `rep_` + code stays inside the 64-char deep-link payload limit.
  const code = randomToken(32);
  const now = ctx.now();
  const expiresAt = now + INVITE_TTL_MS;
  await ctx.database.db
    .insert(repInvite)
    .values({ codeHash: await sha256Hex(code), workspaceId: workspace.id, repId, expiresAt, createdAt: now });
  return { code, deepLink: `https://t.me/${bot.botUsername}?start=rep_${code}`, expiresAt };
}

/**
 * Consumes an invite and links the chat, in one batch: the code is marked used only if it is unused and
 * fresh, and the rep is linked only by the row this very batch marked. The chat is unlinked from any
 * other rep of the workspace (one chat, one rep). Returns the rep, or null for an unknown/used/expired code.
 */
export async function redeemRepInvite(
  { ctx, workspace }: Scope,
  code: string,
  chatId: string,
  /** The bot the invite was opened in: the rep started it, so it is the one that can write to them. */
  channelId: string,
): Promise<{ id: string; name: string } | null> {
  const now = ctx.now();
  const hash = await sha256Hex(code);
  const claimed = `(SELECT rep_id FROM rep_invite
    WHERE code_hash = :hash AND workspace_id = :ws AND used_at = :now AND used_by = :chat)`;
  const results = await ctx.database.client.batch(
    [
      {
        sql: `UPDATE rep_invite SET used_at = :now, used_by = :chat
              WHERE code_hash = :hash AND workspace_id = :ws AND used_at IS NULL AND expires_at > :now`,
        args: { hash, ws: workspace.id, now, chat: chatId },
      },
      {
        sql: `UPDATE rep SET telegram_chat_id = NULL, telegram_channel_id = NULL, updated_at = :now
              WHERE workspace_id = :ws AND telegram_chat_id = :chat AND id <> COALESCE(${claimed}, '')
                AND ${claimed} IS NOT NULL`,
        args: { hash, ws: workspace.id, now, chat: chatId },
      },
      {
        sql: `UPDATE rep SET telegram_chat_id = :chat, telegram_channel_id = :bot, updated_at = :now
              WHERE workspace_id = :ws AND id = ${claimed}
              RETURNING id, name`,
        args: { hash, ws: workspace.id, now, chat: chatId, bot: channelId },
      },
    ],
    "write",
  );
  const row = results[2]?.rows[0];
  return row ? { id: String(row.id), name: String(row.name) } : null;
}
