import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { workspace } from "./workspace";

// Who changed a setting, and what: never the values themselves, so no secret or personal data lands here.
export const auditEvent = sqliteTable(
  "audit_event",
  {
    // Time-ordered ids: newest first is `ORDER BY id DESC`, and the id is the page cursor.
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    // "person" (a console session) or "api" (a key); the id is the person's or key's.
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id").notNull(),
    // "<resource>.<verb>", e.g. "form.updated", "api_key.rotate".
    action: text("action").notNull(),
    resourceType: text("resource_type").notNull(),
    resourceId: text("resource_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("audit_event_workspace_idx").on(t.workspaceId, t.id)],
);
