import { AppError } from "../../errors";
import { newId } from "../../lib/ids";
import { REP_ON_WHATSAPP } from "../../outbox/capture-statements";
import { sendSoon } from "../../outbox/send-now";
import { repTelegramBot } from "../channels/rep-bot";
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
  const [insertedTelegram, insertedWhatsapp, found] = await client.batch(
    [
      {
        sql: `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload,
              idempotency_key, state, attempts, due_at, created_at, updated_at)
              SELECT :oid, l.workspace_id, l.id, 'reminder', 'telegram',
                ${repTelegramBot("r")},
                r.telegram_chat_id,
                json_object('text', 'Reminder: snoozed lead {name} (' || l.id || ') is back.'),
                :key, 'pending', 0, :due, :now, :now
              FROM lead l JOIN rep r ON r.id = l.owner_rep_id
              WHERE l.workspace_id = :ws AND l.id = :lead AND r.telegram_chat_id IS NOT NULL
              ON CONFLICT DO NOTHING`,
        args: { oid: newId("obx", now), ws: workspace.id, lead: leadId, key, due: dueAt, now },
      },
      // Reps without Telegram get it on WhatsApp, from the workspace's number (same key: one reminder).
      {
        sql: `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload,
              idempotency_key, state, attempts, due_at, created_at, updated_at)
              SELECT :oid, l.workspace_id, l.id, 'reminder', 'whatsapp', c.id, substr(r.whatsapp_phone, 2),
                json_object('text', 'Reminder: snoozed lead {name} (' || l.id || ') is back.'),
                :key, 'pending', 0, :due, :now, :now
              FROM lead l JOIN rep r ON r.id = l.owner_rep_id
                JOIN channel c ON c.id = (SELECT id FROM channel WHERE workspace_id = :ws AND kind = 'whatsapp'
                  ORDER BY created_at LIMIT 1)
              WHERE l.workspace_id = :ws AND l.id = :lead AND ${REP_ON_WHATSAPP}
              ON CONFLICT DO NOTHING`,
        args: { oid: newId("obx", now), ws: workspace.id, lead: leadId, key, due: dueAt, now },
      },
      {
        sql: `SELECT o.id, o.due_at, (SELECT owner_rep_id FROM lead WHERE workspace_id = :ws AND id = :lead) AS owner,
                EXISTS (SELECT 1 FROM lead WHERE workspace_id = :ws AND id = :lead) AS lead_exists
              FROM (SELECT 1) LEFT JOIN outbox o ON o.idempotency_key = :key AND o.workspace_id = :ws`,
        args: { ws: workspace.id, lead: leadId, key },
      },
    ],
    "write",
  );
  const row = found?.rows[0];
  if (!row || Number(row.lead_exists) !== 1) throw AppError.notFound("Lead");
  if (row.id === null) {
    throw AppError.validation({
      leadId:
        row.owner === null
          ? "The lead has no owner to remind."
          : "The owner has no Telegram chat or WhatsApp phone linked.",
    });
  }
  // A snooze "until now" (or in the past) goes out at once, like any other row.
  if (dueAt <= now && (insertedTelegram?.rowsAffected ?? 0) + (insertedWhatsapp?.rowsAffected ?? 0) > 0)
    sendSoon(ctx, [String(row.id)]);
  return { outboxId: String(row.id), dueAt: Number(row.due_at) };
}
