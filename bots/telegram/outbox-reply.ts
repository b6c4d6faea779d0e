import type { InStatement } from "@libsql/client/web";
import type { CopyOf, OutboxKind } from "../../db/schema";
import { repTelegramBot } from "../../workers/domain/channels/rep-bot";
import { chatReplyInsert } from "../../workers/outbox/outbox-row";
import type { BotDeps } from "./context";

export interface QueuedMessage {
  kind: OutboxKind;
  chatId: string | number;
  text: string;
  replyMarkup?: unknown;
  /** Send as copyMessage of this message (media), `text` becoming its caption when it takes one. */
  copyOf?: CopyOf;
  leadId?: string | null;
  /** Another bot of the workspace than the one handling the update (a rep's answer goes out on the prospect's bot). */
  channelId?: string;
  /**
   * Derived from the update that causes the message (`tg:<channel>:<update_id>:<n>`): a replayed update
   * inserts nothing new, so a prospect never gets the same answer twice.
   */
  key: string;
}

/**
 * Replies go through the outbox like every other message (429 backoff, 403 suppression, one send per key):
 * handlers only add this statement to their batch and write it with `commitAndSend`, which sends what it inserted.
 */
export function outboxInsert(deps: BotDeps, m: QueuedMessage): InStatement {
  const payload = {
    text: m.text,
    ...(m.replyMarkup ? { replyMarkup: m.replyMarkup } : {}),
    ...(m.copyOf ? { copyOf: m.copyOf } : {}),
  };
  return chatReplyInsert(deps, "telegram", { ...m, recipient: String(m.chatId), payload });
}

/**
 * Dedup key of the lead event an update records (captureLead's `dedupKey`, messages, notes). Update ids are
 * counted per bot, so the channel is part of the key: two bots of one workspace may both send update 7.
 */
export function eventKey(deps: { channel: { id: string } }, updateId: number): string {
  return `tg:${deps.channel.id}:${updateId}`;
}

/**
 * The bot that talks to rep `r`: the one they started (workers/domain/channels/rep-bot.ts). Prospects are answered
 * by the bot they wrote to.
 */
export const REP_BOT_SQL = repTelegramBot("r");

/** Idempotency key of the n-th message caused by the update being handled. */
export function updateKey(deps: BotDeps, updateId: number, n: number): string {
  return `tg:${deps.channel.id}:${updateId}:${n}`;
}
