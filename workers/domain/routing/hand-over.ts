import type { InStatement, InValue } from "@libsql/client/web";
import type { ChannelList } from "../../channels/channel";
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
  channels: ChannelList;
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
    channels: a.channels,
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
 * The alert to the workspace owner and admins that a lead waits with nobody able to take it, once per lead
 * and person (the key), and only while it is still unowned.
 */
export function queuedAlertStatements(a: {
  channels: ChannelList;
  ws: string;
  lead: LeadFacts;
  watcherRepIds: string[];
  now: number;
  headline?: string;
  condition?: string;
  conditionArgs?: Record<string, InValue>;
}): InStatement[] {
  const unowned = `EXISTS (SELECT 1 FROM lead WHERE id = :leadId AND owner_rep_id IS NULL)`;
  return a.watcherRepIds.flatMap((repId) =>
    handOverStatements({
      channels: a.channels,
      ws: a.ws,
      lead: a.lead,
      now: a.now,
      repId,
      reason: "queue",
      key: `queued:${a.lead.id}:${repId}`,
      kind: "escalation",
      headline: a.headline ?? "Lead waiting: nobody can take it now (paused, off hours or at cap)",
      condition: a.condition ? `${unowned} AND ${a.condition}` : unowned,
      ...(a.conditionArgs ? { conditionArgs: a.conditionArgs } : {}),
    }),
  );
}

/**
 * A won or lost lead reopened by a new inquiry is alerted like a capture: to the rep it went to, or — when
 * nobody could take it — to the workspace owner and admins as a waiting lead. Both only if the reopen was
 * written; a rep who reached their cap meanwhile leaves the lead to the capture's drain, which alerts them itself.
 */
export function reopenedAlertStatements(a: {
  channels: ChannelList;
  ws: string;
  lead: LeadFacts;
  repId: string | null;
  watcherRepIds: string[];
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
    // Keyed like every queued-lead alert (once per lead and watcher): a drain that finds it waiting adds none.
    ...(a.repId
      ? []
      : queuedAlertStatements({
          channels: a.channels,
          ws: a.ws,
          lead: a.lead,
          watcherRepIds: a.watcherRepIds,
          now: a.now,
          headline: "Closed lead wrote again and waits: nobody can take it now (paused, off hours or at cap)",
          condition: reopened,
          conditionArgs,
        })),
  ];
}
