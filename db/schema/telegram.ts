import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { channel } from "./channel";
import { lead } from "./lead";
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

export const CAPTURE_STEPS = ["name", "need", "phone"] as const;
export type CaptureStep = (typeof CAPTURE_STEPS)[number];

// Where a prospect's chat with a bot stands in the conversational capture (name → need → phone). Workers
// keep no memory between webhook calls, so the step lives here. The lead exists from the first contact;
// this row only says which question the prospect's next text answers.
export const telegramConversation = sqliteTable(
  "telegram_conversation",
  {
    channelId: text("channel_id")
      .notNull()
      .references(() => channel.id, { onDelete: "cascade" }),
    // The prospect's private chat (= their Telegram user id).
    chatId: text("chat_id").notNull(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    leadId: text("lead_id")
      .notNull()
      .references(() => lead.id, { onDelete: "cascade" }),
    // The question the next text answers; null once the capture is over (texts are then relayed).
    step: text("step", { enum: CAPTURE_STEPS }),
    // The questions still to come after `step`, in order.
    later: text("later", { mode: "json" }).$type<CaptureStep[]>().notNull(),
    // The last update applied to this row: a redelivery of it (its effects already stored) changes nothing.
    lastUpdateId: integer("last_update_id").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    // The primary key serves the lookup on every prospect update (which bot, which chat).
    primaryKey({ columns: [t.channelId, t.chatId] }),
    // A merge moves a lead's conversations onto the surviving lead; rep replies find the lead's bot.
    index("telegram_conversation_lead_idx").on(t.leadId),
  ],
);
