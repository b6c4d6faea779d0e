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
    // After a rotation the old secret keeps signing (a second `v1=`) until this instant, so receivers can
    // switch secrets without dropping a delivery.
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: integer("previous_secret_expires_at"),
    events: text("events", { mode: "json" }).$type<WebhookEventType[]>().notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    ...timestamps,
  },
  (t) => [
    // Fan-out of one lead event to the workspace's endpoints, and the owner's list.
    index("webhook_endpoint_workspace_idx").on(t.workspaceId),
  ],
);

export const WEBHOOK_DELIVERY_OUTCOMES = ["sent", "retry", "failed", "skipped"] as const;

/**
 * One attempt to deliver to an endpoint and what came back: the console's "last deliveries". Written in the
 * batch that records the outbox row's outcome; only the newest per endpoint are kept
 * (workers/outbox/webhook-delivery-log.ts).
 */
export const webhookDelivery = sqliteTable(
  "webhook_delivery",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoint.id, { onDelete: "cascade" }),
    outboxId: text("outbox_id"),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    // The receiver's HTTP status; null when no answer came (network error, timeout, refused URL).
    statusCode: integer("status_code"),
    // What the outbox recorded for this attempt (retry: it goes again later, or gave up at the last try).
    outcome: text("outcome", { enum: WEBHOOK_DELIVERY_OUTCOMES }).notNull(),
    error: text("error"),
    attemptedAt: integer("attempted_at").notNull(),
  },
  (t) => [
    // An endpoint's newest deliveries (the console list, and trimming to the newest per endpoint).
    index("webhook_delivery_endpoint_idx").on(t.endpointId, t.attemptedAt),
  ],
);
