import type { ChannelConfig, CopyOf, OutboxKind, SenderKind } from "../../db/schema";
import type { LeadActionsRef } from "../domain/leads/lead-action-names";

/** One message as a sender sees it: already rendered, with the sending channel's config when it has one. */
export interface OutboundMessage {
  recipient: string;
  text: string;
  subject?: string | undefined;
  template?: string | undefined;
  body?: unknown;
  /** Telegram inline keyboard etc., passed through as `reply_markup`. */
  replyMarkup?: unknown;
  /** WhatsApp interactive message (reply buttons, list) without its body: `text` is the body. */
  interactive?: unknown;
  /** A lead's action buttons, neutral: each sender renders them its own way. */
  actions?: LeadActionsRef | undefined;
  /** What the message is for: picks the WhatsApp template configured for that use. */
  kind?: OutboxKind | undefined;
  /** WhatsApp: whether the recipient's 24-hour customer service window is open now. */
  windowOpen?: boolean | undefined;
  /** Fills {name}, {rep_name}, {form}, {lead_id} in template parameters. */
  render?: ((text: string) => string) | undefined;
  /** Telegram: copy a prospect's message (media relay) instead of sending `text`. */
  copyOf?: CopyOf | undefined;
  channelConfig: ChannelConfig | null;
  /** Webhook rows: the endpoint's current secret, read at send time (rows never store it). */
  signingSecret?: string | undefined;
  /** Webhook rows: the secret a rotation replaced, still signing alongside `signingSecret` during the overlap. */
  previousSigningSecret?: string | undefined;
  /** What a text cut at the platform's limit ends with (where the whole text is), besides "…". */
  cutNote?: string | undefined;
}

/**
 * Every sender classifies the provider's answer, so the outbox never guesses:
 * ok → sent; retry → again later (not before `retryAfterMs` when the provider said so);
 * permanent → never again (`suppress`: the address itself is unreachable, e.g. Telegram 403 blocked).
 */
export type SendResult = (
  | { status: "ok"; providerMessageId: string | null }
  | { status: "retry"; retryAfterMs?: number | undefined; error: string }
  | { status: "permanent"; reason: string; suppress?: "blocked" | "invalid" | undefined }
  // Not sent on purpose, decided by the sender (a WhatsApp message outside the window with no template).
  | { status: "skipped"; reason: string }
) & {
  /** The HTTP status the receiver answered, where one did (webhooks keep it in their delivery log). */
  httpStatus?: number | undefined;
};

export interface Sender {
  send(message: OutboundMessage): Promise<SendResult>;
}

/** Channel kind → its sender. A kind without a sender (email without an email API) is left pending, not failed. */
export type SenderRegistry = Partial<Record<SenderKind, Sender>>;

// A send must finish well inside the outbox lease, or another run could claim the row again.
export const SEND_TIMEOUT_MS = 10_000;

/** fetch that reports a network failure or timeout as a retry instead of throwing. */
export async function fetchForSend(url: string, init: RequestInit): Promise<Response | SendResult> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(SEND_TIMEOUT_MS) });
  } catch (err) {
    return { status: "retry", error: `network: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** `Retry-After` in seconds (the only form providers send in practice) → ms. */
export function retryAfterHeader(res: Response): number | undefined {
  const v = Number(res.headers.get("retry-after"));
  return Number.isFinite(v) && v > 0 ? v * 1000 : undefined;
}
