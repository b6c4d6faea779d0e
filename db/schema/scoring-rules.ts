import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { workspace } from "./workspace";

/**
 * A workspace's lead-scoring rules (shape: `ScoringRules` in workers/domain/capture/scoring.ts). No row = the
 * defaults. One row per workspace, read by primary key and cached per isolate, so capture stays one round trip.
 */
export const scoringRules = sqliteTable("scoring_rules", {
  workspaceId: text("workspace_id")
    .primaryKey()
    .references(() => workspace.id, { onDelete: "cascade" }),
  rules: text("rules", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  updatedAt: integer("updated_at").notNull(),
});
