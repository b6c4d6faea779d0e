import { type OwnerDecision, slaDeadline } from "./decide-owner";
import type { RoutingContext } from "./routing-context";

/**
 * An owner the caller names instead of the rotation: an import of leads a rep already works. Any active rep of
 * the workspace may be named (working hours and pauses are about new work, not leads they hold); the write still
 * re-checks their cap, so a full rep's leads wait in the unassigned queue. Null when that rep cannot own leads.
 */
export function namedOwner(
  routing: RoutingContext,
  repId: string,
  poolId: string | null,
  now: number,
  hot: boolean,
): OwnerDecision | null {
  const rep = routing.reps.find((r) => r.id === repId);
  if (!rep?.active) return null;
  return { ownerRepId: rep.id, poolId, reason: "named", skipped: {}, slaDueAt: slaDeadline(routing, poolId, now, hot) };
}
