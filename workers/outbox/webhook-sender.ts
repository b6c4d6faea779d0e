import type { OutboundMessage, SendResult, Sender } from "./sender";
import { fetchForSend, retryAfterHeader } from "./sender";

/** Outgoing webhooks: POST the row's JSON body to its URL; 2xx = delivered, 429/5xx = later, other 4xx = never. */
export function webhookSender(): Sender {
  return {
    async send(msg: OutboundMessage): Promise<SendResult> {
      const res = await fetchForSend(msg.recipient, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "LeadRelay-Webhook/1" },
        body: JSON.stringify(msg.body ?? { text: msg.text }),
      });
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
