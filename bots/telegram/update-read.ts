import type { InStatement, ResultSet } from "@libsql/client/web";
import type { Update } from "grammy/types";
import { channelRowStatement, foundChannel } from "../../workers/domain/channels/channel-rows";
import { type TelegramChannel, telegramComplete } from "../../workers/domain/channels/telegram-channels";
import type { DomainContext } from "../../workers/domain/context";
import type { LinkedRep } from "./context";
import { type ProspectState, prospectStateOf, prospectStateStatement } from "./conversation";
import { eventKey } from "./outbox-reply";

/**
 * What handling an update needs to know first: whether it was handled before, who its private chat is, and where
 * that chat's prospect stands.
 */
export interface UpdateRead {
  seen: boolean;
  /** The rep linked to a private message's chat (null: none); absent for other updates. */
  chatRep?: { chatId: string; rep: LinkedRep | null } | undefined;
  /** A private message's prospect state (used unless the chat is a rep's); absent for other updates. */
  prospect?: ProspectRead | undefined;
}

/** `ProspectState` as read for this chat, user and update (the intake uses it only for the same three). */
export interface ProspectRead {
  chatId: string;
  telegramUserId: string;
  updateId: number;
  state: ProspectState;
}

/**
 * A private message's chat and sender, the one chat the bot asks "is this a rep?" about before any handler. The
 * body is not validated yet (only read with): any part of it may be missing or of another type.
 */
function privateChat(update: Update): { chatId: string; telegramUserId: string | null } | null {
  const message = update.message as Partial<Update["message"]> | undefined;
  if (message?.chat?.type !== "private") return null;
  const from = message.from?.id;
  return { chatId: String(message.chat.id), telegramUserId: typeof from === "number" ? String(from) : null };
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
  const chat = update ? privateChat(update) : null;
  const prospect =
    updateId !== null && chat?.telegramUserId
      ? { chatId: chat.chatId, telegramUserId: chat.telegramUserId, updateId }
      : null;
  const results = await ctx.database.client.batch(
    [
      channelRowStatement(channelId, "telegram"),
      updateSeenStatement(channelId, updateId),
      chatRepStatement({ channelId }, chat?.chatId ?? null),
      ...(prospect
        ? [
            prospectStateStatement(
              { channelId },
              { ...prospect, channelId, key: eventKey({ channel: { id: channelId } }, updateId!) },
            ),
          ]
        : []),
    ],
    "read",
  );
  const found = foundChannel(results[0]?.rows[0], telegramComplete);
  if (updateId === null) return { found, read: undefined };
  return {
    found,
    read: {
      seen: (results[1]?.rows.length ?? 0) > 0,
      chatRep: chat === null ? undefined : { chatId: chat.chatId, rep: chatRepOf(results[2]) },
      prospect: prospect ? { ...prospect, state: prospectStateOf(results[3]) } : undefined,
    },
  };
}

/**
 * The queue consumer's lookup of its bot with which of the queued updates it recorded as handled, in one round
 * trip: the queued copies of updates handled right after their 200 (the safety net) cost that read alone.
 */
export async function findBotWithSeen(
  ctx: DomainContext,
  channelId: string,
  updateIds: number[],
): Promise<{ found: ReturnType<typeof foundChannel<TelegramChannel["config"]>>; seen: Set<number> }> {
  const [channel, seen] = await ctx.database.client.batch(
    [
      channelRowStatement(channelId, "telegram"),
      {
        sql: `SELECT update_id FROM telegram_update WHERE channel_id = ? AND update_id IN (SELECT value FROM json_each(?))`,
        args: [channelId, JSON.stringify(updateIds)],
      },
    ],
    "read",
  );
  return {
    found: foundChannel(channel?.rows[0], telegramComplete),
    seen: new Set((seen?.rows ?? []).map((r) => Number(r.update_id))),
  };
}
