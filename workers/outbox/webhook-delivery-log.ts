import type { InStatement } from "@libsql/client/web";
import { MAX_ATTEMPTS } from "./backoff";
import type { ClaimedRow } from "./claim";
import type { SendResult } from "./sender";

/** How many attempts per endpoint the log keeps: the console shows the newest 50. */
export const DELIVERY_LOG_KEEP = 50;

type Outcome = SendResult | { status: "skipped"; reason: string; httpStatus?: number | undefined };

interface EndpointEvent {
  endpointId?: unknown;
  event?: { id?: unknown; type?: unknown };
}

/**
 * One attempt of an endpoint's delivery, with the receiver's status code, in the batch that records the outbox
 * outcome; then the endpoint's log is trimmed to its newest entries. Inserted from the endpoint row, so an
 * endpoint deleted meanwhile logs nothing (and cannot fail the outcome batch on its foreign key).
 */
export function webhookDeliveryLog(row: ClaimedRow, outcome: Outcome, now: number): InStatement[] {
  if (row.sender !== "webhook") return [];
  const body = (row.payload.body ?? {}) as EndpointEvent;
  if (typeof body.endpointId !== "string" || typeof body.event?.id !== "string") return [];
  const error = outcome.status === "ok" ? null : outcome.status === "retry" ? outcome.error : outcome.reason;
  // The last allowed attempt failing is the end of it (the row goes dead), not a retry.
  const gaveUp = outcome.status === "retry" && row.attempts >= MAX_ATTEMPTS;
  const args = {
    endpoint: body.endpointId,
    ws: row.workspaceId,
    outbox: row.id,
    eventId: body.event.id,
    eventType: String(body.event.type ?? ""),
    code: outcome.httpStatus ?? null,
    outcome: outcome.status === "ok" ? "sent" : gaveUp || outcome.status === "permanent" ? "failed" : outcome.status,
    error,
    now,
  };
  return [
    {
      sql: `INSERT INTO webhook_delivery (id, workspace_id, endpoint_id, outbox_id, event_id, event_type, status_code,
              outcome, error, attempted_at)
            SELECT 'whd_' || lower(hex(randomblob(10))), :ws, e.id, :outbox, :eventId, :eventType, :code, :outcome,
              :error, :now
            FROM webhook_endpoint e WHERE e.id = :endpoint AND e.workspace_id = :ws`,
      args,
    },
    {
      sql: `DELETE FROM webhook_delivery WHERE endpoint_id = :endpoint AND id NOT IN (
              SELECT id FROM webhook_delivery WHERE endpoint_id = :endpoint
              ORDER BY attempted_at DESC, id DESC LIMIT :keep)`,
      args: { endpoint: body.endpointId, keep: DELIVERY_LOG_KEEP },
    },
  ];
}
