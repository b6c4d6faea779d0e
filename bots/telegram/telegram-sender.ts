import { CHAT_TEXT_LIMIT, fitText } from "../../workers/outbox/fit-text";
import type { OutboundMessage, Sender, SendResult } from "../../workers/outbox/sender";
import { fetchForSend } from "../../workers/outbox/sender";
import { leadActionsKeyboard } from "./telegram-actions";

// Telegram refuses a longer caption ("message caption is too long").
const CAPTION_LIMIT = 1024;

interface TelegramReply {
  ok: boolean;
  result?: { message_id?: number };
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

/**
 * `sendMessage` (or `copyMessage` for a relayed media message) over fetch; the outbox only needs to send
 * and classify the answer (see ../shared/fixtures/telegram/error_*.json). Both answer `{message_id}`.
 */
export function telegramSender(apiRoot: string): Sender {
  const root = apiRoot.replace(/\/+$/, "");
  return {
    async send(msg: OutboundMessage): Promise<SendResult> {
      const token = msg.channelConfig?.token;
      if (!token) return { status: "permanent", reason: "no Telegram bot token configured for this channel" };
      const replyMarkup = msg.actions ? leadActionsKeyboard(msg.actions.leadId) : msg.replyMarkup;
      const markup = replyMarkup ? { reply_markup: replyMarkup } : {};
      const copy = msg.copyOf;
      // A relayed photo, voice note or document is copied, so the rep gets the thing itself (a bot cannot
      // hand out a download link without exposing its token); the header rides as its caption.
      const [method, body] = copy
        ? [
            "copyMessage",
            {
              chat_id: msg.recipient,
              from_chat_id: copy.fromChatId,
              message_id: copy.messageId,
              ...(copy.caption ? { caption: fitText(msg.text, CAPTION_LIMIT, msg.cutNote) } : {}),
              ...markup,
            },
          ]
        : ["sendMessage", { chat_id: msg.recipient, text: fitText(msg.text, CHAT_TEXT_LIMIT, msg.cutNote), ...markup }];
      const res = await fetchForSend(`${root}/bot${token}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
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
