import type { InStatement, ResultSet } from "@libsql/client/web";
import type { OutboxKind, OutboxPayload, SenderKind } from "../../db/schema";
import { newId } from "../lib/ids";

/** One outbound message to queue, with the idempotency key derived from its cause. */
export interface OutboxRow {
  workspaceId: string;
  leadId?: string | null;
  kind: OutboxKind;
  sender: SenderKind;
  /** The bot or number that sends it. */
  channelId: string | null;
  recipient: string;
  payload: OutboxPayload;
  /** e.g. `tg:<channel>:<update_id>:<n>`, `wa:<channel>:<message id>:<n>`: a replayed cause inserts nothing. */
  key: string;
  now: number;
}

/**
 * The INSERT every chat reply shares (bot answers, relays, rep replies): handlers add it to the batch of
 * their cause, then `sendSoon` the ids it returns. A retry draws a new id, but the idempotency key's
 * unique index makes it write nothing, so nothing is sent twice.
 */
export function outboxRowInsert(r: OutboxRow): InStatement {
  return {
    sql: `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload, idempotency_key,
          state, attempts, due_at, created_at, updated_at)
          VALUES (:id, :ws, :leadId, :kind, :sender, :channelId, :recipient, :payload, :key, 'pending', 0, :now, :now,
            :now)
          ON CONFLICT DO NOTHING RETURNING id`,
    args: {
      id: newId("obx", r.now),
      ws: r.workspaceId,
      leadId: r.leadId ?? null,
      kind: r.kind,
      sender: r.sender,
      channelId: r.channelId,
      recipient: r.recipient,
      payload: JSON.stringify(r.payload),
      key: r.key,
      now: r.now,
    },
  };
}

/** Outbox ids returned by the `outboxRowInsert` statements of a batch (other statements return no `obx_` ids). */
export function insertedIds(results: ResultSet[]): string[] {
  return results
    .flatMap((r) => r.rows.map((row) => row.id))
    .filter((id): id is string => typeof id === "string" && id.startsWith("obx_"));
}

/** What a chat handler knows when it answers: its workspace, the bot or number it runs as, the clock. */
export interface ChatScope {
  ctx: { now(): number };
  workspace: { id: string };
  channel: { id: string };
}

/**
 * A chat handler's reply as an outbox row: from the bot or number handling the update (or `channelId`,
 * another of the workspace's), to `recipient`, keyed by the update that caused it.
 */
export function chatReplyInsert(
  scope: ChatScope,
  sender: SenderKind,
  m: {
    kind: OutboxKind;
    recipient: string;
    payload: OutboxPayload;
    key: string;
    leadId?: string | null | undefined;
    channelId?: string;
  },
): InStatement {
  return outboxRowInsert({
    workspaceId: scope.workspace.id,
    leadId: m.leadId ?? null,
    kind: m.kind,
    sender,
    channelId: m.channelId ?? scope.channel.id,
    recipient: m.recipient,
    payload: m.payload,
    key: m.key,
    now: scope.ctx.now(),
  });
}
