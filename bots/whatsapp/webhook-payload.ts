import { z } from "zod";
import { AppError } from "../../workers/errors";

/**
 * The parts of a WhatsApp Cloud API webhook LeadRelay acts on, read leniently: Meta adds fields often
 * (BSUIDs, usernames, new message types), so unknown fields and types pass through, and one malformed
 * message is skipped (logged) instead of failing a batch of up to 1,000 updates.
 */
export interface InboundContact {
  /** wa_id: phone digits; null when Meta sends it empty (username adopters). */
  waId: string | null;
  /** BSUID (`user_id`). */
  userId: string | null;
  name: string | null;
}

export interface InboundMessage {
  id: string;
  /** The sender's wa_id (phone digits); null when empty. */
  from: string | null;
  /** The sender's BSUID (`from_user_id`, else the matching contact's `user_id`). */
  fromUserId: string | null;
  /** Meta's timestamp (epoch ms); null when missing or unreadable. */
  timestampMs: number | null;
  type: string;
  contact: InboundContact | null;
  /** The message object as Meta sent it. */
  raw: Record<string, unknown>;
}

export interface InboundStatus {
  id: string;
  status: string;
  timestampMs: number | null;
  recipientId: string | null;
  errors: unknown[] | null;
}

export interface PlatformError {
  code: number | null;
  title: string | null;
  details: string | null;
}

export interface WebhookBatch {
  messages: InboundMessage[];
  statuses: InboundStatus[];
  errors: PlatformError[];
  /** Changes for other numbers or other fields, and malformed entries: acknowledged, not acted on. */
  skipped: string[];
}

// wa_ids are phone digits; BSUIDs look like "US.13491208655302741918" or "user.9373…".
const ID = z.string().trim().max(128);
const optionalId = z.union([ID, z.number().transform(String)]).nullish();
const timestamp = z.union([z.string(), z.number()]).nullish();

const contactSchema = z.looseObject({
  wa_id: optionalId,
  user_id: optionalId,
  profile: z.looseObject({ name: z.string().max(1000).nullish() }).nullish(),
});

const messageSchema = z.looseObject({
  id: z.string().min(1).max(256),
  from: optionalId,
  from_user_id: optionalId,
  timestamp,
  type: z.string().min(1).max(64),
});

const statusSchema = z.looseObject({
  id: z.string().min(1).max(256),
  status: z.string().min(1).max(32),
  timestamp,
  recipient_id: optionalId,
  errors: z.array(z.unknown()).nullish(),
});

const errorSchema = z.looseObject({
  code: z.number().nullish(),
  title: z.string().nullish(),
  message: z.string().nullish(),
  error_data: z.looseObject({ details: z.string().nullish() }).nullish(),
});

const envelopeSchema = z.looseObject({
  object: z.string(),
  entry: z.array(z.unknown()).max(1000),
});

const changeSchema = z.looseObject({
  field: z.string(),
  value: z.looseObject({
    metadata: z.looseObject({ phone_number_id: z.union([z.string(), z.number()]).transform(String) }).nullish(),
    contacts: z.array(z.unknown()).nullish(),
    messages: z.array(z.unknown()).nullish(),
    statuses: z.array(z.unknown()).nullish(),
    errors: z.array(z.unknown()).nullish(),
  }),
});

const entrySchema = z.looseObject({ changes: z.array(z.unknown()).nullish() });

const blank = (v: string | null | undefined) => (v === null || v === undefined || v.trim() === "" ? null : v.trim());

/** Epoch ms from Meta's unix-seconds string; null when absent or not a plausible time. */
export function metaTimestamp(v: string | number | null | undefined): number | null {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d{1,12}$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) && n > 0 ? n * 1000 : null;
}

type Change = z.infer<typeof changeSchema>;
type MessageData = z.infer<typeof messageSchema>;

