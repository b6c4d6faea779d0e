import { checkOutboundUrl, type OutboundPolicy } from "../lib/outbound-url";
import { webhookHeaders } from "../lib/webhook-signature";
import type { OutboundMessage, Sender, SendResult } from "./sender";
import { fetchForSend, retryAfterHeader } from "./sender";

interface EndpointEvent {
  endpointId: string;
  event: { id: string; type: string };
}

const isEndpointEvent = (body: unknown): body is EndpointEvent =>
  typeof body === "object" && body !== null && "endpointId" in body && "event" in body;

/**
 * Outgoing webhooks: POST the event to its URL, signed per attempt (`leadrelay-signature: t=…,v1=…`, a fresh
 * timestamp each retry; a second `v1=` with the rotated-out secret while its overlap lasts); 2xx = delivered,
 * 408/429/5xx = later, other 4xx = never. The URL is checked again here, not only when it was saved (rows written
 * earlier, URLs edited in the database); redirects are not followed, since a public receiver answering 307 →
 * http://169.254.169.254/ would otherwise undo that check.
 */
export function webhookSender(policy: OutboundPolicy): Sender {
  return {
    async send(msg: OutboundMessage): Promise<SendResult> {
      const target = checkOutboundUrl(msg.recipient, policy);
      if (!target.ok) return { status: "permanent", reason: `refused URL: ${target.reason}` };
      const signed = isEndpointEvent(msg.body) ? msg.body : null;
      // deliver.ts skips an endpoint event whose endpoint is gone, so a signed event always has its secret here.
      if (signed && !msg.signingSecret) return { status: "permanent", reason: "no signing secret for the endpoint" };
      const body = JSON.stringify(signed ? signed.event : (msg.body ?? { text: msg.text }));
      const secrets = [msg.signingSecret!, ...(msg.previousSigningSecret ? [msg.previousSigningSecret] : [])];
      const headers = signed
        ? await webhookHeaders(secrets, signed.event, body, Date.now())
        : { "content-type": "application/json", "user-agent": "LeadRelay-Webhooks/1" };
      const res = await fetchForSend(target.url.href, { method: "POST", headers, body, redirect: "manual" });
      if (!(res instanceof Response)) return res;
      await res.body?.cancel();
      const httpStatus = res.status;
      if (res.ok) return { status: "ok", providerMessageId: null, httpStatus };
      if (res.status >= 300 && res.status < 400)
        return { status: "permanent", reason: `HTTP ${res.status}: redirects are not followed`, httpStatus };
      if (res.status === 429 || res.status >= 500 || res.status === 408) {
        return { status: "retry", retryAfterMs: retryAfterHeader(res), error: `HTTP ${res.status}`, httpStatus };
      }
      return { status: "permanent", reason: `HTTP ${res.status}`, httpStatus };
    },
  };
}
