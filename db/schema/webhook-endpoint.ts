import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";
import { workspace } from "./workspace";

export const WEBHOOK_EVENTS = ["lead.created", "lead.assigned", "lead.status_changed", "lead.erased"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** An owner's HTTPS endpoint that receives lead events, signed with its own secret (HMAC-SHA256). */
export const webhookEndpoint = sqliteTable(
  "webhook_endpoint",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    // Stored as is: the Worker must sign with it. Shown to the owner once, at creation.
    secret: text("secret").notNull(),
    events: text("events", { mode: "json" }).$type<WebhookEventType[]>().notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    ...timestamps,
  },
  (t) => [
    // Fan-out of one lead event to the workspace's endpoints, and the owner's list.
    index("webhook_endpoint_workspace_idx").on(t.workspaceId),
  ],
);
