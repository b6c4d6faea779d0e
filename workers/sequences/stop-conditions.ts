import type { LeadStatus, StopReason } from "../../db/schema";

const CLOSED: ReadonlySet<LeadStatus> = new Set(["won", "lost", "unqualified", "spam"]);

export interface StopFacts {
  status: LeadStatus;
  firstResponseAt: number | null;
  lastInboundAt: number;
  optedOutAt: number | null;
  enrolledAt: number;
  sequenceActive: boolean;
  /** The sequence's settings: whether the prospect writing again, or a rep taking over, ends it. */
  stopOnReply: boolean;
  stopOnRepResponse: boolean;
}

/**
 * Why a sequence must not send its next step, or null to go on. Checked each time a step falls due:
 * - opted_out: the prospect said stop (lead.opted_out_at);
 * - closed: status won / lost / unqualified / spam;
 * - replied: the prospect wrote again after enrolment (last_inbound_at moves on every inbound message
 *   and re-inquiry, see captureLead) — unless the owner turned stop-on-reply off;
 * - rep_took_over: a human is working the lead, i.e. status moved past `new` (contacted, qualified) or a
 *   first response was recorded — automated nudges would talk over the rep; unless turned off;
 * - sequence_inactive: the owner switched the sequence off.
 * Opt-out, closed and inactive are not settings: opting out is the prospect's right, and a closed lead or a
 * switched-off sequence has nothing left to follow up.
 */
export function stopReason(f: StopFacts): StopReason | null {
  if (f.optedOutAt !== null) return "opted_out";
  if (CLOSED.has(f.status)) return "closed";
  if (f.stopOnReply && f.lastInboundAt > f.enrolledAt) return "replied";
  if (f.stopOnRepResponse && (f.status !== "new" || f.firstResponseAt !== null)) return "rep_took_over";
  if (!f.sequenceActive) return "sequence_inactive";
  return null;
}
