import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";
import { workspace } from "./workspace";

export const rep = sqliteTable(
  "rep",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    email: text("email"),
    phone: text("phone"),
    telegramChatId: text("telegram_chat_id"),
    whatsappPhone: text("whatsapp_phone"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    paused: integer("paused", { mode: "boolean" }).notNull().default(false),
    // Relative share of new leads in the rotation (smooth weighted round robin).
    weight: integer("weight").notNull().default(1),
    // Open leads above which the rep is skipped; null = no cap.
    maxOpenLeads: integer("max_open_leads"),
    timezone: text("timezone"),
    ...timestamps,
  },
  (t) => [
    // Loading a workspace's rotation pool on every capture.
    index("rep_workspace_idx").on(t.workspaceId),
  ],
);
