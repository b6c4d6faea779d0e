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
 * Headers of one delivery attempt. The outbox's webhook sender (issue 6) calls this at send time with the
 * endpoint's current secret, so every retry carries a fresh `t=` and a rotated secret applies at once.
 */
export async function webhookHeaders(secret: string, event: { id: string; type: string }, body: string, nowMs: number): Promise<Record<string, string>> {
  return {
    "content-type": "application/json",
    "user-agent": "LeadRelay-Webhooks/1",
    "leadrelay-event": event.type,
    "leadrelay-delivery": event.id,
    "leadrelay-signature": await signWebhook(secret, body, Math.floor(nowMs / 1000)),
  };
}

/**
 * The signed HTTP requests one event fans out to (active endpoints subscribed to its type).
 *
 * INTEGRATION POINT (issue 6, outbox): the caller writes each request as an outbox row (kind "webhook")
 * in the same batch as the event that caused it (recipient = url, body = payload, plus the endpoint id); the
 * outbox sender looks the endpoint up, POSTs with `webhookHeaders(...)` and retries 429/5xx/network failures
 * with backoff. Until then nothing is sent: the endpoints are configured and the payloads are tested.
 */
export async function webhookRequests(endpoints: WebhookEndpoint[], payload: WebhookPayload, nowMs: number): Promise<WebhookRequest[]> {
  const body = JSON.stringify(payload);
  const targets = endpoints.filter((e) => e.active && e.workspaceId === payload.workspaceId && e.events.includes(payload.type));
  return Promise.all(
    targets.map(async (e) => ({
      endpointId: e.id,
      url: e.url,
      body,
      idempotencyKey: `webhook:${e.id}:${payload.id}`,
      headers: await webhookHeaders(e.secret, payload, body, nowMs),
    })),
  );
}
