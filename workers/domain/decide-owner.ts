import { eligibleReps, skipReason, type SkipReason } from "../routing/availability";
import type { DomainContext } from "./context";
import { poolReps, poolSettings, type RoutingContext } from "./routing-context";

export interface OwnerDecision {
  ownerRepId: string | null;
  poolId: string | null;
  /** sticky: back to the previous owner · rotation: the pool's round robin · fallback: nobody eligible, the pool's fallback · none: nobody at all */
  reason: "sticky" | "rotation" | "fallback" | "none";
  /** rep id → why they were skipped (the timeline shows it when nobody was eligible) */
  skipped: Record<string, SkipReason>;
  slaDueAt: number | null;
}

export interface DecideOwnerInput {
  workspaceId: string;
  routing: RoutingContext;
  poolId: string | null;
  /** lead id, or lead id + generation for reassignments: the rotation's idempotency key */
  assignmentKey: string;
  now: number;
  /** the previous owner, who gets the lead back when eligible */
  stickyRepId?: string | null;
  /** reps who passed or let the SLA lapse */
  exclude?: ReadonlySet<string>;
  hot?: boolean;
}

export function slaDeadline(routing: RoutingContext, poolId: string | null, now: number, hot: boolean): number {
  const pool = poolSettings(routing, poolId);
  return now + (hot ? pool.hotSlaMinutes : pool.slaMinutes) * 60_000;
}

/** Who owns a lead now: sticky owner, else the pool's rotation among eligible reps, else the fallback. */
export async function decideOwner(ctx: DomainContext, input: DecideOwnerInput): Promise<OwnerDecision> {
  const { routing, poolId, now } = input;
  const exclude = input.exclude ?? new Set<string>();
  const sla = slaDeadline(routing, poolId, now, input.hot ?? false);

  const sticky = input.stickyRepId ? routing.reps.find((r) => r.id === input.stickyRepId) : undefined;
  // The cap is not checked for the sticky owner: the lead is already counted against them.
  if (sticky && !exclude.has(sticky.id) && skipReason(sticky, 0, now, routing.timezone) === null) {
    return { ownerRepId: sticky.id, poolId, reason: "sticky", skipped: {}, slaDueAt: sla };
  }

  const { eligible, skipped } = eligibleReps(poolReps(routing, poolId), routing.openLeads, now, routing.timezone, exclude);
  if (eligible.length > 0) {
    const picked = await ctx.rotation.pick(input.workspaceId, poolId, { assignmentKey: input.assignmentKey, candidates: eligible });
    if (picked.repId) return { ownerRepId: picked.repId, poolId, reason: "rotation", skipped, slaDueAt: sla };
  }
  const fallback = poolSettings(routing, poolId).fallbackRepId ?? routing.ownerRepId;
  if (fallback && !exclude.has(fallback)) return { ownerRepId: fallback, poolId, reason: "fallback", skipped, slaDueAt: sla };
  return { ownerRepId: null, poolId, reason: "none", skipped, slaDueAt: null };
}
