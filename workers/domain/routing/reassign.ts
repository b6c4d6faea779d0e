import type { InStatement } from "@libsql/client/web";
import { stmt } from "../../lib/statement";
import { sendSoon } from "../../outbox/send-now";
import { webhookStatement } from "../../outbox/webhook-statements";
import { armSlaSoon } from "../../routing/sla-clock";
import type { Actor, DomainContext } from "../context";
import type { Lead } from "../leads/lead-row";
import { underCap } from "./assignment-guard";
import { decideOwner, firstAvailable } from "./decide-owner";
import { handOverStatements } from "./hand-over";
import { loadRoutingContext, poolSettings, queueWatchers, type RoutingContext } from "./routing-context";

export type ReassignReason = "pass" | "sla" | "manual" | "deactivated";

const sqlOf = (s: InStatement) => (typeof s === "string" ? s : s.sql);

/**
 * The alert to a rep the owner handed a lead to by name (assign to a rep, or PATCH ownerRepId), in the
 * batch of that change and only if the lead is theirs after it.
 */
export function ownerAlertStatements(a: {
  ws: string;
  lead: Pick<Lead, "id" | "name" | "phone" | "email" | "source">;
  repId: string;
  key: string;
  now: number;
}): InStatement[] {
  return handOverStatements({
    ...a,
    reason: "manual",
    condition: `EXISTS (SELECT 1 FROM lead WHERE workspace_id = :ws AND id = :leadId AND owner_rep_id = :repId)`,
  });
}

export interface ReassignOutcome {
  kind: "reassigned" | "escalated" | "unchanged";
  toRepId: string | null;
}

/**
 * Moves a lead on to the next eligible rep of its pool — never one who already passed or let the SLA
 * lapse — or, once the pool's reassignment budget is spent or nobody else can take it, escalates it along
 * the pool's escalation chain (then its fallback, then the workspace owner), to the first one available.
 * Nobody available: the lead waits unowned in the unassigned queue and the workspace owner and admins are
 * alerted. Keyed by the lead's reassignment number: the rotation and the deterministic event ids make a
 * retried or concurrent run a no-op instead of a second move.
 */
