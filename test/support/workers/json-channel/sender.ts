import type { LeadActionsRef } from "../../../../workers/domain/leads/lead-action-names";
import { fetchForSend, type Sender } from "../../../../workers/outbox/sender";
import { jsonChannel } from "./channel";

/** POSTs `{ to, text, actions? }` to the channel's callback URL; 429 and 5xx retry, any other refusal is final. */
export function jsonSender(): Sender {
  return {
    async send(msg) {
      const url = msg.channelConfig?.callbackUrl;
      if (typeof url !== "string") return { status: "permanent", reason: "no callback URL configured" };
      const actions = msg.actions ? jsonChannel.renderActions(msg.actions as LeadActionsRef) : undefined;
      const res = await fetchForSend(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ to: msg.recipient, text: msg.text, ...(actions ? { actions } : {}) }),
      });
      if (!(res instanceof Response)) return res;
      if (res.ok) return { status: "ok", providerMessageId: null };
      if (res.status === 429 || res.status >= 500) return { status: "retry", error: `HTTP ${res.status}` };
      return { status: "permanent", reason: `HTTP ${res.status}` };
    },
  };
}
