import { z } from "@hono/zod-openapi";
import type { InStatement, InValue } from "@libsql/client/web";
import { and, eq } from "drizzle-orm";
import { lead, leadEvent } from "../../../db/schema";
import { AppError } from "../../errors";
import { newId } from "../../lib/ids";
import { stmt } from "../../lib/statement";
import { sendSoon } from "../../outbox/send-now";
import { returnedIds, webhookStatement } from "../../outbox/webhook-statements";
import type { Actor, Scope } from "../context";
import { requireAssignable } from "../routing/assignable";
import { underCap } from "../routing/assignment-guard";
import { ownerAlertStatements, reassignLead } from "../routing/reassign";
import { requireWorkspaceRep } from "../team/reps";
import type { LeadAction } from "./lead-action-names";
import { getLead, updateLead } from "./leads";
import { snoozeLead } from "./snooze";

// Drizzle builds the statements; the alert is raw SQL; all go in one libSQL batch.
const built = (q: { toSQL(): { sql: string; params: unknown[] } }): InStatement => {
  const { sql, params } = q.toSQL();
  return { sql, args: params as InValue[] };
};

/** Which rep claims or passes a lead. */
export const RepActionInput = z.object({ repId: z.string().min(1).max(64) });

/** A manual reassignment: to a named rep, or (without one) to the pool's next eligible rep. */
export const AssignInput = z.object({
  repId: z.string().min(1).max(64).optional(),
  force: z.boolean().optional().openapi({ description: "assign to a paused, away or at-cap rep anyway" }),
});

/**
 * A rep takes the lead: it stops the SLA clock. An unowned lead becomes theirs only while they are under
 * their cap (422 at cap), checked inside the write so racing claims and captures never overshoot it; a lead
 * owned by someone else cannot be claimed (409) — reassigning is the owner's call.
 */
export async function claimLead(scope: Scope, leadId: string, repId: string) {
  await requireWorkspaceRep(scope.ctx, scope.workspace.id, repId);
  const { lead: current } = await getLead(scope, leadId);
  if (current.ownerRepId && current.ownerRepId !== repId) throw claimedByOther();
  if (current.claimedAt && current.ownerRepId === repId) return getLead(scope, leadId);
  const now = scope.ctx.now();
  const args = { ws: scope.workspace.id, id: leadId, rep: repId, now, eventId: newId("evt", now) };
  const [updated] = await scope.ctx.database.client.batch(
    [
      stmt(
        `UPDATE lead SET owner_rep_id = :rep, claimed_at = :now, sla_due_at = NULL,
                assigned_at = COALESCE(assigned_at, :now), updated_at = :now
              WHERE workspace_id = :ws AND id = :id
                AND (owner_rep_id = :rep OR (owner_rep_id IS NULL AND ${underCap(":rep")}))`,
        args,
      ),
      stmt(
        `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, created_at)
              SELECT :eventId, :ws, :id, 'claimed', 'rep', :rep, json_object('repId', :rep), :now
              WHERE EXISTS (SELECT 1 FROM lead WHERE id = :id AND owner_rep_id = :rep AND claimed_at = :now)`,
        args,
      ),
    ],
    "write",
  );
  if (!updated?.rowsAffected) {
    const { lead: after } = await getLead(scope, leadId);
    if (after.ownerRepId && after.ownerRepId !== repId) throw claimedByOther();
    throw AppError.validation({ repId: "This rep is at their cap of open leads; close or pass a lead first." });
  }
  return getLead(scope, leadId);
}

const claimedByOther = () =>
  new AppError("CONFLICT", "This lead belongs to another rep.", { fields: { repId: "Not the lead's owner." } });

