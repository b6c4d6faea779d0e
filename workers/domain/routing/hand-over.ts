import type { InStatement, InValue } from "@libsql/client/web";
import { repAlertStatements } from "../../outbox/capture-statements";
import type { Lead } from "../leads/lead-row";

/** Every way a lead changes owner; each alerts the new owner the same way, with the same buttons. */
export type HandOverReason = "pass" | "sla" | "manual" | "owner-gone" | "deactivated" | "queue" | "reopened";

const HEADLINE: Record<HandOverReason, string> = {
  pass: "Lead passed on by its owner \u2014 now yours",
  sla: "Lead not picked up in time \u2014 now yours",
  manual: "Lead reassigned by the owner \u2014 now yours",
  "owner-gone": "Returning lead, its owner is away \u2014 now yours",
  deactivated: "Lead of a deactivated rep \u2014 now yours",
  queue: "Lead from the unassigned queue \u2014 now yours",
  reopened: "Closed lead wrote again \u2014 reopened as a new inquiry, now yours",
};

type LeadFacts = Pick<Lead, "id" | "name" | "phone" | "email" | "source">;

export function contactLine(lead: Pick<Lead, "name" | "phone" | "email" | "source">): string {
  return [`${lead.name ?? "no name"} (${lead.source})`, lead.phone, lead.email].filter(Boolean).join(" · ");
}

/**
 * The one hand-over alert: to the rep a lead now belongs to, in their app, with the lead's buttons, as
 * outbox rows in the batch of the change and written only when `condition` (SQL) holds after it — so an
 * owner change that did not happen alerts nobody, and `key` keeps a retried batch from alerting twice.
 */
export function handOverStatements(a: {
  ws: string;
  lead: LeadFacts;
  repId: string;
  reason: HandOverReason;
  key: string;
  now: number;
  condition: string;
  conditionArgs?: Record<string, InValue>;
  /** an escalation says so in its own words */
  headline?: string;
  kind?: "rep_alert" | "escalation";
}): InStatement[] {
  return repAlertStatements({
    ws: a.ws,
    leadId: a.lead.id,
    repId: a.repId,
    kind: a.kind ?? "rep_alert",
    text: [a.headline ?? HEADLINE[a.reason], contactLine(a.lead)].join("\n"),
    key: a.key,
    now: a.now,
    condition: a.condition,
    ...(a.conditionArgs ? { conditionArgs: a.conditionArgs } : {}),
  });
}

/**
 * The alert to the workspace owner that a lead waits with nobody able to take it, once per lead (the key),
 * and only while it is still unowned.
 */
export function queuedAlertStatements(a: {
  ws: string;
  lead: LeadFacts;
  ownerRepId: string;
  now: number;
}): InStatement[] {
  return handOverStatements({
    ...a,
    repId: a.ownerRepId,
    reason: "queue",
    key: `queued:${a.lead.id}`,
    kind: "escalation",
    headline: "Lead waiting: nobody can take it now (paused, off hours or at cap)",
    condition: `EXISTS (SELECT 1 FROM lead WHERE id = :leadId AND owner_rep_id IS NULL)`,
  });
}

/**
 * A won or lost lead reopened by a new inquiry is alerted like a capture: to the rep it went to, or — when
 * nobody could take it — to the workspace owner as a waiting lead. Both only if the reopen was written; a rep
 * who reached their cap meanwhile leaves the lead to the capture's drain, which alerts the owner itself.
 */
export function reopenedAlertStatements(a: {
  ws: string;
  lead: LeadFacts;
  repId: string | null;
  ownerRepId: string | null;
  eventId: string;
  now: number;
}): InStatement[] {
  const reopened = `EXISTS (SELECT 1 FROM lead_event WHERE id = :reopenEvent AND lead_id = :leadId)`;
  const conditionArgs = { reopenEvent: a.eventId };
  return [
    ...(a.repId
      ? handOverStatements({
          ...a,
          repId: a.repId,
          reason: "reopened",
          key: `alert:${a.lead.id}:${a.eventId}`,
          condition: `${reopened} AND EXISTS (SELECT 1 FROM lead WHERE id = :leadId AND owner_rep_id = :reopenRep)`,
          conditionArgs: { ...conditionArgs, reopenRep: a.repId },
        })
      : []),
    // Keyed like every queued-lead alert (once per lead): a drain that finds it waiting adds no second one.
    ...(a.ownerRepId && !a.repId
      ? handOverStatements({
          ...a,
          repId: a.ownerRepId,
          reason: "queue",
          key: `queued:${a.lead.id}`,
          kind: "escalation",
          headline: "Closed lead wrote again and waits: nobody can take it now (paused, off hours or at cap)",
          condition: `${reopened} AND EXISTS (SELECT 1 FROM lead WHERE id = :leadId AND owner_rep_id IS NULL)`,
          conditionArgs,
        })
      : []),
  ];
}
