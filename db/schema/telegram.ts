import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { channel } from "./channel";
import { rep } from "./rep";
import { workspace } from "./workspace";

// Telegram delivers webhooks at least once: an update id recorded here was fully handled, so a replay
// of it is answered 200 with no effect. Written after the update's effects, never before (a failed
// update must stay retryable).
export const telegramUpdate = sqliteTable(
  "telegram_update",
  {
    channelId: text("channel_id")
      .notNull()
      .references(() => channel.id, { onDelete: "cascade" }),
    updateId: integer("update_id").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  // The primary key serves the "seen this update?" lookup on every webhook call.
  (t) => [primaryKey({ columns: [t.channelId, t.updateId] })],
);

// One-time codes that link a Telegram chat to a rep (`/start rep_<code>`). Only the SHA-256 of the code is
// stored: a leaked database row cannot be replayed as a deep link.
export const repInvite = sqliteTable("rep_invite", {
  // Hex SHA-256 of the code; the primary key serves the lookup on `/start rep_<code>`.
  codeHash: text("code_hash").primaryKey(),
  workspaceId: text("workspace_id")
    .notNull()
    .references(() => workspace.id, { onDelete: "cascade" }),
  repId: text("rep_id")
    .notNull()
    .references(() => rep.id, { onDelete: "cascade" }),
  expiresAt: integer("expires_at").notNull(),
  usedAt: integer("used_at"),
  // The chat that redeemed it (audit; also ties the link step to this redemption inside the batch).
  usedBy: text("used_by"),
  createdAt: integer("created_at").notNull(),
});