/** The owner hands the lead on at once; they are never offered it again. */
export async function passLead(scope: Scope, leadId: string, repId: string) {
  await requireWorkspaceRep(scope.ctx, scope.workspace.id, repId);
  const { lead: current } = await getLead(scope, leadId);
  if (current.ownerRepId !== repId) {
    throw new AppError("CONFLICT", "Only the lead's owner can pass it.", {
      fields: { repId: "Not the lead's owner." },
    });
  }
  await reassignLead(scope.ctx, current, {
    reason: "pass",
    actor: { type: "rep", id: repId },
    now: scope.ctx.now(),
    hot: current.hot,
  });
  return getLead(scope, leadId);
}

/**
 * Manual reassignment by the owner: to a named rep (who must be active, and available unless `force`),
 * or to the pool's next eligible rep.
 */
export async function assignLead(
  scope: Scope,
  leadId: string,
  repId: string | undefined,
  actor: Actor,
  force?: boolean,
) {
  const { lead: current } = await getLead(scope, leadId);
  if (repId === undefined) {
    await reassignLead(scope.ctx, current, { reason: "manual", actor, now: scope.ctx.now(), hot: current.hot });
    return getLead(scope, leadId);
  }
  if (repId === current.ownerRepId) return getLead(scope, leadId);
  await requireAssignable(scope.ctx, scope.workspace.id, repId, { force });
  const now = scope.ctx.now();
  const { db } = scope.ctx.database;
  const eventId = newId("evt", now);
  const results = await scope.ctx.database.client.batch(
    [
      built(
        db
          .update(lead)
          .set({ ownerRepId: repId, assignedAt: now, claimedAt: null, updatedAt: now })
          .where(and(eq(lead.workspaceId, scope.workspace.id), eq(lead.id, leadId))),
      ),
      built(
        db.insert(leadEvent).values({
          id: eventId,
          workspaceId: scope.workspace.id,
          leadId,
          type: "reassigned",
          actorType: actor.type,
          actorId: actor.id ?? null,
          data: { from: current.ownerRepId, to: repId, reason: "manual" },
          createdAt: now,
        }),
      ),
      // The new owner hears about it, with the buttons, in the batch of the move.
      ...ownerAlertStatements({ ws: scope.workspace.id, lead: current, repId, key: `alert:${leadId}:${eventId}`, now }),
      // Receivers hear of a hand-over by name as of any other (PATCH ownerRepId sends the same event).
      webhookStatement({
        ws: scope.workspace.id,
        leadId,
        type: "lead.assigned",
        eventId,
        now,
        extraData: `'repId', l.owner_rep_id, 'previousRepId', :from`,
        args: { from: current.ownerRepId },
      }),
    ],
    "write",
  );
  sendSoon(scope.ctx, returnedIds(results, [2, 3, 4]));
  return getLead(scope, leadId);
}

/** What a rep can do from a lead alert (the buttons: ./lead-action-names.ts LEAD_ACTIONS). */
export type RepLeadAction = LeadAction;

const SNOOZE_MS = 3_600_000;

/**
 * A rep's one-tap action from an alert, through the same verbs as the owner API: claim and pass, else (on
 * their own lead only) snooze 1h or a status change with the rep as actor. The verbs' 4xx AppErrors (not
 * theirs, passed on, gone) reach the bot, which tells the rep and changes nothing.
 */
export async function applyRepLeadAction(
  scope: Scope,
  repId: string,
  leadId: string,
  action: RepLeadAction,
): Promise<void> {
  if (action === "claim") return void (await claimLead(scope, leadId, repId));
  if (action === "pass") return void (await passLead(scope, leadId, repId));
  const { lead } = await getLead(scope, leadId);
  if (lead.ownerRepId !== repId) throw new AppError("CONFLICT", "This lead belongs to another rep.");
  if (action === "snooze") await snoozeLead(scope, leadId, scope.ctx.now() + SNOOZE_MS);
  else await updateLead(scope, leadId, { status: action }, { type: "rep", id: repId });
}

/** The state an action's confirmation shows: the lead's status, or what the action did to it. */
export function repActionState(action: RepLeadAction, status: string): string {
  return action === "snooze" ? "snoozed 1h" : action === "pass" ? "passed on" : status;
}
