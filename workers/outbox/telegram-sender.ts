import type { OutboundMessage, SendResult, Sender } from "./sender";
import { fetchForSend } from "./sender";

interface TelegramReply {
  ok: boolean;
  result?: { message_id?: number };
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

/**
 * Plain `sendMessage` over fetch. The Telegram issue builds grammY bot logic on top; the outbox only
 * needs to send a text and classify the answer (see ../shared/fixtures/telegram/error_*.json).
 */
export function telegramSender(apiRoot: string): Sender {
  const root = apiRoot.replace(/\/+$/, "");
  return {
    async send(msg: OutboundMessage): Promise<SendResult> {
      const token = msg.channelConfig?.token;
      if (!token) return { status: "permanent", reason: "no Telegram bot token configured for this channel" };
      const res = await fetchForSend(`${root}/bot${token}/sendMessage`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        // reply_markup: inline keyboards (rep actions) supplied by the Telegram issue's payloads.
        body: JSON.stringify({ chat_id: msg.recipient, text: msg.text, ...(msg.replyMarkup ? { reply_markup: msg.replyMarkup } : {}) }),
      });
      if (!(res instanceof Response)) return res;
      const reply = (await res.json().catch(() => ({ ok: false }))) as TelegramReply;
      if (res.ok && reply.ok) return { status: "ok", providerMessageId: reply.result?.message_id?.toString() ?? null };
      const description = reply.description ?? `HTTP ${res.status}`;
      if (res.status === 429) {
        const after = reply.parameters?.retry_after;
        return { status: "retry", retryAfterMs: after ? after * 1000 : undefined, error: description };
      }
      // 403: blocked by the user / kicked from the group / user deactivated. Writing again cannot help.
      if (res.status === 403) return { status: "permanent", reason: description, suppress: "blocked" };
      // 400 "chat not found" and friends: the address is wrong, not the moment.
      if (res.status === 400 && /chat not found|user not found|PEER_ID_INVALID/i.test(description)) {
        return { status: "permanent", reason: description, suppress: "invalid" };
      }
      if (res.status === 400) return { status: "permanent", reason: description };
      // 401 (token revoked), 5xx, 409 …: may work once the owner fixes the bot or Telegram recovers.
      return { status: "retry", error: description };
    },
  };
}
