import type { InStatement } from "@libsql/client/web";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { lead } from "../../../db/schema";
import { newId } from "../../lib/ids";
import { stmt } from "../../lib/statement";
import { sendSoon } from "../../outbox/send-now";
import { returnedIds, webhookStatement } from "../../outbox/webhook-statements";
import type { DomainContext } from "../context";
import { OPEN_STATUS_LIST, underCap } from "./assignment-guard";
import { decideOwner } from "./decide-owner";
import { handOverStatements, queuedAlertStatements } from "./hand-over";
import { loadRoutingContext, queueWatchers, type RoutingContext } from "./routing-context";

// Literal statuses, not bound parameters, so SQLite can use the partial index lead_unassigned_idx.
const QUEUED = and(isNull(lead.ownerRepId), sql`${lead.status} IN ${sql.raw(OPEN_STATUS_LIST)}`);

// Bounded per call so one drain stays well inside a request's limits; a later trigger (or cron) takes the rest.
export const QUEUE_DRAIN_BATCH = 50;
// Attempts per lead when a racing writer took the slot the rotation offered (the write re-checks caps).
const ATTEMPTS = 3;

export interface DrainResult {
  assigned: number;
  waiting: number;
}

/**
 * Hands the workspace's unowned open leads to whoever can take them now — oldest first, hot first when the
 * workspace says so — through the same decision as a capture (rotation, then available fallback). Called
 * when someone may have become able to take one: a rep resumes or is added, a lead closes, a capture lost
 * a cap race, and every cron tick (working hours beginning). Each assignment is a conditional write that
 * re-checks the cap and that the lead is still unowned, so concurrent drains never assign a lead twice.
 * A lead nobody can take stays queued and the workspace owner is alerted once.
 */
export async function drainUnassigned(
  ctx: DomainContext,
  workspaceId: string,
  given?: RoutingContext,
): Promise<DrainResult> {
  const { db } = ctx.database;
  const queued = await db
    .select()
    .from(lead)
    .where(and(eq(lead.workspaceId, workspaceId), QUEUED))
    .orderBy(asc(lead.createdAt), asc(lead.id))
    .limit(QUEUE_DRAIN_BATCH)
    .all();
  if (queued.length === 0) return { assigned: 0, waiting: 0 };
  const routing = given ?? (await loadRoutingContext(ctx, workspaceId)).routing;
  // A stable sort: hot leads first, each group still oldest first.
  if (routing.queueHotFirst) queued.sort((a, b) => Number(b.hot) - Number(a.hot));

  const now = ctx.now();
  const result: DrainResult = { assigned: 0, waiting: 0 };
  const alerts: InStatement[] = [];
  // Reps who lost a cap race in this drain, and pools where nobody could take a lead: later leads skip them.
  const full = new Set<string>();
  const exhausted = new Set<string | null>();
  for (const row of queued) {
    let placed = false;
    for (let attempt = 0; attempt < ATTEMPTS && !placed && !exhausted.has(row.poolId); attempt++) {
      const decision = await decideOwner(ctx, {
        workspaceId,
        routing,
        poolId: row.poolId,
        assignmentKey: `${row.id}:queue:${now}:${attempt}`,
        now,
        exclude: new Set([...row.passedRepIds, ...full]),
        hot: row.hot,
      });
      if (!decision.ownerRepId) {
        // Nobody at all (not merely passed reps of this lead): the pool's other queued leads cannot move either.
        if (row.passedRepIds.length === 0) exhausted.add(row.poolId);
        break;
      }
      const outcome = await assignQueued(ctx, row, decision.ownerRepId, now);
      placed = outcome === "assigned";
      if (placed) routing.openLeads.set(decision.ownerRepId, (routing.openLeads.get(decision.ownerRepId) ?? 0) + 1);
      else if (outcome === "at-cap") full.add(decision.ownerRepId);
      else break; // a concurrent drain or a person took it
    }
    if (placed) result.assigned++;
    else {
      result.waiting++;
      alerts.push(
        ...queuedAlertStatements({
          channels: ctx.channels,
          ws: workspaceId,
          lead: row,
          watcherRepIds: queueWatchers(routing),
          now,
        }),
      );
    }
  }
  // One write for every waiting lead's alert; each is keyed per lead, so only the first drain writes it.
  if (alerts.length > 0) {
    const results = await ctx.database.client.batch(alerts, "write");
    sendSoon(
      ctx,
      returnedIds(
        results,
        alerts.map((_, i) => i),
      ),
    );
  }
  return result;
}

/** One queued lead to one rep, if it is still unowned and open and the rep is still under their cap. */
async function assignQueued(
  ctx: DomainContext,
  row: typeof lead.$inferSelect,
  repId: string,
  now: number,
): Promise<"assigned" | "at-cap" | "taken"> {
  const eventId = newId("evt", now);
  const args = { ws: row.workspaceId, id: row.id, rep: repId, now, eventId };
  const owned = (id: string, rep: string) => `id = ${id} AND owner_rep_id = ${rep} AND assigned_at = :now`;
  const statements: InStatement[] = [
    stmt(
      `UPDATE lead SET owner_rep_id = :rep, assigned_at = :now, claimed_at = NULL, updated_at = :now
       WHERE workspace_id = :ws AND id = :id AND owner_rep_id IS NULL AND status IN ${OPEN_STATUS_LIST}
         AND ${underCap(":rep")}`,
      args,
    ),
    stmt(
      `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, created_at)
       SELECT :eventId, :ws, :id, 'assigned', 'system', NULL,
         json_object('repId', :rep, 'poolId', pool_id, 'reason', 'queue'), :now
       FROM lead WHERE ${owned(":id", ":rep")}`,
      args,
    ),
    ...handOverStatements({
      channels: ctx.channels,
      ws: row.workspaceId,
      lead: row,
      repId,
      reason: "queue",
      key: `alert:${row.id}:${eventId}`,
      now,
      condition: `EXISTS (SELECT 1 FROM lead WHERE ${owned(":leadId", ":repId")})`,
    }),
    webhookStatement({
      ws: row.workspaceId,
      leadId: row.id,
      type: "lead.assigned",
      eventId,
      now,
      extraData: `'repId', l.owner_rep_id, 'previousRepId', NULL`,
      condition: `l.owner_rep_id = :whRep AND l.assigned_at = :now`,
      args: { whRep: repId },
    }),
    stmt(`SELECT owner_rep_id IS NULL AND status IN ${OPEN_STATUS_LIST} AS waiting FROM lead WHERE id = :id`, args),
  ];
  const results = await ctx.database.client.batch(statements, "write");
  sendSoon(ctx, returnedIds(results, [2, 3, 4]));
  if ((results[0]?.rowsAffected ?? 0) > 0) return "assigned";
  return Number(results[5]?.rows[0]?.waiting ?? 0) === 1 ? "at-cap" : "taken";
}

/** Workspaces with a non-empty unassigned queue (the cron tick drains them: working hours may have begun). */
export async function workspacesWithQueue(ctx: DomainContext, limit: number): Promise<string[]> {
  const rows = await ctx.database.db
    .selectDistinct({ ws: lead.workspaceId })
    .from(lead)
    .where(QUEUED)
    // Random, so workspaces whose leads nobody can take never crowd out the others tick after tick.
    .orderBy(sql`random()`)
    .limit(limit)
    .all();
  return rows.map((r) => r.ws);
}
