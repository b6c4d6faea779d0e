import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";
import { rep } from "./rep";
import { workspace } from "./workspace";

export const POOL_STRATEGIES = ["weighted", "least-loaded"] as const;
export type PoolStrategy = (typeof POOL_STRATEGIES)[number];

/** A group of reps sharing one rotation and one first-response SLA. */
export const pool = sqliteTable(
  "pool",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // Leads that match no routing rule go to the default pool (at most one per workspace).
    isDefault: integer("is_default", { mode: "boolean" }).notNull().default(false),
    // Minutes the owner has to claim or contact a lead before the SLA sweep passes it on.
    slaMinutes: integer("sla_minutes").notNull().default(15),
    hotSlaMinutes: integer("hot_sla_minutes").notNull().default(5),
    // Reassignments before the lead is escalated to the workspace owner instead.
    maxReassignments: integer("max_reassignments").notNull().default(2),
    // Who gets the lead when no member is eligible; null = the workspace owner rep.
    fallbackRepId: text("fallback_rep_id").references(() => rep.id, { onDelete: "set null" }),
    // How the next rep is chosen: weighted round robin, or the fewest open leads (ties by the rotation).
    strategy: text("strategy", { enum: POOL_STRATEGIES }).notNull().default("weighted"),
    // Who an SLA escalation goes to, tried in order (first one available); then the fallback, then the owner.
    escalationRepIds: text("escalation_rep_ids", { mode: "json" }).$type<string[]>().notNull().default([]),
    ...timestamps,
  },
  (t) => [
    // Loading a workspace's pools on every capture.
    index("pool_workspace_idx").on(t.workspaceId),
  ],
);

export const poolMember = sqliteTable(
  "pool_member",
  {
    poolId: text("pool_id")
      .notNull()
      .references(() => pool.id, { onDelete: "cascade" }),
    repId: text("rep_id")
      .notNull()
      .references(() => rep.id, { onDelete: "cascade" }),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.poolId, t.repId] }),
    // Loading all memberships of a workspace with its pools.
    index("pool_member_workspace_idx").on(t.workspaceId),
  ],
);
