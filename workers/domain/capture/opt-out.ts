import type { InStatement } from "@libsql/client/web";
import type { ConsentAction } from "../../../db/schema";
import { AppError, toAppError } from "../../errors";
import { newId } from "../../lib/ids";
import type { Scope } from "../context";

export interface ConsentChange {
  ws: string;
  leadId: string;
  action: ConsentAction;
  /** The channel it came through: whatsapp, telegram, api, … */
  source: string;
  address?: string | null;
  /** The provider's id of the message that asked (a replay of it changes nothing). */
  messageId?: string | null;
  text?: string | null;
  now: number;
}

/**
 * An opt-out or opt-in as statements for the caller's batch. The ledger row (`consent_event`, append-only)
 * is written first; the lead and its sequences change only if it was, so a replayed message — say an old
 * STOP redelivered after the prospect wrote START — changes nothing.
 * Opt-out: `lead.opted_out_at` (the outbox skips every message to the prospect from then on) and active
 * sequence enrolments stop at once. Opt-in: `opted_out_at` cleared (stopped sequences stay stopped).
 */
export function consentStatements(c: ConsentChange): InStatement[] {
  const id = newId("cns", c.now);
  const recorded = `EXISTS (SELECT 1 FROM consent_event WHERE id = :cid)`;
  const statements: InStatement[] = [
    {
      sql: `INSERT INTO consent_event (id, workspace_id, lead_id, action, source, address, message_id, text, created_at)
            SELECT :cid, :ws, id, :action, :source, :address, :mid, :text, :now FROM lead WHERE workspace_id = :ws
              AND id = :lead
            ON CONFLICT DO NOTHING`,
      args: {
        cid: id,
        ws: c.ws,
        lead: c.leadId,
        action: c.action,
        source: c.source,
        address: c.address ?? null,
        mid: c.messageId ?? null,
        text: c.text?.slice(0, 500) ?? null,
        now: c.now,
      },
    },
  ];
  if (c.action === "opt_out") {
    statements.push(
      {
        sql: `UPDATE lead SET opted_out_at = COALESCE(opted_out_at, :now), updated_at = :now WHERE workspace_id = :ws
          AND id = :lead AND ${recorded}`,
        args: { cid: id, ws: c.ws, lead: c.leadId, now: c.now },
      },
      {
        sql: `UPDATE sequence_enrollment SET state = 'stopped', stop_reason = 'opted_out', next_due_at = NULL,
              updated_at = :now
              WHERE workspace_id = :ws AND lead_id = :lead AND state = 'active' AND ${recorded}`,
        args: { cid: id, ws: c.ws, lead: c.leadId, now: c.now },
      },
    );
  } else {
    statements.push({
      sql: `UPDATE lead SET opted_out_at = NULL, updated_at = :now WHERE workspace_id = :ws AND id = :lead
        AND ${recorded}`,
      args: { cid: id, ws: c.ws, lead: c.leadId, now: c.now },
    });
  }
  return statements;
}

/**
 * The prospect said STOP / unsubscribed. From now on no auto-reply or follow-up is sent (the outbox
 * skips them, sequences stop); messages to reps about the lead still go out. Recorded in the consent
 * ledger; idempotent (the first opt-out time is kept). Returns that time.
 */
export async function optOutLead(
  { ctx, workspace }: Scope,
  leadId: string,
  via: { source: string; address?: string | null; messageId?: string | null; text?: string | null } = { source: "api" },
): Promise<number> {
  const now = ctx.now();
  try {
    const results = await ctx.database.client.batch(
      [
        ...consentStatements({ ws: workspace.id, leadId, action: "opt_out", now, ...via }),
        {
          sql: `SELECT opted_out_at FROM lead WHERE workspace_id = :ws AND id = :lead`,
          args: { ws: workspace.id, lead: leadId },
        },
      ],
      "write",
    );
    const row = results.at(-1)?.rows[0];
    if (!row) throw AppError.notFound("Lead");
    return Number(row.opted_out_at);
  } catch (err) {
    throw toAppError(err);
  }
}
