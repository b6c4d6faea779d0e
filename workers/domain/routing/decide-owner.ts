import { eligibleReps, type SkipReason, skipReason } from "../../routing/availability";
import type { DomainContext } from "../context";
import { namedOwner } from "./named-owner";
import { poolReps, poolSettings, type RoutingContext } from "./routing-context";

export interface OwnerDecision {
  ownerRepId: string | null;
  poolId: string | null;
  /**
   * sticky: back to the previous owner · rotation: the pool's round robin · fallback: nobody eligible, the pool's
   * fallback · none: nobody at all · named: the caller chose the rep (an import)
   */
  reason: "sticky" | "rotation" | "fallback" | "none" | "named";
  /** rep id → why they were skipped (the timeline shows it when nobody was eligible) */
  skipped: Record<string, SkipReason>;
  /** The first-response deadline; it runs from capture even while nobody owns the lead. */
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
  /** the rep the caller names for a new lead (an import): theirs if they can own leads, without the rotation */
  namedRepId?: string | null | undefined;
  /** ask the rotation who is next without advancing it (the routing preview) */
  dryRun?: boolean;
}

export function slaDeadline(routing: RoutingContext, poolId: string | null, now: number, hot: boolean): number {
  const pool = poolSettings(routing, poolId);
  return now + (hot ? pool.hotSlaMinutes : pool.slaMinutes) * 60_000;
}

/**
 * The first of `repIds` who can take a lead now (active, not paused, on duty, under their cap) and is not
 * excluded: the last resort and the escalation chain respect availability like the rotation does. Weight
 * is not asked: weight 0 is how an owner stays out of the rotation while still catching what it cannot place.
 */
export function firstAvailable(
  routing: RoutingContext,
  repIds: (string | null | undefined)[],
  now: number,
  exclude: ReadonlySet<string> = new Set(),
): string | null {
  for (const id of repIds) {
    const rep = id ? routing.reps.find((r) => r.id === id) : undefined;
    if (!rep || exclude.has(rep.id)) continue;
    if (skipReason({ ...rep, weight: 1 }, routing.openLeads.get(rep.id) ?? 0, now, routing.timezone) === null)
      return rep.id;
  }
  return null;
}

/**
 * Who owns a lead now: sticky owner, else the pool's rotation among eligible reps, else the fallback if
 * available, else nobody (the lead waits in the unassigned queue). The write that stores the owner re-checks
 * the cap inside the database (assignment-guard.ts), so what is decided here can never overshoot it.
 */
export async function decideOwner(ctx: DomainContext, input: DecideOwnerInput): Promise<OwnerDecision> {
  const { routing, poolId, now } = input;
  const exclude = input.exclude ?? new Set<string>();
  const sla = slaDeadline(routing, poolId, now, input.hot ?? false);

  const named = input.namedRepId ? namedOwner(routing, input.namedRepId, poolId, now, input.hot ?? false) : null;
  if (named) return named;

  const sticky = input.stickyRepId ? routing.reps.find((r) => r.id === input.stickyRepId) : undefined;
  // The cap is not checked for the sticky owner: the lead is already counted against them.
  if (sticky && !exclude.has(sticky.id) && skipReason(sticky, 0, now, routing.timezone) === null) {
    return { ownerRepId: sticky.id, poolId, reason: "sticky", skipped: {}, slaDueAt: sla };
  }

  const { eligible, skipped } = eligibleReps(
    poolReps(routing, poolId),
    routing.openLeads,
    now,
    routing.timezone,
    exclude,
  );
  if (eligible.length > 0) {
    const request = {
      candidates: eligible.map((c) => ({ ...c, open: routing.openLeads.get(c.repId) ?? 0 })),
      strategy: poolSettings(routing, poolId).strategy,
    };
    const repId = input.dryRun
      ? await ctx.rotation.peek(input.workspaceId, poolId, request)
      : (await ctx.rotation.pick(input.workspaceId, poolId, { ...request, assignmentKey: input.assignmentKey })).repId;
    if (repId) return { ownerRepId: repId, poolId, reason: "rotation", skipped, slaDueAt: sla };
  }
  const fallback = firstAvailable(
    routing,
    [poolSettings(routing, poolId).fallbackRepId, routing.ownerRepId],
    now,
    exclude,
  );
  if (fallback) return { ownerRepId: fallback, poolId, reason: "fallback", skipped, slaDueAt: sla };
  return { ownerRepId: null, poolId, reason: "none", skipped, slaDueAt: sla };
}
