import type { OutboxKind } from "../../db/schema";
import type { WhatsappChannelConfig } from "../../workers/domain/channels/whatsapp-channels";
import { CHAT_TEXT_LIMIT, fitText } from "../../workers/outbox/fit-text";
import {
  fetchForSend,
  type OutboundMessage,
  retryAfterHeader,
  type Sender,
  type SendResult,
} from "../../workers/outbox/sender";
import { templateParameters, type WhatsappSendMode, whatsappSendMode } from "../../workers/outbox/whatsapp-mode";
import { alertButtons } from "./whatsapp-actions";

interface GraphReply {
  messages?: { id?: string }[];
  error?: { code?: number; message?: string; error_data?: { details?: string }; error_subcode?: number };
}

// Minimum wait after Meta's rate errors: the pair limit allows one message per 6 s to the same user and
// a burst borrows from the next minutes; the throughput limit clears within seconds to a minute.
const PAIR_RATE_WAIT_MS = 60_000;
const THROUGHPUT_WAIT_MS = 30_000;
// An interactive message's body (the alert with reply buttons) stops at 1,024 characters.
const INTERACTIVE_BODY_LIMIT = 1024;

// Codes after which the same request can never succeed (the recipient, the content or the account is wrong).
const PERMANENT_CODES = new Set([
  100, 131008, 131009, 131021, 131026, 131045, 131049, 131051, 131052, 132000, 132001, 132005, 132007, 132012, 132015,
  132016, 132018, 133010, 130472,
]);
// The recipient cannot be reached on WhatsApp: later messages to them are skipped (suppression).
const UNREACHABLE_CODES = new Set([131026]);
// The business account or token: nothing sent from this number can succeed until the owner fixes it.
const ACCOUNT_CODES = new Set([190, 10, 200, 368, 131031, 131042]);

/**
 * Cloud API `POST /<phone-number-id>/messages`. Decides per row between free text (or the interactive
 * alert) and an approved template from the 24-hour window (`whatsappSendMode`), and classifies Meta's
 * answer: 131047 (window closed after all) switches to the template when one is configured, else fails;
 * 131056 (pair rate) and 130429 (throughput) retry later; a rejected token (401/190) fails the row without
 * retrying, so a revoked token does not hammer the API every minute.
 */
export function whatsappSender(graphUrl: string): Sender {
  const root = graphUrl.replace(/\/+$/, "");
  async function post(
    config: WhatsappChannelConfig,
    to: string,
    mode: Exclude<WhatsappSendMode, { mode: "skip" }>,
    render: (p: string) => string,
    text: string,
    cutNote?: string,
  ) {
    const base = { messaging_product: "whatsapp", recipient_type: "individual", to };
    const body =
      mode.mode === "text"
        ? { ...base, type: "text", text: { body: fitText(mode.text, CHAT_TEXT_LIMIT, cutNote), preview_url: false } }
        : mode.mode === "interactive"
          ? {
              ...base,
              type: "interactive",
              interactive: { ...mode.interactive, body: { text: fitText(mode.text, INTERACTIVE_BODY_LIMIT, cutNote) } },
            }
          : {
              ...base,
              type: "template",
              template: {
                name: mode.template.name,
                language: { code: mode.template.language },
                ...(mode.template.parameters.length
                  ? {
                      components: [
                        {
                          type: "body",
                          parameters: templateParameters(mode.template.parameters, (p) =>
                            render(p).replaceAll("{text}", text),
                          ),
                        },
                      ],
                    }
                  : {}),
              },
            };
    return fetchForSend(`${root}/${encodeURIComponent(config.phoneNumberId)}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${config.accessToken}` },
      body: JSON.stringify(body),
    });
  }

  async function classify(res: Response | SendResult, how: string): Promise<SendResult & { code?: number }> {
    if (!(res instanceof Response)) return res;
    const reply = (await res.json().catch(() => ({}))) as GraphReply;
    const id = reply.messages?.[0]?.id;
    if (res.ok && id) return { status: "ok", providerMessageId: id };
    const code = reply.error?.code;
    const details = reply.error?.error_data?.details ? ` (${reply.error.error_data.details})` : "";
    const detail = `${code ?? `HTTP ${res.status}`}: ${reply.error?.message ?? "no error body"}${details} [${how}]`;
    if (code === 131047)
      return { status: "permanent", reason: `re-engagement required, outside the 24-hour window: ${detail}`, code };
    if (code === 131056)
      return {
        status: "retry",
        retryAfterMs: Math.max(PAIR_RATE_WAIT_MS, retryAfterHeader(res) ?? 0),
        error: `pair rate limit: ${detail}`,
        code,
      };
    if (code === 130429 || code === 80007 || code === 4 || res.status === 429) {
      return {
        status: "retry",
        retryAfterMs: Math.max(THROUGHPUT_WAIT_MS, retryAfterHeader(res) ?? 0),
        error: `rate limited: ${detail}`,
        code,
      };
    }
    if (res.status === 401 || (code !== undefined && ACCOUNT_CODES.has(code))) {
      return { status: "permanent", reason: `access token or account rejected, reconnect the number: ${detail}` };
    }
    if (code !== undefined && UNREACHABLE_CODES.has(code))
      return { status: "permanent", reason: detail, suppress: "invalid" };
    if (code !== undefined && PERMANENT_CODES.has(code)) return { status: "permanent", reason: detail };
    if (res.status >= 500 || code === 131000 || code === 131016 || code === 131057 || code === 2)
      return { status: "retry", error: detail };
    if (res.status >= 400 && res.status < 500) return { status: "permanent", reason: detail };
    return { status: "retry", error: detail };
  }

  return {
    async send(msg: OutboundMessage): Promise<SendResult> {
      const config = msg.channelConfig as WhatsappChannelConfig | null;
      if (!config?.phoneNumberId || !config.accessToken)
        return { status: "permanent", reason: "no WhatsApp number configured for this row's channel" };
      const kind: OutboxKind = msg.kind ?? "bot_reply";
      const templates = config.templates ?? {};
      const render = msg.render ?? ((p: string) => p);
      const interactive = msg.actions ? alertButtons(msg.actions.leadId) : msg.interactive;
      const mode = whatsappSendMode({
        windowOpen: msg.windowOpen ?? false,
        kind,
        text: msg.text,
        interactive,
        template: msg.template,
        templates,
      });
      if (mode.mode === "skip") return { status: "skipped", reason: mode.reason };
      const first = await classify(await post(config, msg.recipient, mode, render, msg.text, msg.cutNote), mode.mode);
      if (first.code !== 131047 || mode.mode === "template") return stripCode(first);
      // Meta says the window is closed (our record of the user's last message disagreed): the template, if any.
      const fallback = whatsappSendMode({ windowOpen: false, kind, text: msg.text, template: msg.template, templates });
      if (fallback.mode !== "template")
        return {
          status: "permanent",
          reason: `${first.status === "permanent" ? first.reason : ""}; no "${kind}" template configured`,
        };
      return stripCode(
        await classify(await post(config, msg.recipient, fallback, render, msg.text), "template after 131047"),
      );
    },
  };
}

function stripCode(r: SendResult & { code?: number }): SendResult {
  const { code: _code, ...rest } = r;
  return rest as SendResult;
}
