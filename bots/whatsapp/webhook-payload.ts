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

/** The envelope of a WhatsApp webhook; 400 when the body is not one at all (checked before a delivery is queued). */
export function readEnvelope(body: unknown): z.infer<typeof envelopeSchema> {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success)
    throw new AppError("BAD_REQUEST", "Not a WhatsApp webhook (needs `object` and an `entry` array).", {
      fields: { entry: "Missing or not an array." },
    });
  return envelope.data;
}

/**
 * Everything in the webhook for this channel's number. Throws 400 only when the body is not a WhatsApp
 * webhook at all; the rest is acknowledged, and what cannot be read is listed in `skipped`.
 */
export function readWebhook(body: unknown, phoneNumberId: string): WebhookBatch {
  const envelope = readEnvelope(body);
  const batch: WebhookBatch = { messages: [], statuses: [], errors: [], skipped: [] };
  envelope.entry.forEach((rawEntry, e) => {
    const entry = entrySchema.safeParse(rawEntry);
    if (!entry.success) {
      batch.skipped.push(`entry ${e}: malformed`);
      return;
    }
    (entry.data.changes ?? []).forEach((rawChange, c) => {
      const where = `entry ${e} change ${c}`;
      const change = changeSchema.safeParse(rawChange);
      if (!change.success) {
        batch.skipped.push(`${where}: malformed`);
        return;
      }
      const { field, value } = change.data;
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
      const contacts = (value.contacts ?? []).flatMap((raw) => {
        const parsed = contactSchema.safeParse(raw);
        if (!parsed.success) return [];
        return [
          {
            waId: blank(parsed.data.wa_id),
            userId: blank(parsed.data.user_id),
            name: blank(parsed.data.profile?.name)?.slice(0, 200) ?? null,
          },
        ];
      });
      (value.messages ?? []).forEach((raw, m) => {
        const parsed = messageSchema.safeParse(raw);
        if (!parsed.success) {
          batch.skipped.push(`${where} message ${m}: malformed`);
          return;
        }
        const msg = parsed.data;
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
      (value.statuses ?? []).forEach((raw, s) => {
        const parsed = statusSchema.safeParse(raw);
        if (!parsed.success) {
          batch.skipped.push(`${where} status ${s}: malformed`);
          return;
        }
        const st = parsed.data;
        batch.statuses.push({
          id: st.id,
          status: st.status.toLowerCase(),
          timestampMs: metaTimestamp(st.timestamp),
          recipientId: blank(st.recipient_id),
          errors: st.errors ?? null,
        });
      });
      (value.errors ?? []).forEach((raw) => {
        const parsed = errorSchema.safeParse(raw);
        if (!parsed.success) {
          batch.skipped.push(`${where}: malformed error`);
          return;
        }
        batch.errors.push({
          code: parsed.data.code ?? null,
          title: parsed.data.title ?? parsed.data.message ?? null,
          details: parsed.data.error_data?.details ?? null,
        });
      });
    });
  });
  return batch;
}

/**
 * How many messages and statuses each business number has in the webhook. One Meta app sends every number
 * it serves to the same callback URL, so a delivery to one channel's URL may carry another number's changes.
 */
export function webhookNumbers(body: unknown): Map<string, { messages: number; statuses: number }> {
  const numbers = new Map<string, { messages: number; statuses: number }>();
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return numbers;
  for (const rawEntry of envelope.data.entry) {
    const entry = entrySchema.safeParse(rawEntry);
    for (const rawChange of entry.success ? (entry.data.changes ?? []) : []) {
      const change = changeSchema.safeParse(rawChange);
      const id =
        change.success && change.data.field === "messages" ? change.data.value.metadata?.phone_number_id : undefined;
      if (!change.success || id === undefined) continue;
      const seen = numbers.get(id) ?? { messages: 0, statuses: 0 };
      seen.messages += change.data.value.messages?.length ?? 0;
      seen.statuses += change.data.value.statuses?.length ?? 0;
      numbers.set(id, seen);
    }
  }
  return numbers;
}

/** Every message of the webhook, whichever of the app's numbers it is for. */
export function webhookMessages(body: unknown): InboundMessage[] {
  return [...webhookNumbers(body).keys()].flatMap((id) => readWebhook(body, id).messages);
}

/**
 * Who wrote in the webhook, any number: each message's wa_id, else its BSUID (messages Meta sent without a
 * sender are skipped later anyway). Deliveries naming the same sender are handled in order.
 */
export function webhookSenders(body: unknown): string[] {
  const senders = new Set<string>();
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return [];
  for (const rawEntry of envelope.data.entry) {
    const entry = entrySchema.safeParse(rawEntry);
    for (const rawChange of entry.success ? (entry.data.changes ?? []) : []) {
      const change = changeSchema.safeParse(rawChange);
      for (const raw of change.success ? (change.data.value.messages ?? []) : []) {
        const msg = messageSchema.safeParse(raw);
        const from = msg.success ? (blank(msg.data.from) ?? blank(msg.data.from_user_id)) : null;
        if (from !== null) senders.add(from);
      }
    }
  }
  return [...senders];
}
