import type { InStatement, InValue } from "@libsql/client/web";
import type { WebhookEventType } from "../../db/schema";
import { newId } from "../lib/ids";

// The lead as receivers see it (no internal notes), read from the row inside the batch that changed it.
const LEAD_JSON = `json_object('id', l.id, 'workspaceId', l.workspace_id, 'formId', l.form_id, 'source', l.source,
  'status', l.status, 'name', l.name, 'phone', l.phone, 'email', l.email, 'message', l.message,
  'fields', json(l.fields), 'utmSource', l.utm_source, 'utmMedium', l.utm_medium, 'utmCampaign', l.utm_campaign,
  'utmTerm', l.utm_term,
  'utmContent', l.utm_content, 'referrer', l.referrer, 'pageUrl', l.page_url, 'ownerRepId', l.owner_rep_id,
  'poolId', l.pool_id, 'score', l.score, 'hot', json(CASE WHEN l.hot THEN 'true' ELSE 'false' END),
  'createdAt', l.created_at, 'assignedAt', l.assigned_at, 'firstResponseAt', l.first_response_at)`;

/**
 * One outbox row per active endpoint subscribed to `type`, written in the batch of the change it reports
 * and only when `condition` holds there. The row carries the event and the endpoint's id, never its secret:
 * each attempt reads the secret of the endpoint as it is then (a rotated secret signs queued deliveries, a
 * deleted or deactivated endpoint gets nothing more) and signs it (HMAC-SHA256, fresh timestamp). Idempotency key =
 * endpoint + event id, so a retried batch queues nothing twice and receivers dedup on the event id. The row's id
 * sorts by when the statement was made, then by endpoint: a lead's events reach an endpoint in the order they
 * happened, because the outbox sends a chain (lead, sender, recipient) in id order (outbox/claim.ts).
 */
export function webhookStatement(w: {
  ws: string;
  leadId: string;
  type: WebhookEventType;
  /** the timeline event this webhook reports: its id is the delivery id receivers dedup on */
  eventId: string;
  now: number;
  /** extra `data` members as SQL json_object arguments, e.g. `'from', :from` */
  extraData?: string;
  condition?: string;
  args?: Record<string, InValue>;
}): InStatement {
  return {
    sql: `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload, idempotency_key,
            state, attempts, due_at, created_at, updated_at)
          SELECT :whOutboxId || '_' || e.id, :ws, l.id, 'webhook', 'webhook', NULL, e.url,
            json_object('body', json_object('endpointId', e.id, 'event', json_object('id', :whEventId, 'type', :whType,
              'createdAt', strftime('%Y-%m-%dT%H:%M:%fZ', :now / 1000.0, 'unixepoch'), 'workspaceId', :ws,
              'data', json_object('lead', ${LEAD_JSON}${w.extraData ? `, ${w.extraData}` : ""})))),
            'webhook:' || e.id || ':' || :whEventId, 'pending', 0, :now, :now, :now
          FROM webhook_endpoint e JOIN lead l ON l.id = :leadId AND l.workspace_id = :ws
          WHERE e.workspace_id = :ws AND e.active = 1 AND EXISTS (SELECT 1 FROM json_each(e.events)
            WHERE value = :whType)
            AND ${w.condition ?? "1"}
          ON CONFLICT DO NOTHING RETURNING id`,
    args: {
      ...w.args,
      ws: w.ws,
      leadId: w.leadId,
      now: w.now,
      whEventId: w.eventId,
      whType: w.type,
      whOutboxId: newId("obx", w.now),
    },
  };
}

/** Outbox ids returned by the statements at `indexes` of a batch's results. */
export function returnedIds(results: { rows: Record<string, unknown>[] }[], indexes: number[]): string[] {
  return indexes.flatMap((i) => results[i]?.rows.map((r) => String(r.id)) ?? []);
}
