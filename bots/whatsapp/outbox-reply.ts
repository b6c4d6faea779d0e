import type { InStatement } from "@libsql/client/web";
import type { OutboxKind } from "../../db/schema";
import { chatReplyInsert } from "../../workers/outbox/outbox-row";
import type { WhatsappDeps } from "./context";

export interface QueuedWhatsapp {
  kind: OutboxKind;
  /** wa_id (phone digits) or BSUID. */
  to: string;
  text: string;
  /** An interactive message without its body (reply buttons, a list). */
  interactive?: unknown;
  leadId?: string | null;
  /** Derived from the message that causes it (`wa:<channel>:<message id>:<n>`): a replay inserts nothing. */
  key: string;
}

/**
 * Replies go through the outbox like every other message (window and template rules, rate-limit retries,
 * one send per key): handlers add this statement to their batch and write it with `commitAndSend`.
 */
export function whatsappOutboxInsert(deps: WhatsappDeps, m: QueuedWhatsapp): InStatement {
  const payload = { text: m.text, ...(m.interactive ? { interactive: m.interactive } : {}) };
  return chatReplyInsert(deps, "whatsapp", { kind: m.kind, leadId: m.leadId, key: m.key, recipient: m.to, payload });
}

/** Idempotency key of a message caused by WhatsApp message `messageId` (`n` tells several apart). */
export function messageKey(deps: WhatsappDeps, messageId: string, n: number | string): string {
  return `wa:${deps.channel.id}:${messageId}:${n}`;
}
