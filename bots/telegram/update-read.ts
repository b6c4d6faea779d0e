import type { InStatement, ResultSet } from "@libsql/client/web";
import type { Update } from "grammy/types";
import { channelRowStatement, foundChannel } from "../../workers/domain/channels/channel-rows";
import { type TelegramChannel, telegramComplete } from "../../workers/domain/channels/telegram-channels";
import type { DomainContext } from "../../workers/domain/context";
import type { LinkedRep } from "./context";

/** What handling an update needs to know first: whether it was handled before, and who its private chat is. */
export interface UpdateRead {
  seen: boolean;
  /** The rep linked to a private message's chat (null: none); absent for other updates. */
  chatRep?: { chatId: string; rep: LinkedRep | null } | undefined;
}

/** A private message's chat id, the one chat the bot asks "is this a rep?" about before any handler. */
function privateChat(update: Update): string | null {
  const chat = update.message?.chat;
  return chat?.type === "private" ? String(chat.id) : null;
}

/** Whether bot `channelId` recorded update `updateId` as handled (a row: yes). */
export function updateSeenStatement(channelId: string, updateId: number | null): InStatement {
  return { sql: `SELECT 1 FROM telegram_update WHERE channel_id = ? AND update_id = ?`, args: [channelId, updateId] };
}

/**
 * The active rep linked to private chat `chatId` (a row, or none), in the workspace given or, before the hook
 * knows it, the workspace of bot `channelId`.
 */
export function chatRepStatement(of: { workspaceId: string } | { channelId: string }, chatId: string | null) {
  const workspace = "workspaceId" in of ? "?" : "(SELECT workspace_id FROM channel WHERE id = ?)";
  return {
    sql: `SELECT id, name FROM rep WHERE workspace_id = ${workspace} AND telegram_chat_id = ? AND active = 1`,
    args: ["workspaceId" in of ? of.workspaceId : of.channelId, chatId],
  } satisfies InStatement;
}

/** `chatRepStatement`'s answer. */
export function chatRepOf(rs: ResultSet | undefined): LinkedRep | null {
  const row = rs?.rows[0];
  return row ? { id: String(row.id), name: String(row.name) } : null;
}

/**
 * The hook's lookup of its bot with the update's reads, in one round trip: read-only, so it may come before the
 * secret is checked. `update`: the body when it parsed (its id and chat are only used to read).
 */
export async function findBotWithReads(
  ctx: DomainContext,
  channelId: string,
  update: Update | null,
): Promise<{ found: ReturnType<typeof foundChannel<TelegramChannel["config"]>>; read: UpdateRead | undefined }> {
  const updateId = update && Number.isSafeInteger(update.update_id) ? update.update_id : null;
  const chatId = update ? privateChat(update) : null;
  const results = await ctx.database.client.batch(
    [
      channelRowStatement(channelId, "telegram"),
      updateSeenStatement(channelId, updateId),
      chatRepStatement({ channelId }, chatId),
    ],
    "read",
  );
  const found = foundChannel(results[0]?.rows[0], telegramComplete);
  if (updateId === null) return { found, read: undefined };
  return {
    found,
    read: {
      seen: (results[1]?.rows.length ?? 0) > 0,
      chatRep: chatId === null ? undefined : { chatId, rep: chatRepOf(results[2]) },
    },
  };
}
