import { eligibleReps, type SkipReason } from "../../routing/availability";
import type { Scope } from "../context";
import type { Lead } from "../leads/lead-row";
import { loadRoutingContext, poolReps } from "./routing-context";

/** Why a rep cannot take a lead, in the words the owner's console shows. */
export const SKIP_REASON_TEXT: Record<SkipReason, string> = {
  inactive: "deactivated",
  paused: "paused",
  "zero-weight": "gets no leads (weight 0)",
  "on-vacation": "on vacation",
  "off-hours": "outside working hours",
  "at-cap": "at their open-lead limit",
  passed: "already passed this lead or missed its deadline",
};

export interface OwnerCandidates {
  eligible: { id: string; name: string }[];
  skipped: { id: string; name: string; reason: string }[];
}

/**
 * Who can take this lead now, by the same rules the rotation applies (the lead's pool, availability, caps,
 * reps who passed it): the console offers only these, and says for the others why not.
 */
export async function ownerCandidates(
  { ctx, workspace }: Scope,
  lead: Pick<Lead, "poolId" | "passedRepIds" | "ownerRepId">,
): Promise<OwnerCandidates> {
  const { routing } = await loadRoutingContext(ctx, workspace.id);
  const reps = poolReps(routing, lead.poolId).filter((r) => r.id !== lead.ownerRepId);
  const { eligible, skipped } = eligibleReps(
    reps,
    routing.openLeads,
    ctx.now(),
    routing.timezone,
    new Set(lead.passedRepIds),
  );
  const name = new Map(routing.reps.map((r) => [r.id, r.name]));
  return {
    eligible: eligible.map((e) => ({ id: e.repId, name: name.get(e.repId) ?? e.repId })),
    skipped: Object.entries(skipped).map(([id, reason]) => ({
      id,
      name: name.get(id) ?? id,
      reason: SKIP_REASON_TEXT[reason],
    })),
  };
}
