import type { OutboundMessage, Sender, SendResult } from "./sender";
import { fetchForSend, retryAfterHeader } from "./sender";

export interface EmailApiConfig {
  url: string;
  apiKey?: string | undefined;
  from: string;
}

/**
 * A generic transactional email API: `POST {url}` with JSON `{from, to, subject, text}` and a bearer key
 * (the shape Resend, Postmark-style relays and most self-hosted gateways accept or can be adapted to).
 */
export function emailSender(cfg: EmailApiConfig): Sender {
  return {
    async send(msg: OutboundMessage): Promise<SendResult> {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (cfg.apiKey) headers.authorization = `Bearer ${cfg.apiKey}`;
      const res = await fetchForSend(cfg.url, {
        method: "POST",
        headers,
        body: JSON.stringify({ from: cfg.from, to: msg.recipient, subject: msg.subject ?? "", text: msg.text }),
      });
      if (!(res instanceof Response)) return res;
      const body = (await res.json().catch(() => ({}))) as { id?: unknown; message?: unknown; error?: unknown };
      if (res.ok) return { status: "ok", providerMessageId: body.id === undefined ? null : String(body.id) };
      const error = `HTTP ${res.status}: ${String(body.message ?? body.error ?? "")}`.trim();
      if (res.status === 429 || res.status >= 500 || res.status === 401 || res.status === 408) {
        return { status: "retry", retryAfterMs: retryAfterHeader(res), error };
      }
      // 4xx: the request (usually the address) is bad; sending it again gives the same answer.
      return { status: "permanent", reason: error, suppress: res.status === 422 ? "invalid" : undefined };
    },
  };
}
