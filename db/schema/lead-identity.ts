import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { lead } from "./lead";
import { workspace } from "./workspace";

// A lead's address on a channel (a Telegram user id, a WhatsApp wa_id or BSUID, any channel's own id): what
// capture dedups on besides phone and email. One row per address, so a new channel adds rows, not columns.
export const leadIdentity = sqliteTable(
  "lead_identity",
  {
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    // The channel's name for the address: "telegram", "whatsapp", "whatsapp-user", or a new channel's own.
    kind: text("kind").notNull(),
    address: text("address").notNull(),
    leadId: text("lead_id")
      .notNull()
      .references(() => lead.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    // Capture's dedup lookup by (kind, address), and the guarantee that one address belongs to one lead.
    primaryKey({ columns: [t.workspaceId, t.kind, t.address] }),
    // A lead's addresses: replies, erasure and export.
    index("lead_identity_lead_idx").on(t.leadId),
  ],
);
