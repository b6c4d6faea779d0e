import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";
import { form } from "./form";
import { rep } from "./rep";
import { workspace } from "./workspace";

export const LEAD_STATUSES = ["new", "contacted", "qualified", "won", "lost", "unqualified", "spam"] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

// "import": a lead brought in from a CSV of existing leads in the console.
export const LEAD_SOURCES = ["form", "whatsapp", "telegram", "api", "import"] as const;
export type LeadSource = (typeof LEAD_SOURCES)[number];

export const lead = sqliteTable(
  "lead",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    formId: text("form_id").references(() => form.id, { onDelete: "set null" }),
    source: text("source", { enum: LEAD_SOURCES }).notNull(),
    status: text("status", { enum: LEAD_STATUSES }).notNull().default("new"),
    name: text("name"),
    // Normalized: E.164 phone, lower-cased email. Dedup keys within a workspace.
    phone: text("phone"),
    email: text("email"),
    telegramUserId: text("telegram_user_id"),
    // wa_id: the WhatsApp user's phone number in digits (may be empty for username adopters).
    whatsappId: text("whatsapp_id"),
    // WhatsApp business-scoped user id (BSUID, `user_id`): sent for every user, the only id of those
    // who adopted a username and hide their number.
    whatsappUserId: text("whatsapp_user_id"),
    message: text("message"),
    // Answers to the form's own fields (product interest, budget, ...).
    fields: text("fields", { mode: "json" }).$type<Record<string, string>>().notNull(),
    utmSource: text("utm_source"),
    utmMedium: text("utm_medium"),
    utmCampaign: text("utm_campaign"),
    utmTerm: text("utm_term"),
    utmContent: text("utm_content"),
    referrer: text("referrer"),
    pageUrl: text("page_url"),
    ownerRepId: text("owner_rep_id").references(() => rep.id, { onDelete: "set null" }),
    poolId: text("pool_id"),
    // First-response deadline of the current owner; cleared once they claim or contact the lead.
    slaDueAt: integer("sla_due_at"),
    reassignCount: integer("reassign_count").notNull().default(0),
    // Reps who passed or let the SLA lapse: never offered this lead again.
    passedRepIds: text("passed_rep_ids", { mode: "json" }).$type<string[]>().notNull().default([]),
    claimedAt: integer("claimed_at"),
    escalatedAt: integer("escalated_at"),
    score: integer("score"),
    // Why the score is what it is: [{ rule, label, points }] (workers/domain/capture/scoring.ts).
    scoreReasons: text("score_reasons", { mode: "json" }).$type<{ rule: string; label: string; points: number }[]>(),
    // score >= the workspace's hot threshold when it was scored; alerts and the dashboard flag it.
    hot: integer("hot", { mode: "boolean" }).notNull().default(false),
    notes: text("notes"),
    assignedAt: integer("assigned_at"),
    firstResponseAt: integer("first_response_at"),
    lastInboundAt: integer("last_inbound_at").notNull(),
    // The prospect asked not to be contacted (STOP, unsubscribe): no auto-reply or follow-up goes out.
    optedOutAt: integer("opted_out_at"),
    ...timestamps,
  },
  (t) => [
    // Dedup on capture: same phone / email / chat identity in a workspace is the same lead.
    uniqueIndex("lead_workspace_phone_uq").on(t.workspaceId, t.phone).where(sql`phone is not null`),
    uniqueIndex("lead_workspace_email_uq").on(t.workspaceId, t.email).where(sql`email is not null`),
    uniqueIndex("lead_workspace_telegram_uq")
      .on(t.workspaceId, t.telegramUserId)
      .where(sql`telegram_user_id is not null`),
    uniqueIndex("lead_workspace_whatsapp_uq").on(t.workspaceId, t.whatsappId).where(sql`whatsapp_id is not null`),
    uniqueIndex("lead_workspace_whatsapp_user_uq")
      .on(t.workspaceId, t.whatsappUserId)
      .where(sql`whatsapp_user_id is not null`),
    // Leads list: newest first within a workspace, optionally narrowed by status.
    index("lead_workspace_created_idx").on(t.workspaceId, t.createdAt),
    index("lead_workspace_status_created_idx").on(t.workspaceId, t.status, t.createdAt),
    // A rep's open leads (caps, /leads).
    index("lead_workspace_owner_status_idx").on(t.workspaceId, t.ownerRepId, t.status),
    // Unassigned queue: open leads without an owner, drained oldest first. Partial: the queue is usually empty.
    index("lead_unassigned_idx")
      .on(t.workspaceId, t.createdAt)
      .where(sql`owner_rep_id is null and status in ('new', 'contacted', 'qualified')`),
    // SLA sweep: leads whose first-response deadline has passed. Partial, so it holds only waiting leads.
    index("lead_sla_due_idx").on(t.slaDueAt).where(sql`sla_due_at is not null`),
  ],
);
