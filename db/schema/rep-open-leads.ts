import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { rep } from "./rep";

// Each rep's open leads (status new, contacted or qualified), kept by triggers on `lead` (the migration's
// hand-written part), so every writer counts, SQL included. Caps are checked inside each assigning write and every
// capture reads the counts back for the next decision: counting the workspace's open leads there grew with them,
// this is one row per rep.
export const repOpenLeads = sqliteTable(
  "rep_open_leads",
  {
    repId: text("rep_id")
      .primaryKey()
      .references(() => rep.id, { onDelete: "cascade" }),
    workspaceId: text("workspace_id").notNull(),
    openLeads: integer("open_leads").notNull().default(0),
  },
  // The workspace's counts, read back at the end of every capture batch and with the routing context.
  (t) => [index("rep_open_leads_workspace_idx").on(t.workspaceId)],
);
