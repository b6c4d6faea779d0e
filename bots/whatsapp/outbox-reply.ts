import type { InStatement, ResultSet } from "@libsql/client/web";
import type { OutboxKind } from "../../db/schema";
import { newId } from "../../workers/lib/ids";
import type { WhatsappDeps } from "./context";

export interface QueuedWhatsapp {
  kind: OutboxKind;
  /** wa_id (phone digits) or BSUID. */
  to: string;
  text: string;
  /** An interactive message without its body (reply buttons, a list). */
  interactive?: unknown;
  leadId?: string | null;
  /** Derived from the message that causes it (`wa:<channel>:<message id>:<n>`): a replay inserts nothing. */
  key: string;
}

/**
 * Replies go through the outbox like every other message (window and template rules, rate-limit retries,
 * one send per key): handlers add this statement to their batch, then `sendSoon` the returned ids.
 */
export function whatsappOutboxInsert(deps: WhatsappDeps, m: QueuedWhatsapp): InStatement {
  const now = deps.ctx.now();
  return {
    sql: `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload, idempotency_key, state, attempts, due_at, created_at, updated_at)
          VALUES (:id, :ws, :leadId, :kind, 'whatsapp', :channelId, :recipient, :payload, :key, 'pending', 0, :now, :now, :now)
          ON CONFLICT DO NOTHING RETURNING id`,
    args: {
      id: newId("obx", now),
      ws: deps.workspace.id,
      leadId: m.leadId ?? null,
      kind: m.kind,
      channelId: deps.channel.id,
      recipient: m.to,
      payload: JSON.stringify({ text: m.text, ...(m.interactive ? { interactive: m.interactive } : {}) }),
      key: m.key,
      now,
    },
  };
}

/** Outbox ids returned by the insert statements of a batch. */
export function insertedIds(results: ResultSet[]): string[] {
  return results.flatMap((r) => r.rows.map((row) => row.id)).filter((id): id is string => typeof id === "string" && id.startsWith("obx_"));
}

/** Idempotency key of a message caused by WhatsApp message `messageId` (`n` tells several apart). */
export function messageKey(deps: WhatsappDeps, messageId: string, n: number | string): string {
  return `wa:${deps.channel.id}:${messageId}:${n}`;
}
