import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";
import type { LeadSource } from "./lead";
import { pool } from "./pool";
import { workspace } from "./workspace";

/** Every listed criterion must match (AND); within one criterion any listed value matches (OR). */
export interface RuleMatch {
  sources?: LeadSource[];
  formIds?: string[];
  /** ISO alpha-2 countries of the lead's phone number */
  countries?: string[];
  /** form/field answers, e.g. { "product": ["solar", "battery"], "language": ["es"] } */
  fields?: Record<string, string[]>;
  /** region / state / province as the form asked it (field region, state or province), e.g. ["CA", "Texas"] */
  regions?: string[];
  /** postal-code prefixes (field zip, postal_code, postcode), e.g. ["941", "SW1"]; spaces and case ignored */
  postalPrefixes?: string[];
  /** OR-groups: besides the criteria above, at least one of these groups must match in full */
  any?: Omit<RuleMatch, "any">[];
}

export const routingRule = sqliteTable(
  "routing_rule",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // Rules are tried in ascending position; the first match wins.
    position: integer("position").notNull(),
    match: text("match", { mode: "json" }).$type<RuleMatch>().notNull(),
    poolId: text("pool_id")
      .notNull()
      .references(() => pool.id, { onDelete: "cascade" }),
    ...timestamps,
  },
  (t) => [
    // Loading a workspace's rules in order on every capture.
    index("routing_rule_workspace_position_idx").on(t.workspaceId, t.position),
  ],
);
