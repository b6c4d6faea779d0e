import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { channel } from "./channel";

// Meta retries a webhook delivery for up to 36 hours: a message id recorded here was fully handled, so a
// replay of it is acknowledged with no effect. Written after the message's effects, never before (a
// message whose handling failed must stay retryable).
export const whatsappInbound = sqliteTable(
  "whatsapp_inbound",
  {
    channelId: text("channel_id")
      .notNull()
      .references(() => channel.id, { onDelete: "cascade" }),
    messageId: text("message_id").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  // The primary key serves the "seen these message ids?" lookup on every webhook call.
  (t) => [primaryKey({ columns: [t.channelId, t.messageId] })],
);

// Every delivery status Meta reported for a message we sent (sent, delivered, read, played, failed),
// once per message and status. Kept apart from the outbox row because a status can arrive before our
// own send has recorded the message id; deliver.ts applies the stored ones when it does.
export const whatsappStatus = sqliteTable(
  "whatsapp_status",
  {
    channelId: text("channel_id")
      .notNull()
      .references(() => channel.id, { onDelete: "cascade" }),
    messageId: text("message_id").notNull(),
    status: text("status").notNull(),
    // Meta's own time of the status (epoch ms), not when it reached us.
    statusAt: integer("status_at").notNull(),
    // `errors[]` of a failed status, as sent.
    errors: text("errors", { mode: "json" }).$type<unknown[]>(),
    receivedAt: integer("received_at").notNull(),
  },
  // Dedup of replayed statuses, and "statuses of message X" when the send records its id.
  (t) => [primaryKey({ columns: [t.channelId, t.messageId, t.status] })],
);

// WhatsApp's customer service window is per business number and user: it opens (for 24 h) with each
// message the user sends to that number, whatever lead or rep the user is. `address` is how we write to
// them: the wa_id (phone digits) or the business-scoped user id.
export const whatsappWindow = sqliteTable(
  "whatsapp_window",
  {
    channelId: text("channel_id")
      .notNull()
      .references(() => channel.id, { onDelete: "cascade" }),
    address: text("address").notNull(),
    lastInboundAt: integer("last_inbound_at").notNull(),
  },
  // The primary key serves the send-time "is the window open?" lookup per outbox row.
  (t) => [primaryKey({ columns: [t.channelId, t.address] })],
);
