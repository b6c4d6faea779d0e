import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { SenderKind } from "./outbox";
import { workspace } from "./workspace";

// `erased`: the person had their data erased; lifted when they write to the workspace again.
export const SUPPRESSION_REASONS = ["blocked", "invalid", "opt_out", "erased"] as const;

// An address we must not write to again on that channel (Telegram 403 blocked, a bounced email, ...).
// Keyed by address, not lead: a rep's chat that blocked the bot is unreachable too.
export const suppression = sqliteTable(
  "suppression",
  {
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    sender: text("sender").$type<SenderKind>().notNull(),
    address: text("address").notNull(),
    reason: text("reason", { enum: SUPPRESSION_REASONS }).notNull(),
    detail: text("detail"),
    leadId: text("lead_id"),
    createdAt: integer("created_at").notNull(),
  },
  // The primary key serves the send job's "is this recipient suppressed?" lookup.
  (t) => [primaryKey({ columns: [t.workspaceId, t.sender, t.address] })],
);
