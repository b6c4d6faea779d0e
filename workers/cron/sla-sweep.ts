import { and, asc, eq, isNotNull, isNull, lte } from "drizzle-orm";
import { lead } from "../../db/schema";
import type { DomainContext } from "../domain/context";
import { reassignLead, type ReassignOutcome } from "../domain/reassign";
import { loadRoutingContext, type RoutingContext } from "../domain/routing-context";

// Bounded per run so a tick stays well inside the Worker's limits; the rest waits for the next minute.
export const SLA_SWEEP_BATCH = 50;

/**
 * Leads whose owner neither claimed nor contacted them by the deadline move on to the next eligible
 * rep; after the pool's reassignment budget they are escalated to the workspace owner.
 */
export async function slaSweep(ctx: DomainContext, now: number): Promise<{ checked: number; outcomes: ReassignOutcome[] }> {
  const due = await ctx.database.db
    .select()
    .from(lead)
    .where(and(isNotNull(lead.slaDueAt), lte(lead.slaDueAt, now), isNull(lead.claimedAt), isNull(lead.firstResponseAt), eq(lead.status, "new")))
    .orderBy(asc(lead.slaDueAt))
    .limit(SLA_SWEEP_BATCH)
    .all();
  const routingByWorkspace = new Map<string, RoutingContext>();
  const outcomes: ReassignOutcome[] = [];
  for (const row of due) {
    let routing = routingByWorkspace.get(row.workspaceId);
    if (!routing) {
      routing = (await loadRoutingContext(ctx, row.workspaceId)).routing;
      routingByWorkspace.set(row.workspaceId, routing);
    }
    const outcome = await reassignLead(ctx, row, { reason: "sla", actor: { type: "system" }, now, routing, hot: row.hot });
    // Keep the cap counts current within this run.
    if (outcome.kind !== "unchanged" && outcome.toRepId) {
      routing.openLeads.set(outcome.toRepId, (routing.openLeads.get(outcome.toRepId) ?? 0) + 1);
    }
    outcomes.push(outcome);
  }
  return { checked: due.length, outcomes };
}
