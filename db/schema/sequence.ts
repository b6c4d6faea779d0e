import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";
import { form } from "./form";
import { LEAD_SOURCES, lead } from "./lead";
import { pool } from "./pool";
import { workspace } from "./workspace";

export const STEP_SENDERS = ["email", "telegram", "whatsapp"] as const;
export type StepSender = (typeof STEP_SENDERS)[number];

/**
 * A follow-up sequence. A lead is enrolled when it is created and matches every attachment that is set
 * (form, source channel, pool); a sequence with none set takes every new lead of the workspace.
 */
export const sequence = sqliteTable(
  "sequence",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    formId: text("form_id").references(() => form.id, { onDelete: "cascade" }),
    source: text("source", { enum: LEAD_SOURCES }),
    // Leads routed to this pool (at capture) are enrolled.
    poolId: text("pool_id").references(() => pool.id, { onDelete: "cascade" }),
    // Local "HH:MM" in the workspace time zone; a step due inside [start, end) waits for `end`. Null = none.
    quietStart: text("quiet_start").default("21:00"),
    quietEnd: text("quiet_end").default("08:00"),
    // Owner-chosen stop conditions (opt-out, a closed lead and a switched-off sequence always stop).
    // Default on: sequences made before these settings existed keep stopping as they always did.
    stopOnReply: integer("stop_on_reply", { mode: "boolean" }).notNull().default(true),
    stopOnRepResponse: integer("stop_on_rep_response", { mode: "boolean" }).notNull().default(true),
    ...timestamps,
  },
  (t) => [
    // Capture: the workspace's active sequences matching a new lead (in the capture batch).
    index("sequence_workspace_active_idx").on(t.workspaceId, t.active),
  ],
);

export const sequenceStep = sqliteTable(
  "sequence_step",
  {
    id: text("id").primaryKey(),
    sequenceId: text("sequence_id")
      .notNull()
      .references(() => sequence.id, { onDelete: "cascade" }),
    workspaceId: text("workspace_id").notNull(),
    // 1-based order; `delay_minutes` counts from the previous step (from enrolment for the first).
    position: integer("position").notNull(),
    delayMinutes: integer("delay_minutes").notNull(),
    sender: text("sender", { enum: STEP_SENDERS }).notNull(),
    text: text("text"),
    subject: text("subject"),
    // WhatsApp approved template, used outside the 24-hour window (and only it, if `text` is null).
    template: text("template"),
    ...timestamps,
  },
  (t) => [
    // The scheduler's "step N of sequence S" lookup.
    uniqueIndex("sequence_step_position_uq").on(t.sequenceId, t.position),
  ],
);

export const ENROLLMENT_STATES = ["active", "done", "stopped"] as const;
export const STOP_REASONS = [
  "replied",
  "closed",
  "opted_out",
  "rep_took_over",
  "sequence_inactive",
  "unreachable",
  "step_failed",
] as const;
export type StopReason = (typeof STOP_REASONS)[number];

export const sequenceEnrollment = sqliteTable(
  "sequence_enrollment",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    sequenceId: text("sequence_id")
      .notNull()
      .references(() => sequence.id, { onDelete: "cascade" }),
    leadId: text("lead_id")
      .notNull()
      .references(() => lead.id, { onDelete: "cascade" }),
    nextPosition: integer("next_position").notNull().default(1),
    nextDueAt: integer("next_due_at"),
    state: text("state", { enum: ENROLLMENT_STATES }).notNull().default("active"),
    stopReason: text("stop_reason", { enum: STOP_REASONS }),
    enrolledAt: integer("enrolled_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    // A lead is enrolled in a sequence once, however often it re-inquires or a webhook is replayed.
    uniqueIndex("sequence_enrollment_lead_uq").on(t.sequenceId, t.leadId),
    // Scheduler (every cron tick): active enrolments whose next step is due. Partial: finished ones drop out.
    index("sequence_enrollment_due_idx").on(t.nextDueAt).where(sql`state = 'active'`),
    // Stop checks and the lead page: a lead's enrolments.
    index("sequence_enrollment_lead_idx").on(t.leadId),
  ],
);
