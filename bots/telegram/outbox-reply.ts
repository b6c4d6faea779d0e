import type { InStatement, ResultSet } from "@libsql/client/web";
import type { OutboxKind } from "../../db/schema";
import { newId } from "../../workers/lib/ids";
import type { BotDeps } from "./context";

export interface QueuedMessage {
  kind: OutboxKind;
  chatId: string | number;
  text: string;
  replyMarkup?: unknown;
  leadId?: string | null;
  /**
   * Derived from the update that causes the message (`tg:<channel>:<update_id>:<n>`): a replayed update
   * inserts nothing new, so a prospect never gets the same answer twice.
   */
  key: string;
}

/**
 * Replies go through the outbox like every other message (429 backoff, 403 suppression, one send per key):
 * handlers only add this statement to their batch, then `sendSoon` the returned ids.
 */
export function outboxInsert(deps: BotDeps, m: QueuedMessage): InStatement {
  const now = deps.ctx.now();
  return {
    sql: `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload, idempotency_key, state, attempts, due_at, created_at, updated_at)
          VALUES (:id, :ws, :leadId, :kind, 'telegram', :channelId, :recipient, :payload, :key, 'pending', 0, :now, :now, :now)
          ON CONFLICT DO NOTHING RETURNING id`,
    args: {
      id: newId("obx", now),
      ws: deps.workspace.id,
      leadId: m.leadId ?? null,
      kind: m.kind,
      channelId: deps.channel.id,
      recipient: String(m.chatId),
      payload: JSON.stringify({ text: m.text, ...(m.replyMarkup ? { replyMarkup: m.replyMarkup } : {}) }),
      key: m.key,
      now,
    },
  };
}

/** Outbox ids returned by the `outboxInsert` statements of a batch (others return no rows). */
export function insertedIds(results: ResultSet[]): string[] {
  return results.flatMap((r) => r.rows.map((row) => row.id)).filter((id): id is string => typeof id === "string" && id.startsWith("obx_"));
}

/** Idempotency key of the n-th message caused by the update being handled. */
export function updateKey(deps: BotDeps, updateId: number, n: number): string {
  return `tg:${deps.channel.id}:${updateId}:${n}`;
}
