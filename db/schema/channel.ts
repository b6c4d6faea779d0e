import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { workspace } from "./workspace";

export const CHANNEL_KINDS = ["telegram", "whatsapp"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/**
 * What the channel's config JSON may hold. Telegram: `token` (bot token), `autoReplyText` (sent to a
 * prospect who first writes to the bot), `ownerChatId` (where the daily digest goes). WhatsApp fields
 * arrive with the WhatsApp issue.
 */
export interface ChannelConfig {
  token?: string;
  autoReplyText?: string;
  ownerChatId?: string;
  [key: string]: unknown;
}

// A connected bot or number. Minimal on purpose: the Telegram and WhatsApp issues extend the config.
export const channel = sqliteTable(
  "channel",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: CHANNEL_KINDS }).notNull(),
    config: text("config", { mode: "json" }).$type<ChannelConfig>().notNull(),
    createdAt: integer("created_at").notNull(),
    // When a webhook for this channel was last accepted (written with the update's own dedup row).
    lastWebhookAt: integer("last_webhook_at"),
  },
  (t) => [
    // "The workspace's telegram bot" lookups when an outbox row is enqueued (capture, steps, digest).
    index("channel_workspace_kind_idx").on(t.workspaceId, t.kind),
  ],
);