/** Parsed on first use, then kept: a part the caller never asks for (a large delivery's messages) costs nothing. */
function once<T>(read: () => T): () => T {
  let value: { v: T } | undefined;
  return () => {
    value ??= { v: read() };
    return value.v;
  };
}

/** One change of the webhook, as read: null when malformed. */
interface ReadChange {
  field: string;
  value: Change["value"];
  contacts: () => InboundContact[];
  /** Each message's fields, null where it is malformed. */
  messages: () => (MessageData | null)[];
  statuses: () => (InboundStatus | null)[];
  errors: () => (PlatformError | null)[];
}

/**
 * A webhook body read once. The hook, the handling after its answer and the queue consumer each ask several
 * things of the same body (how many updates per number, who wrote, each number's batch); each part is checked
 * against its schema once per body, not once per question: reading a one-message delivery six times over was 4 % of
 * the Worker isolate's CPU profile of the WhatsApp speed-to-lead run.
 */
export interface WebhookDelivery {
  /** False when the body is not a WhatsApp webhook at all (no `object`, or no `entry` array). */
  isWebhook: boolean;
  /** Each entry's changes, in order; null for a malformed entry. */
  entries: ((ReadChange | null)[] | null)[];
}

function readChange(change: Change): ReadChange {
  const { field, value } = change;
  return {
    field,
    value,
    contacts: once(() =>
      (value.contacts ?? []).flatMap((raw) => {
        const parsed = contactSchema.safeParse(raw);
        if (!parsed.success) return [];
        return [
          {
            waId: blank(parsed.data.wa_id),
            userId: blank(parsed.data.user_id),
            name: blank(parsed.data.profile?.name)?.slice(0, 200) ?? null,
          },
        ];
      }),
    ),
    messages: once(() =>
      (value.messages ?? []).map((raw) => {
        const parsed = messageSchema.safeParse(raw);
        return parsed.success ? parsed.data : null;
      }),
    ),
    statuses: once(() =>
      (value.statuses ?? []).map((raw) => {
        const parsed = statusSchema.safeParse(raw);
        if (!parsed.success) return null;
        const st = parsed.data;
        return {
          id: st.id,
          status: st.status.toLowerCase(),
          timestampMs: metaTimestamp(st.timestamp),
          recipientId: blank(st.recipient_id),
          errors: st.errors ?? null,
        };
      }),
    ),
    errors: once(() =>
      (value.errors ?? []).map((raw) => {
        const parsed = errorSchema.safeParse(raw);
        if (!parsed.success) return null;
        return {
          code: parsed.data.code ?? null,
          title: parsed.data.title ?? parsed.data.message ?? null,
          details: parsed.data.error_data?.details ?? null,
        };
      }),
    ),
  };
}

/** The body's envelope, entries and changes checked once (their messages and statuses when first asked for). */
export function readDelivery(body: unknown): WebhookDelivery {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return { isWebhook: false, entries: [] };
  return {
    isWebhook: true,
    entries: envelope.data.entry.map((rawEntry) => {
      const entry = entrySchema.safeParse(rawEntry);
      if (!entry.success) return null;
      return (entry.data.changes ?? []).map((rawChange) => {
        const change = changeSchema.safeParse(rawChange);
        return change.success ? readChange(change.data) : null;
      });
    }),
  };
}

/** 400 when the body is not a WhatsApp webhook at all (checked before a delivery is queued). */
export function assertWebhook(delivery: WebhookDelivery): void {
  if (!delivery.isWebhook)
    throw new AppError("BAD_REQUEST", "Not a WhatsApp webhook (needs `object` and an `entry` array).", {
      fields: { entry: "Missing or not an array." },
    });
}

/**
 * Everything in the webhook for this channel's number. Throws 400 only when the body is not a WhatsApp
 * webhook at all; the rest is acknowledged, and what cannot be read is listed in `skipped`.
 */
