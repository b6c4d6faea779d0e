import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { channel } from "./channel";

/** A channel's kind (workers/channels/channel.ts): the channel list decides which take queued deliveries. */
export type InboundChannel = string;

// A verified webhook delivery too large for a queue message (128 KB): stored here in one INSERT and its id
// queued instead. The consumer deletes the row once the delivery is handled; a row still here a few minutes
// later (its queue message was never sent, or gave up) is handled by the cron sweep.
export const inboundDelivery = sqliteTable(
  "inbound_delivery",
  {
    id: text("id").primaryKey(),
    channelId: text("channel_id")
      .notNull()
      .references(() => channel.id, { onDelete: "cascade" }),
    channel: text("channel").notNull(),
    // The raw body as signed by the platform (JSON text).
    body: text("body").notNull(),
    receivedAt: integer("received_at").notNull(),
    // Set while the cron sweep handles the row, so overlapping ticks never take it twice.
    leaseUntil: integer("lease_until"),
  },
  // The cron sweep's "stored a while ago and still here" scan.
  (t) => [index("inbound_delivery_received_idx").on(t.receivedAt)],
);
