import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { lead } from "./lead";
import { workspace } from "./workspace";

export const LEAD_EVENT_TYPES = [
  "created",
  "re-inquiry",
  "status_changed",
  "owner_changed",
  "note",
  "assigned",
  "reassigned",
  "unassigned",
  "claimed",
  "passed",
  "escalated",
  // A prospect's message after capture (Telegram chat), `data.text`; `data.media` for photos, voice, …;
  // `data.edited` when it is an edit of an earlier message.
  "message",
  // A message to the prospect that could not be delivered (`data.outboxId`, `data.error`, `data.text`).
  "delivery_failed",
  // Another lead of the same person was folded into this one (`data.from`): e.g. a Telegram chat whose
  // verified phone matched a form lead.
  "merged",
  // The person's data was erased on request (GDPR/CCPA): the lead stays as an anonymous count.
  "erased",
  // A won or lost lead wrote again and the workspace reopens such leads: back to `new` (`data.fromStatus`).
  "reopened",
] as const;
export type LeadEventType = (typeof LEAD_EVENT_TYPES)[number];

export const ACTOR_TYPES = ["system", "owner", "rep", "prospect", "api", "person"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export const leadEvent = sqliteTable(
  "lead_event",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    leadId: text("lead_id")
      .notNull()
      .references(() => lead.id, { onDelete: "cascade" }),
    type: text("type").$type<LeadEventType>().notNull(),
    actorType: text("actor_type", { enum: ACTOR_TYPES }).notNull(),
    actorId: text("actor_id"),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    // Set by at-least-once channels (webhook message ids): the same delivery never records twice.
    dedupKey: text("dedup_key"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    // Lead timeline, oldest first.
    index("lead_event_lead_created_idx").on(t.leadId, t.createdAt),
    // Replayed webhook deliveries are dropped by this constraint.
    uniqueIndex("lead_event_dedup_uq").on(t.workspaceId, t.dedupKey).where(sql`dedup_key is not null`),
  ],
);