export async function reassignLead(
  ctx: DomainContext,
  lead: Pick<
    Lead,
    | "id"
    | "workspaceId"
    | "ownerRepId"
    | "poolId"
    | "reassignCount"
    | "passedRepIds"
    | "name"
    | "phone"
    | "email"
    | "source"
  >,
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
  const pool = poolSettings(routing, lead.poolId);
  // Never back to a rep who passed or let the deadline lapse, even when they head the chain.
  const escalateTo = moved
    ? null
    : firstAvailable(
        routing,
        [...pool.escalationRepIds, pool.fallbackRepId, routing.ownerRepId],
        opts.now,
        new Set(passed),
      );
  const args = {
    ws: lead.workspaceId,
    id: lead.id,
    count: lead.reassignCount,
    from: lead.ownerRepId,
    passed: JSON.stringify(passed),
    now: opts.now,
    actorType: opts.actor.type,
    actorId: opts.actor.id ?? null,
    to: moved?.ownerRepId ?? escalateTo,
  };
  // Only the run that still sees the lead as it was read moves it (compare-and-set on the count).
  // A move to a rep also re-checks their cap inside the write (assignment-guard.ts).
  const guard = `workspace_id = :ws AND id = :id AND reassign_count = :count AND owner_rep_id IS :from
    AND escalated_at IS NULL${moved ? ` AND ${underCap(":to")}` : ""}`;
  const event = (suffix: string, type: string, data: Record<string, unknown>): InStatement =>
    stmt(
      `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, created_at)
          SELECT :eventId, :ws, :id, :type, :actorType, :actorId, :data, :now
          WHERE EXISTS (SELECT 1 FROM lead WHERE ${guard})
          ON CONFLICT DO NOTHING`,
      { ...args, eventId: `evt_${lead.id.slice(5)}_${generation}${suffix}`, type, data: JSON.stringify(data) },
    );

  // The new owner hears about it in the same batch as the move, and only if the move happens.
  const alert = (repId: string | null, kind: "rep_alert" | "escalation", headline?: string): InStatement[] => {
    if (!repId) return [];
    return handOverStatements({
      ws: lead.workspaceId,
      lead,
      repId,
      reason: opts.reason,
      kind,
      ...(headline ? { headline } : {}),
      // Waiting with nobody available: one alert per lead, shared with the unassigned queue's.
      key: kind === "escalation" && !escalateTo ? `queued:${lead.id}:${repId}` : `alert:${lead.id}:${generation}`,
      now: opts.now,
      condition: `EXISTS (SELECT 1 FROM lead WHERE ${guard})`,
      conditionArgs: moved
        ? { id: lead.id, count: lead.reassignCount, from: lead.ownerRepId, to: moved.ownerRepId }
        : { id: lead.id, count: lead.reassignCount, from: lead.ownerRepId },
    });
  };
  const statements: InStatement[] = [];
  if (opts.reason === "pass") statements.push(event("p", "passed", { repId: lead.ownerRepId }));
  let outcome: ReassignOutcome;
  if (moved) {
    statements.push(
      event("r", "reassigned", {
        from: lead.ownerRepId,
        to: moved.ownerRepId,
        reason: opts.reason,
        skipped: moved.skipped,
      }),
      ...alert(moved.ownerRepId, "rep_alert"),
      stmt(
        `UPDATE lead SET owner_rep_id = :to, reassign_count = :count + 1, passed_rep_ids = :passed, assigned_at = :now,
                sla_due_at = :sla, claimed_at = NULL, updated_at = :now WHERE ${guard}`,
        { ...args, to: moved.ownerRepId, sla: moved.slaDueAt },
      ),
    );
    outcome = { kind: "reassigned", toRepId: moved.ownerRepId };
  } else {
    // Budget spent or nobody else eligible: the escalation chain takes it from here, or it waits unowned
    // (SLA clock stopped: it has been missed) while the workspace owner hears of it.
    const to = escalateTo;
    const why = budgetLeft ? "no other rep could take it" : `first response missed ${lead.reassignCount + 1} times`;
    statements.push(
      ...(to
        ? alert(to, "escalation", `Escalated to you: ${why}`)
        : queueWatchers(routing).flatMap((w) => alert(w, "escalation", `Lead waiting, nobody available: ${why}`))),
      event("e", "escalated", {
        from: lead.ownerRepId,
        to,
        reason: budgetLeft ? "no other eligible rep" : `SLA missed after ${lead.reassignCount} reassignments`,
        ...(decision ? { skipped: decision.skipped } : {}),
      }),
      stmt(
        `UPDATE lead SET owner_rep_id = :to, reassign_count = :count + 1, passed_rep_ids = :passed, escalated_at = :now,
                assigned_at = CASE WHEN :to IS NULL THEN assigned_at ELSE :now END, sla_due_at = NULL, updated_at = :now
         WHERE ${guard}`,
        { ...args, to },
      ),
    );
    outcome = { kind: "escalated", toRepId: to };
  }
  if (outcome.toRepId && outcome.toRepId !== lead.ownerRepId) {
    statements.push(
      webhookStatement({
        ws: lead.workspaceId,
        leadId: lead.id,
        type: "lead.assigned",
        eventId: `evt_${lead.id.slice(5)}_${generation}${outcome.kind === "reassigned" ? "r" : "e"}`,
        now: opts.now,
        extraData: `'repId', l.owner_rep_id, 'previousRepId', :from`,
        // After the UPDATE: only if this run made the move.
        condition: "l.reassign_count = :count + 1 AND l.owner_rep_id IS :to",
        args: { count: lead.reassignCount, from: lead.ownerRepId, to: outcome.toRepId },
      }),
    );
  }
  const moveAt = statements.length - (outcome.toRepId && outcome.toRepId !== lead.ownerRepId ? 2 : 1);
  const results = await ctx.database.client.batch(statements, "write");
  const alertIds = results.flatMap((r, i) =>
    /INSERT INTO outbox/.test(sqlOf(statements[i]!)) ? r.rows.map((row) => String(row.id)) : [],
  );
  sendSoon(ctx, alertIds);
  if (moved && results[moveAt]?.rowsAffected) armSlaSoon(ctx, lead.workspaceId, moved.slaDueAt);
  return results[moveAt]?.rowsAffected ? outcome : { kind: "unchanged", toRepId: lead.ownerRepId };
}
