import { webhookHeaders } from "../lib/webhook-signature";
import type { OutboundMessage, SendResult, Sender } from "./sender";
import { fetchForSend, retryAfterHeader } from "./sender";

interface SignedEvent {
  secret: string;
  event: { id: string; type: string };
}

const isSignedEvent = (body: unknown): body is SignedEvent =>
  typeof body === "object" && body !== null && "secret" in body && "event" in body;

/**
 * Outgoing webhooks: POST the event to its URL, signed per attempt (`leadrelay-signature: t=…,v1=…`, a fresh
 * timestamp each retry); 2xx = delivered, 408/429/5xx = later, other 4xx = never.
 */
export function webhookSender(): Sender {
  return {
    async send(msg: OutboundMessage): Promise<SendResult> {
      const signed = isSignedEvent(msg.body) ? msg.body : null;
      const body = JSON.stringify(signed ? signed.event : (msg.body ?? { text: msg.text }));
      const headers = signed
        ? await webhookHeaders(signed.secret, signed.event, body, Date.now())
        : { "content-type": "application/json", "user-agent": "LeadRelay-Webhooks/1" };
      const res = await fetchForSend(msg.recipient, { method: "POST", headers, body });
      if (!(res instanceof Response)) return res;
      await res.body?.cancel();
      if (res.ok) return { status: "ok", providerMessageId: null };
      if (res.status === 429 || res.status >= 500 || res.status === 408) {
        return { status: "retry", retryAfterMs: retryAfterHeader(res), error: `HTTP ${res.status}` };
      }
      return { status: "permanent", reason: `HTTP ${res.status}` };
    },
  };
}
