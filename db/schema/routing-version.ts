import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

// A counter per workspace that moves whenever something routing reads changes (reps, pools, members, rules,
// admins, routing settings, a lead's owner or status, the webhook endpoints' events). Capture decides with a
// cached routing context and writes only if the counter still has the value that context was read at: one round
// trip per new lead, never a stale decision. Moved by triggers (the migration's hand-written part), so every
// writer counts, SQL included.
export const routingVersion = sqliteTable("routing_version", {
  // No foreign key: the triggers also fire while a workspace's rows are deleted with it.
  workspaceId: text("workspace_id").primaryKey(),
  version: integer("version").notNull().default(0),
});
