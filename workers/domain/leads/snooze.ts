import { AppError } from "../../errors";
import { repMessageStatements } from "../../outbox/rep-message";
import { sendSoon } from "../../outbox/send-now";
import type { Scope } from "../context";

/**
 * A rep's "Snooze 1h" (Telegram or WhatsApp button): a reminder to the lead's owner, as an outbox row due at
 * `until`, sent by the cron job like any other message. Keyed `snooze:<lead>:<until>`, so a double tap
 * or a replayed callback makes one reminder. Returns the outbox row id.
 */
export async function snoozeLead(
  { ctx, workspace }: Scope,
  leadId: string,
  until: number,
): Promise<{ outboxId: string; dueAt: number }> {
  const now = ctx.now();
  const dueAt = Math.max(until, now);
  const key = `snooze:${leadId}:${until}`;
  const { client } = ctx.database;
  // To the owner in the app they use (one reminder whichever; none when they have no app).
  const reminders = repMessageStatements(ctx.channels, {
    ws: workspace.id,
    kind: "reminder",
    leadId: "l.id",
    from: "lead l JOIN rep r ON r.id = l.owner_rep_id",
    where: "l.workspace_id = :ws AND l.id = :lead",
    payload: `json_object('text', 'Reminder: snoozed lead {name} (' || l.id || ') is back.')`,
    key,
    now,
    dueAt,
    args: { ws: workspace.id, lead: leadId },
  });
  const results = await client.batch(
    [
      ...reminders,
      {
        sql: `SELECT o.id, o.due_at, (SELECT owner_rep_id FROM lead WHERE workspace_id = :ws AND id = :lead) AS owner,
                EXISTS (SELECT 1 FROM lead WHERE workspace_id = :ws AND id = :lead) AS lead_exists
              FROM (SELECT 1) LEFT JOIN outbox o ON o.idempotency_key = :key AND o.workspace_id = :ws`,
        args: { ws: workspace.id, lead: leadId, key },
      },
    ],
    "write",
  );
  const found = results.at(-1);
  const inserted = results.slice(0, reminders.length).reduce((n, r) => n + r.rowsAffected, 0);
  const row = found?.rows[0];
  if (!row || Number(row.lead_exists) !== 1) throw AppError.notFound("Lead");
  if (row.id === null) {
    throw AppError.validation({
      leadId:
        row.owner === null
          ? "The lead has no owner to remind."
          : "The owner has no chat app linked (Telegram chat or WhatsApp phone).",
    });
  }
  // A snooze "until now" (or in the past) goes out at once, like any other row.
  if (dueAt <= now && inserted > 0) sendSoon(ctx, [String(row.id)]);
  return { outboxId: String(row.id), dueAt: Number(row.due_at) };
}
