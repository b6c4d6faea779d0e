import { toAppError } from "../../errors";
import { newId } from "../../lib/ids";
import { stmt } from "../../lib/statement";
import { repAlertStatement } from "../../outbox/capture-statements";
import { sendSoon } from "../../outbox/send-now";
import type { DomainContext, WorkspaceRef } from "../context";
import type { Lead } from "../leads/lead-row";

// The Telegram lead has no address on another channel (this Telegram id is all it has).
const NO_OTHER_IDENTITY = `NOT EXISTS (SELECT 1 FROM lead_identity
  WHERE workspace_id = :ws AND lead_id = :from AND NOT (kind = 'telegram' AND address = :tg))`;

/**
 * Folds a Telegram-only lead into the lead its Telegram-verified phone belongs to.
 *
 * The Telegram lead is created at the first contact (no lead waits), before the prospect shares a phone.
 * When the phone they then share with the `request_contact` button — Telegram vouches it is theirs — is
 * already another lead's (typically the form they filled in earlier), `captureLead` records the share as a
 * re-inquiry of that lead (phone wins its dedup order) but leaves the Telegram identity where it is, since
 * one identifier is never moved between two leads on a typed claim. A verified phone is more than a claim,
 * so here the two become one: the older lead keeps its attribution, owner and status and gains the
 * Telegram identity; what the prospect sent (inquiry, answers, messages) and the reps' notes move over,
 * as do the outbox rows (so replies to earlier relays still find the lead); the Telegram lead's own routing
 * history (assigned, claimed, status) goes with it. The surviving lead's owner is alerted, with the
 * buttons, so they can answer on Telegram.
 *
 * Merged only when the Telegram lead has no other identity (phone, email, WhatsApp) and the other lead no
 * Telegram identity of its own; otherwise both stay as they are. One batch: all of it or none, and a
 * redelivery finds nothing left to merge.
 */
export async function mergeTelegramLead(
  { ctx, workspace }: { ctx: DomainContext; workspace: WorkspaceRef },
  input: {
    fromLeadId: string;
    into: Pick<Lead, "id" | "name" | "phone" | "source" | "ownerRepId">;
    telegramUserId: string;
    dedupKey: string;
  },
): Promise<boolean> {
  const now = ctx.now();
  const args = { ws: workspace.id, from: input.fromLeadId, into: input.into.id, tg: input.telegramUserId, now };
  // True from the first statement on, and only in a batch that detached the identity from `from`.
  const merging = `EXISTS (SELECT 1 FROM lead WHERE workspace_id = :ws AND id = :from AND telegram_user_id IS NULL)
    AND EXISTS (SELECT 1 FROM lead WHERE workspace_id = :ws AND id = :into)`;
  const statements = [
    stmt(
      `UPDATE lead SET telegram_user_id = NULL, updated_at = :now
       WHERE workspace_id = :ws AND id = :from AND id <> :into AND telegram_user_id = :tg
         AND phone IS NULL AND email IS NULL AND ${NO_OTHER_IDENTITY}
         AND EXISTS (SELECT 1 FROM lead WHERE workspace_id = :ws AND id = :into AND telegram_user_id IS NULL)`,
      args,
    ),
    stmt(
      `UPDATE lead SET telegram_user_id = :tg,
         name = COALESCE(name, (SELECT name FROM lead WHERE id = :from)),
         message = COALESCE(message, (SELECT message FROM lead WHERE id = :from)),
         fields = json_patch((SELECT fields FROM lead WHERE id = :from), fields),
         last_inbound_at = :now, updated_at = :now
       WHERE workspace_id = :ws AND id = :into AND telegram_user_id IS NULL AND ${merging}`,
      args,
    ),
    // What the prospect sent, and the reps' notes, follow them; the Telegram lead's first contact becomes a re-inquiry.
    stmt(
      `UPDATE lead_event SET lead_id = :into, type = CASE WHEN type = 'created' THEN 're-inquiry' ELSE type END
       WHERE workspace_id = :ws AND lead_id = :from AND type IN ('created', 're-inquiry', 'message', 'note') AND ${merging}`,
      args,
    ),
    stmt(
      `UPDATE outbox SET lead_id = :into, updated_at = :now WHERE workspace_id = :ws AND lead_id = :from AND ${merging}`,
      args,
    ),
    stmt(
      `UPDATE telegram_conversation SET lead_id = :into, updated_at = :now WHERE workspace_id = :ws AND lead_id = :from AND ${merging}`,
      args,
    ),
    stmt(
      `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, dedup_key, created_at)
       SELECT :eventId, :ws, :into, 'merged', 'prospect', NULL, :data, :dedupKey, :now WHERE ${merging}
       ON CONFLICT DO NOTHING`,
      {
        ...args,
        eventId: newId("evt", now),
        data: JSON.stringify({
          from: input.fromLeadId,
          telegramUserId: input.telegramUserId,
          reason: "Telegram-verified phone matched this lead",
        }),
        dedupKey: `${input.dedupKey}:merged`,
      },
    ),
    ...(input.into.ownerRepId
      ? [
          repAlertStatement({
            ws: workspace.id,
            leadId: input.into.id,
            repId: input.into.ownerRepId,
            kind: "rep_alert",
            text: [
              `Your lead ${input.into.name ?? "(no name)"} (${input.into.source}) now also writes on Telegram`,
              ...(input.into.phone ? [`Phone: ${input.into.phone}`] : []),
              `Reply to this message to answer them there.`,
            ].join("\n"),
            key: `merge:${input.fromLeadId}`,
            now,
            condition: merging,
            conditionArgs: { from: input.fromLeadId, into: input.into.id },
          }),
        ]
      : []),
    stmt(
      `UPDATE lead_identity SET lead_id = :into
       WHERE workspace_id = :ws AND lead_id = :from AND kind = 'telegram' AND address = :tg AND ${merging}`,
      args,
    ),
    // Last: the cascade takes the Telegram lead's remaining events and enrolments with it.
    stmt(`DELETE FROM lead WHERE workspace_id = :ws AND id = :from AND ${merging}`, args),
  ];
  try {
    const results = await ctx.database.client.batch(statements, "write");
    const alert = input.into.ownerRepId ? results[6] : undefined;
    sendSoon(ctx, alert ? alert.rows.map((r) => String(r.id)) : []);
    return results[0]!.rowsAffected === 1;
  } catch (err) {
    throw toAppError(err);
  }
}
