import type { InStatement } from "@libsql/client/web";
import type { Actor, DomainContext } from "./context";
import { decideOwner } from "./decide-owner";
import type { Lead } from "./lead-row";
import { loadRoutingContext, poolSettings, type RoutingContext } from "./routing-context";

export type ReassignReason = "pass" | "sla" | "manual";

export interface ReassignOutcome {
  kind: "reassigned" | "escalated" | "unchanged";
  toRepId: string | null;
}

/**
 * Moves a lead on to the next eligible rep of its pool — never one who already passed or let the SLA
 * lapse — or, once the pool's reassignment budget is spent or nobody else can take it, escalates it to
 * the workspace owner. Keyed by the lead's reassignment number: the rotation and the deterministic event
 * ids make a retried or concurrent run a no-op instead of a second move.
 */
export async function reassignLead(
  ctx: DomainContext,
  lead: Pick<Lead, "id" | "workspaceId" | "ownerRepId" | "poolId" | "reassignCount" | "passedRepIds">,
  opts: { reason: ReassignReason; actor: Actor; now: number; routing?: RoutingContext; hot?: boolean },
): Promise<ReassignOutcome> {
  const routing = opts.routing ?? (await loadRoutingContext(ctx, lead.workspaceId)).routing;
  const passed = [...new Set([...lead.passedRepIds, ...(lead.ownerRepId ? [lead.ownerRepId] : [])])];
  const generation = lead.reassignCount + 1;
  const budgetLeft = opts.reason !== "sla" || lead.reassignCount < poolSettings(routing, lead.poolId).maxReassignments;

  const decision = budgetLeft
    ? await decideOwner(ctx, {
        workspaceId: lead.workspaceId,
        routing,
        poolId: lead.poolId,
        assignmentKey: `${lead.id}#${generation}`,
        now: opts.now,
        exclude: new Set(passed),
        hot: opts.hot ?? false,
      })
    : null;
  const moved = decision && decision.reason === "rotation" ? decision : null;
  const args = {
    ws: lead.workspaceId,
    id: lead.id,
    count: lead.reassignCount,
    from: lead.ownerRepId,
    passed: JSON.stringify(passed),
    now: opts.now,
    actorType: opts.actor.type,
    actorId: opts.actor.id ?? null,
  };
  // Only the run that still sees the lead as it was read moves it (compare-and-set on the count).
  const guard = `workspace_id = :ws AND id = :id AND reassign_count = :count AND owner_rep_id IS :from AND escalated_at IS NULL`;
  const event = (suffix: string, type: string, data: Record<string, unknown>): InStatement => ({
    sql: `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, created_at)
          SELECT :eventId, :ws, :id, :type, :actorType, :actorId, :data, :now
          WHERE EXISTS (SELECT 1 FROM lead WHERE ${guard})
          ON CONFLICT DO NOTHING`,
    args: { ...args, eventId: `evt_${lead.id.slice(5)}_${generation}${suffix}`, type, data: JSON.stringify(data) },
  });

  const statements: InStatement[] = [];
  if (opts.reason === "pass") statements.push(event("p", "passed", { repId: lead.ownerRepId }));
  let outcome: ReassignOutcome;
  if (moved) {
    statements.push(
      event("r", "reassigned", { from: lead.ownerRepId, to: moved.ownerRepId, reason: opts.reason, skipped: moved.skipped }),
      {
        sql: `UPDATE lead SET owner_rep_id = :to, reassign_count = :count + 1, passed_rep_ids = :passed, assigned_at = :now,
                sla_due_at = :sla, claimed_at = NULL, updated_at = :now WHERE ${guard}`,
        args: { ...args, to: moved.ownerRepId, sla: moved.slaDueAt },
      },
    );
    outcome = { kind: "reassigned", toRepId: moved.ownerRepId };
  } else {
    // Budget spent or nobody else eligible: the owner (or the pool's fallback) takes it from here.
    const to = decision?.ownerRepId ?? routing.ownerRepId ?? lead.ownerRepId;
    statements.push(
      event("e", "escalated", {
        from: lead.ownerRepId,
        to,
        reason: budgetLeft ? "no other eligible rep" : `SLA missed after ${lead.reassignCount} reassignments`,
        ...(decision ? { skipped: decision.skipped } : {}),
      }),
      {
        sql: `UPDATE lead SET owner_rep_id = :to, reassign_count = :count + 1, passed_rep_ids = :passed, escalated_at = :now,
                sla_due_at = NULL, updated_at = :now WHERE ${guard}`,
        args: { ...args, to },
      },
    );
    outcome = { kind: "escalated", toRepId: to };
  }
  const results = await ctx.database.client.batch(statements, "write");
  return results.at(-1)?.rowsAffected ? outcome : { kind: "unchanged", toRepId: lead.ownerRepId };
}
