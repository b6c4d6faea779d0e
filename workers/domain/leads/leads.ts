import { z } from "@hono/zod-openapi";
import type { InStatement, InValue } from "@libsql/client/web";
import { and, asc, desc, eq, gte, isNull, like, lt, or, type SQL, sql } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { LEAD_SOURCES, LEAD_STATUSES, lead, leadEvent } from "../../../db/schema";
import { AppError } from "../../errors";
import { newId } from "../../lib/ids";
import { sendSoon } from "../../outbox/send-now";
import { returnedIds, webhookStatement } from "../../outbox/webhook-statements";
import type { Actor, Scope } from "../context";
import { requireAssignable } from "../routing/assignable";
import { ownerAlertStatements } from "../routing/reassign";
import { isOpenStatus } from "../routing/routing-context";
import { drainUnassigned } from "../routing/unassigned-queue";
import { type LeadMessage, leadMessages, outboundMessagesQuery } from "./lead-messages";
import { type Lead, leadFromRow } from "./lead-row";

export type LeadEvent = typeof leadEvent.$inferSelect;

/** `?status=new,contacted` or repeated — either way a list of enum values. */
const csvEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)))
    .optional();

const DateBound = z
  .union([
    z
      .string()
      .regex(/^\d{1,16}$/)
      .transform(Number),
    z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
    z.iso.date().transform((s) => Date.parse(`${s}T00:00:00Z`)),
  ])
  .optional()
  .openapi({ description: "epoch ms, ISO date (UTC midnight) or ISO date-time", type: "string" });

