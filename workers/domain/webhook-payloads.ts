import type { WebhookEventType } from "../../db/schema";
import { signWebhook } from "../lib/webhook-signature";
import type { Lead } from "./lead-row";
import type { WebhookEndpoint } from "./webhooks";

export interface WebhookPayload {
  /** Unique per event; receivers dedup on it (delivery is at least once). */
  id: string;
  type: WebhookEventType;
  createdAt: string;
  workspaceId: string;
  data: Record<string, unknown>;
}

// The lead as receivers see it: the public fields, no internal notes.
function publicLead(lead: Lead) {
  const { notes: _notes, ...rest } = lead;
  return rest;
}

export function leadCreatedPayload(eventId: string, lead: Lead): WebhookPayload {
  return { id: eventId, type: "lead.created", createdAt: new Date(lead.createdAt).toISOString(), workspaceId: lead.workspaceId, data: { lead: publicLead(lead) } };
}

export function leadAssignedPayload(eventId: string, lead: Lead, at: number, previousRepId: string | null): WebhookPayload {
  return {
    id: eventId,
    type: "lead.assigned",
    createdAt: new Date(at).toISOString(),
    workspaceId: lead.workspaceId,
    data: { lead: publicLead(lead), repId: lead.ownerRepId, previousRepId },
  };
}

export function leadStatusChangedPayload(eventId: string, lead: Lead, at: number, from: string): WebhookPayload {
  return {
    id: eventId,
    type: "lead.status_changed",
    createdAt: new Date(at).toISOString(),
    workspaceId: lead.workspaceId,
    data: { lead: publicLead(lead), from, to: lead.status },
  };
}

export interface WebhookRequest {
  endpointId: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Outbox idempotency key: one delivery per event and endpoint, however often it is retried. */
  idempotencyKey: string;
}

/**
 * The signed HTTP requests one event fans out to (active endpoints subscribed to its type).
 *
 * INTEGRATION POINT (issue 6, outbox): the caller writes each request as an outbox row (kind "webhook")
 * in the same batch as the event that caused it; the outbox sender POSTs it and retries 429/5xx/network
 * failures with backoff. Sign at send time (call this again, or re-sign `body`) so `t=` is fresh on retries.
 */
export async function webhookRequests(endpoints: WebhookEndpoint[], payload: WebhookPayload, nowMs: number): Promise<WebhookRequest[]> {
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(nowMs / 1000);
  const targets = endpoints.filter((e) => e.active && e.workspaceId === payload.workspaceId && e.events.includes(payload.type));
  return Promise.all(
    targets.map(async (e) => ({
      endpointId: e.id,
      url: e.url,
      body,
      idempotencyKey: `webhook:${e.id}:${payload.id}`,
      headers: {
        "content-type": "application/json",
        "user-agent": "LeadRelay-Webhooks/1",
        "leadrelay-event": payload.type,
        "leadrelay-delivery": payload.id,
        "leadrelay-signature": await signWebhook(e.secret, body, timestamp),
      },
    })),
  );
}
