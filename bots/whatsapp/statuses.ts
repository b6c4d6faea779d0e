import type { InStatement } from "@libsql/client/web";
import { deliveryRank, statusRank } from "../../workers/outbox/delivery-status";
import type { WhatsappDeps } from "./context";
import type { InboundStatus } from "./webhook-payload";

/**
 * A status webhook (sent / delivered / read / played / failed) as statements: stored once per message id
 * and status (replays add nothing), then applied to the outbox row that sent the message only if it ranks
 * above what the row holds, so out-of-order and replayed statuses never move it back. A status that
 * arrives before our send recorded the message id stays stored; deliver.ts applies it when the id lands.
 */
export function statusStatements(deps: WhatsappDeps, s: InboundStatus): InStatement[] {
  const now = deps.ctx.now();
  const at = s.timestampMs ?? now;
  const errors = s.errors?.length ? JSON.stringify(s.errors) : null;
  const args = { ch: deps.channel.id, mid: s.id, status: s.status, at, errors, now };
  const rank = deliveryRank(s.status);
  const statements: InStatement[] = [
    {
      sql: `INSERT INTO whatsapp_status (channel_id, message_id, status, status_at, errors, received_at)
            VALUES (:ch, :mid, :status, :at, :errors, :now) ON CONFLICT DO NOTHING`,
      args,
    },
  ];
  // Unknown statuses (Meta adds some) are kept in the history only.
  if (rank > 0) {
    statements.push({
      sql: `UPDATE outbox SET delivery_status = :status, delivery_status_at = :at, delivery_error = :errors,
              updated_at = :now,
              last_error = CASE WHEN :status = 'failed' THEN 'WhatsApp reported the message failed: '
                || COALESCE(:errors, 'no details') ELSE last_error END
            WHERE channel_id = :ch AND provider_message_id = :mid AND ${statusRank("delivery_status")} < :rank`,
      args: { ...args, rank },
    });
  }
  return statements;
}
