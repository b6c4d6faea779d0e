import { and, eq, isNotNull, isNull, min } from "drizzle-orm";
import { lead } from "../../db/schema";
import type { DomainContext } from "../domain/context";
import { leadFromRow } from "../domain/leads/lead-row";
import { type ReassignOutcome, reassignLead } from "../domain/routing/reassign";
import { loadRoutingContext, type RoutingContext } from "../domain/routing/routing-context";

// Bounded per run so a tick stays well inside the Worker's limits; the rest waits for the next minute.
export const SLA_SWEEP_BATCH = 100;
// Per workspace per run: one workspace with a thousand lapsed leads cannot hold up the others' deadlines.
export const SLA_SWEEP_PER_WORKSPACE = 10;

const WAITING = `sla_due_at IS NOT NULL AND sla_due_at <= :now AND claimed_at IS NULL AND first_response_at IS NULL
  AND status = 'new'`;

/**
 * Leads whose owner neither claimed nor contacted them by the deadline move on to the next eligible
 * rep; after the pool's reassignment budget they are escalated along the pool's chain. Across workspaces
 * every workspace's oldest deadline goes before any one's second, at most SLA_SWEEP_PER_WORKSPACE each a run (cron);
 * given a workspace, only its own (its SLA timer's alarm).
 */
export async function slaSweep(
  ctx: DomainContext,
  now: number,
  workspaceId?: string,
): Promise<{ checked: number; outcomes: ReassignOutcome[] }> {
  const { rows } = await ctx.database.client.execute(
    workspaceId
      ? {
          sql: `SELECT * FROM lead WHERE workspace_id = :ws AND ${WAITING} ORDER BY sla_due_at LIMIT :batch`,
          args: { ws: workspaceId, now, batch: SLA_SWEEP_BATCH },
        }
      : {
          sql: `SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY workspace_id ORDER BY sla_due_at) AS turn
                FROM lead WHERE ${WAITING}) WHERE turn <= :perWorkspace ORDER BY turn, sla_due_at LIMIT :batch`,
          args: { now, batch: SLA_SWEEP_BATCH, perWorkspace: SLA_SWEEP_PER_WORKSPACE },
        },
  );
  const due = rows.map(leadFromRow);
  const routingByWorkspace = new Map<string, RoutingContext>();
  const outcomes: ReassignOutcome[] = [];
  for (const row of due) {
    let routing = routingByWorkspace.get(row.workspaceId);
    if (!routing) {
      routing = (await loadRoutingContext(ctx, row.workspaceId)).routing;
      routingByWorkspace.set(row.workspaceId, routing);
    }
    const outcome = await reassignLead(ctx, row, {
      reason: "sla",
      actor: { type: "system" },
      now,
      routing,
      hot: row.hot,
    });
    // Keep the cap counts current within this run.
    if (outcome.kind !== "unchanged" && outcome.toRepId) {
      routing.openLeads.set(outcome.toRepId, (routing.openLeads.get(outcome.toRepId) ?? 0) + 1);
    }
    outcomes.push(outcome);
  }
  return { checked: due.length, outcomes };
}

/** The workspace's earliest pending first-response deadline, if any (where its SLA timer sets its alarm). */
export async function nextSlaDue(ctx: DomainContext, workspaceId: string): Promise<number | null> {
  const row = await ctx.database.db
    .select({ at: min(lead.slaDueAt) })
    .from(lead)
    .where(
      and(
        eq(lead.workspaceId, workspaceId),
        isNotNull(lead.slaDueAt),
        isNull(lead.claimedAt),
        isNull(lead.firstResponseAt),
        eq(lead.status, "new"),
      ),
    )
    .get();
  return row?.at ?? null;
}