export function readWebhook(delivery: WebhookDelivery, phoneNumberId: string): WebhookBatch {
  assertWebhook(delivery);
  const batch: WebhookBatch = { messages: [], statuses: [], errors: [], skipped: [] };
  delivery.entries.forEach((changes, e) => {
    if (!changes) {
      batch.skipped.push(`entry ${e}: malformed`);
      return;
    }
    changes.forEach((change, c) => {
      const where = `entry ${e} change ${c}`;
      if (!change) {
        batch.skipped.push(`${where}: malformed`);
        return;
      }
      const { field, value } = change;
      if (field !== "messages") {
        batch.skipped.push(`${where}: field ${field}`);
        return;
      }
      // One Meta app delivers every number it serves to the same callback URL: act only on this channel's.
      if (value.metadata?.phone_number_id !== phoneNumberId) {
        batch.skipped.push(
          `${where}: phone_number_id ${value.metadata?.phone_number_id ?? "missing"} is not this channel's`,
        );
        return;
      }
      const contacts = change.contacts();
      change.messages().forEach((msg, m) => {
        if (!msg) {
          batch.skipped.push(`${where} message ${m}: malformed`);
          return;
        }
        const from = blank(msg.from);
        const contact =
          contacts.find(
            (k) =>
              (from !== null && k.waId === from) ||
              (blank(msg.from_user_id) !== null && k.userId === blank(msg.from_user_id)),
          ) ?? (contacts.length === 1 ? contacts[0]! : null);
        const fromUserId = blank(msg.from_user_id) ?? contact?.userId ?? null;
        if (from === null && fromUserId === null) {
          batch.skipped.push(`${where} message ${m}: no sender`);
          return;
        }
        batch.messages.push({
          id: msg.id,
          from,
          fromUserId,
          timestampMs: metaTimestamp(msg.timestamp),
          type: msg.type,
          contact,
          raw: msg,
        });
      });
      change.statuses().forEach((status, s) => {
        if (status) batch.statuses.push({ ...status });
        else batch.skipped.push(`${where} status ${s}: malformed`);
      });
      for (const error of change.errors()) {
        if (error) batch.errors.push({ ...error });
        else batch.skipped.push(`${where}: malformed error`);
      }
    });
  });
  return batch;
}

/**
 * How many messages and statuses each business number has in the webhook. One Meta app sends every number
 * it serves to the same callback URL, so a delivery to one channel's URL may carry another number's changes.
 */
export function webhookNumbers(delivery: WebhookDelivery): Map<string, { messages: number; statuses: number }> {
  const numbers = new Map<string, { messages: number; statuses: number }>();
  for (const changes of delivery.entries) {
    for (const change of changes ?? []) {
      const id = change?.field === "messages" ? change.value.metadata?.phone_number_id : undefined;
      if (!change || id === undefined) continue;
      const seen = numbers.get(id) ?? { messages: 0, statuses: 0 };
      seen.messages += change.value.messages?.length ?? 0;
      seen.statuses += change.value.statuses?.length ?? 0;
      numbers.set(id, seen);
    }
  }
  return numbers;
}

/** Every message of the webhook, whichever of the app's numbers it is for. */
export function webhookMessages(delivery: WebhookDelivery): InboundMessage[] {
  return [...webhookNumbers(delivery).keys()].flatMap((id) => readWebhook(delivery, id).messages);
}

/**
 * Who wrote in the webhook, any number: each message's wa_id, else its BSUID (messages Meta sent without a
 * sender are skipped later anyway). Deliveries naming the same sender are handled in order.
 */
export function webhookSenders(delivery: WebhookDelivery): string[] {
  const senders = new Set<string>();
  for (const changes of delivery.entries) {
    for (const change of changes ?? []) {
      for (const msg of change?.messages() ?? []) {
        const from = msg ? (blank(msg.from) ?? blank(msg.from_user_id)) : null;
        if (from !== null) senders.add(from);
      }
    }
  }
  return [...senders];
}
