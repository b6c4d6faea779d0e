import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { channel } from "./channel";
import { lead } from "./lead";
import { workspace } from "./workspace";

// bot_reply: the bot answering a chat (prompts, confirmations); relay: a prospect's message forwarded to the
// owner rep; rep_reply: a rep's answer forwarded to the prospect.
// sign_in: an invite link or one-time sign-in code sent to a person's linked chat.
export const OUTBOX_KINDS = [
  "auto_reply",
  "rep_alert",
  "follow_up",
  "escalation",
  "digest",
  "reminder",
  "webhook",
  "bot_reply",
  "relay",
  "rep_reply",
  "sign_in",
] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export const SENDER_KINDS = ["telegram", "whatsapp", "email", "webhook"] as const;
export type SenderKind = (typeof SENDER_KINDS)[number];

/**
 * pending → sent | failed (permanent: blocked, invalid address; never retried) | dead (too many tries)
 * | skipped (not sent on purpose: opted out, unreachable, no sender config).
 */
export const OUTBOX_STATES = ["pending", "sent", "failed", "dead", "skipped"] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/**
 * Telegram media relay: the sender copies this message (copyMessage) instead of sending text, so a rep
 * sees and hears the prospect's photo or voice note itself; `text` becomes its caption when `caption`.
 */
export interface CopyOf {
  fromChatId: string;
  messageId: number;
  caption: boolean;
}

/** What a row asks its sender to deliver; `text` may hold {name}, {rep_name}, {form}. */
export interface OutboxPayload {
  text?: string;
  subject?: string;
  /** WhatsApp approved template name (outside the 24-hour window). */
  template?: string;
  /** Webhook rows: the JSON body to POST. */
  body?: unknown;
  copyOf?: CopyOf;
  [key: string]: unknown;
}

// Every outbound message is a row here, written in the same batch as the event that caused it.
export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    leadId: text("lead_id").references(() => lead.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: OUTBOX_KINDS }).notNull(),
    sender: text("sender", { enum: SENDER_KINDS }).notNull(),
    // The bot / number that sends it (telegram, whatsapp); null for email and webhooks.
    channelId: text("channel_id").references(() => channel.id, { onDelete: "set null" }),
    // Chat id, email address, phone or URL, as the sender expects it.
    recipient: text("recipient").notNull(),
    payload: text("payload", { mode: "json" }).$type<OutboxPayload>().notNull(),
    // e.g. `auto:<leadId>`, `seq:<enrollmentId>:<position>`, `digest:<ws>:<date>`: a replayed cause
    // (webhook retry, overlapping cron run) inserts nothing new.
    idempotencyKey: text("idempotency_key").notNull().unique(),
    state: text("state", { enum: OUTBOX_STATES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    dueAt: integer("due_at").notNull(),
    // A claimed row is invisible to other runs until this instant; a crashed run's rows come back after it.
    leaseUntil: integer("lease_until"),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    // What the provider reported after accepting it (WhatsApp statuses): sent → delivered → read (→ played),
    // or failed. Only ever moves up that order, so a late `sent` never overwrites `read`.
    deliveryStatus: text("delivery_status"),
    deliveryStatusAt: integer("delivery_status_at"),
    // A failed status's `errors[]`, as the provider sent them.
    deliveryError: text("delivery_error"),
    sentAt: integer("sent_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    // Claim query (every cron tick): pending rows with due_at <= now, oldest first. Partial, so the
    // b-tree holds only the pending rows however large the history of sent messages grows.
    index("outbox_pending_due_idx").on(t.dueAt).where(sql`state = 'pending'`),
    // A lead's messages (timeline, "did we already write to them?").
    index("outbox_lead_idx").on(t.leadId),
    // Status webhooks and rep replies find the row by the provider's message id. Partial: unsent rows have none.
    index("outbox_provider_message_idx").on(t.providerMessageId).where(sql`provider_message_id is not null`),
    // The channels page: each bot's or number's last failed send. Partial: only failed rows, a small set.
    index("outbox_channel_failed_idx")
      .on(t.channelId, t.updatedAt)
      .where(sql`state in ('failed', 'dead') and channel_id is not null`),
  ],
);