/** A lead list's filter as a query string gives it (the API's list and export, the console's list). */
export const LeadListQuery = z.object({
  status: csvEnum(LEAD_STATUSES).openapi({ type: "string", example: "new,contacted" }),
  source: csvEnum(LEAD_SOURCES).openapi({ type: "string", example: "form" }),
  owner: z.string().max(64).optional().openapi({ description: 'rep id, or "none" for unassigned' }),
  from: DateBound,
  to: DateBound,
  q: z.string().trim().min(1).max(200).optional().openapi({ description: "matches name, email, phone, message" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional(),
});

export type LeadFilter = z.output<typeof LeadListQuery> & {
  /** A rep signed in to the console: their own leads only (and nobody's, when the workspace allows). */
  visibleTo?: LeadVisibility | undefined;
};

export interface LeadVisibility {
  repId: string | null;
  unassigned: boolean;
}

/** The leads a rep may see and work: theirs, plus the unassigned queue when the workspace allows it. */
export function visibleLeadsWhere(v: LeadVisibility): SQL | undefined {
  const mine = v.repId ? eq(lead.ownerRepId, v.repId) : sql`0`;
  return v.unassigned ? or(mine, isNull(lead.ownerRepId)) : mine;
}

export function leadVisible(v: LeadVisibility | undefined, l: { ownerRepId: string | null }): boolean {
  return !v || (v.repId !== null && l.ownerRepId === v.repId) || (v.unassigned && l.ownerRepId === null);
}

// Cursor = "<created_at>.<id>" of the last row seen: stable while new leads keep arriving on top.
function decodeCursor(cursor: string): { createdAt: number; id: string } {
  const m = /^(\d{1,16})\.([A-Za-z0-9_]{1,64})$/.exec(cursor);
  if (!m) throw AppError.validation({ cursor: "Not a cursor returned by this API." });
  return { createdAt: Number(m[1]), id: m[2]! };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** The WHERE of a lead list (API and console share it), always scoped to the workspace. */
export function leadConditions(workspaceId: string, filter: Omit<LeadFilter, "limit" | "cursor">): (SQL | undefined)[] {
  const where: (SQL | undefined)[] = [eq(lead.workspaceId, workspaceId)];
  if (filter.status?.length) where.push(sql`${lead.status} IN ${filter.status}`);
  if (filter.source?.length) where.push(sql`${lead.source} IN ${filter.source}`);
  if (filter.owner) where.push(filter.owner === "none" ? isNull(lead.ownerRepId) : eq(lead.ownerRepId, filter.owner));
  if (filter.visibleTo) where.push(visibleLeadsWhere(filter.visibleTo));
  if (filter.from !== undefined) where.push(gte(lead.createdAt, filter.from));
  if (filter.to !== undefined) where.push(lt(lead.createdAt, filter.to));
  if (filter.q) {
    const pattern = `%${escapeLike(filter.q.toLowerCase())}%`;
    const col = (c: SQL | AnySQLiteColumn) => sql`lower(coalesce(${c}, '')) LIKE ${pattern} ESCAPE '\\'`;
    where.push(or(col(lead.name), col(lead.email), col(lead.phone), col(lead.message), like(lead.id, pattern)));
  }
  return where;
}

export async function listLeads({ ctx, workspace }: Scope, filter: LeadFilter) {
  const where = leadConditions(workspace.id, filter);
  if (filter.cursor) {
    const c = decodeCursor(filter.cursor);
    where.push(or(lt(lead.createdAt, c.createdAt), and(eq(lead.createdAt, c.createdAt), lt(lead.id, c.id))));
  }
  const rows = await ctx.database.db
    .select()
    .from(lead)
    .where(and(...where))
    .orderBy(desc(lead.createdAt), desc(lead.id))
    .limit(filter.limit + 1)
    .all();
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return { data: page, nextCursor: rows.length > filter.limit && last ? `${last.createdAt}.${last.id}` : null };
}

export async function getLead(
  { ctx, workspace }: Scope,
  id: string,
): Promise<{ lead: Lead; events: LeadEvent[]; messages: LeadMessage[] }> {
  const { db } = ctx.database;
  // All reads in one round trip; the event and message queries are scoped by workspace too, not just by lead id.
  const [rows, events, sent] = await db.batch([
    db
      .select()
      .from(lead)
      .where(and(eq(lead.workspaceId, workspace.id), eq(lead.id, id))),
    db
      .select()
      .from(leadEvent)
      .where(and(eq(leadEvent.workspaceId, workspace.id), eq(leadEvent.leadId, id)))
      .orderBy(asc(leadEvent.createdAt), asc(leadEvent.id)),
    outboundMessagesQuery(ctx, workspace.id, id),
  ]);
  const found = rows[0];
  if (!found) throw AppError.notFound("Lead");
  return { lead: found, events, messages: leadMessages(found.source, events, sent) };
}

export const LeadPatch = z.object({
  status: z.enum(LEAD_STATUSES).optional(),
  ownerRepId: z.string().max(64).nullable().optional(),
  notes: z.string().max(10_000).nullable().optional(),
  force: z.boolean().optional().openapi({ description: "assign to a paused, away or at-cap rep anyway" }),
});
export type LeadPatch = z.infer<typeof LeadPatch>;

/** Status, owner and notes changes, each recorded on the timeline with its actor, in one batch. */
export async function updateLead({ ctx, workspace }: Scope, id: string, patch: LeadPatch, actor: Actor) {
  const { db } = ctx.database;
  const current = await getLead({ ctx, workspace }, id);
  const before = current.lead;
  if (patch.ownerRepId && patch.ownerRepId !== before.ownerRepId) {
    await requireAssignable(ctx, workspace.id, patch.ownerRepId, { force: patch.force, field: "ownerRepId" });
  }
  const now = ctx.now();
  const events: (typeof leadEvent.$inferInsert)[] = [];
  const event = (type: LeadEvent["type"], data: Record<string, unknown>) =>
    events.push({
      id: newId("evt", now),
      workspaceId: workspace.id,
      leadId: id,
      type,
      actorType: actor.type,
      actorId: actor.id ?? null,
      data,
      dedupKey: null,
      createdAt: now,
    });

  const set: Partial<typeof lead.$inferInsert> = { updatedAt: now };
  if (patch.status !== undefined && patch.status !== before.status) {
    set.status = patch.status;
    event("status_changed", { from: before.status, to: patch.status });
    // First response = the first move out of `new` by a human (contacted, qualified, ...); it stops the SLA clock.
    if (before.firstResponseAt === null && before.status === "new") set.firstResponseAt = now;
    if (patch.status !== "new") set.slaDueAt = null;
  }
  if (patch.ownerRepId !== undefined && patch.ownerRepId !== before.ownerRepId) {
    set.ownerRepId = patch.ownerRepId;
    set.assignedAt = patch.ownerRepId ? now : null;
    event("owner_changed", { from: before.ownerRepId, to: patch.ownerRepId, reason: "manual" });
  }
  if (patch.notes !== undefined && patch.notes !== before.notes) {
    set.notes = patch.notes;
    event("note", { notes: patch.notes });
  }
  if (events.length === 0) return current;

  // Drizzle builds the update and the events; the webhook rows are raw SQL. All go in one batch.
  const built = (q: { toSQL(): { sql: string; params: unknown[] } }): InStatement => {
    const { sql: text, params } = q.toSQL();
    return { sql: text, args: params as InValue[] };
  };
  const statusEvent = events.find((e) => e.type === "status_changed");
  const ownerEvent = events.find((e) => e.type === "owner_changed");
  const webhooks = [
    ...(statusEvent
      ? [
          webhookStatement({
            ws: workspace.id,
            leadId: id,
            type: "lead.status_changed",
            eventId: statusEvent.id,
            now,
            extraData: `'from', :from, 'to', l.status`,
            args: { from: before.status },
          }),
        ]
      : []),
    ...(ownerEvent && set.ownerRepId
      ? [
          webhookStatement({
            ws: workspace.id,
            leadId: id,
            type: "lead.assigned",
            eventId: ownerEvent.id,
            now,
            extraData: `'repId', l.owner_rep_id, 'previousRepId', :from`,
            args: { from: before.ownerRepId },
          }),
        ]
      : []),
  ];
  // A new owner is alerted in their app (with the buttons) like any other reassignment.
  const alerts =
    ownerEvent && set.ownerRepId
      ? ownerAlertStatements({
          ws: workspace.id,
          lead: before,
          repId: set.ownerRepId,
          key: `alert:${id}:${ownerEvent.id}`,
          now,
        })
      : [];
  const results = await ctx.database.client.batch(
    [
      built(
        db
          .update(lead)
          .set(set)
          .where(and(eq(lead.workspaceId, workspace.id), eq(lead.id, id)))
          .returning(),
      ),
      built(db.insert(leadEvent).values(events)),
      ...webhooks,
      ...alerts,
    ],
    "write",
  );
  sendSoon(
    ctx,
    returnedIds(
      results,
      [...webhooks, ...alerts].map((_, i) => 2 + i),
    ),
  );
  // A closed lead frees a slot under its owner's cap: the unassigned queue may move.
  if (set.status && !isOpenStatus(set.status) && before.ownerRepId) await drainUnassigned(ctx, workspace.id);
  const row = results[0]?.rows[0];
  return { lead: row ? leadFromRow(row) : before, events: [...current.events, ...(events as LeadEvent[])] };
}
