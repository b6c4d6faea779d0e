import { z } from "zod";
import type { SenderKind } from "../../../db/schema";

/** A lead's address on a channel: what the channel knows the prospect by (see db/schema/lead-identity.ts). */
export interface Identity {
  kind: string;
  address: string;
}

export const identitySchema = z.object({
  // A channel's own short name for the address; stored as is, so kept to a plain slug.
  kind: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9-]{0,31}$/, "A lower-case slug (letters, digits, '-'), at most 32 characters."),
  address: z.string().trim().min(1).max(128),
});

/**
 * Identity kinds that still have a column of their own on `lead`, written beside `lead_identity` while readers of
 * those columns remain (the lead API and page, rep replies, sequence steps, the bots' chat lookups). A kind that
 * is not listed here lives in `lead_identity` only — a new channel adds nothing to this list.
 */
export const LEGACY_IDENTITY_COLUMNS: Readonly<Record<string, string>> = {
  telegram: "telegram_user_id",
  // wa_id: the WhatsApp user's number as digits.
  whatsapp: "whatsapp_id",
  // BSUID: the business-scoped WhatsApp user id, the only id of users who hide their number.
  "whatsapp-user": "whatsapp_user_id",
};

/** Which outbox sender writes to an address of this kind; kinds without one are dedup keys only. */
export const IDENTITY_SENDER: Readonly<Record<string, SenderKind>> = {
  telegram: "telegram",
  whatsapp: "whatsapp",
  "whatsapp-user": "whatsapp",
};

/** Capture input fields that predate `identities`, kept as shorthands so each channel can be moved on its own. */
export const IDENTITY_FIELDS = {
  telegramUserId: "telegram",
  whatsappId: "whatsapp",
  whatsappUserId: "whatsapp-user",
} as const;

/** The identities a capture carries, in dedup precedence order, blank and repeated ones dropped. */
export function collectIdentities(
  input: Partial<Record<keyof typeof IDENTITY_FIELDS, string | undefined>> & { identities?: Identity[] },
): Identity[] {
  const all: Identity[] = [
    ...Object.entries(IDENTITY_FIELDS).map(([field, kind]) => ({
      kind,
      address: input[field as keyof typeof IDENTITY_FIELDS] ?? "",
    })),
    ...(input.identities ?? []),
  ];
  const seen = new Set<string>();
  return all.filter((i) => {
    const key = JSON.stringify([i.kind, i.address]);
    if (i.address === "" || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The first address of `kind`, or null. */
export const addressOf = (identities: Identity[], kind: string): string | null =>
  identities.find((i) => i.kind === kind)?.address ?? null;

/** The first address a sender can write to (a prospect's chat for the auto-reply), or null. */
export const senderAddress = (identities: Identity[], sender: SenderKind): string | null =>
  identities.find((i) => IDENTITY_SENDER[i.kind] === sender)?.address ?? null;

/** The identities as the JSON array of [kind, address] pairs that `identityMatch` reads (`:ids`). */
export const identitiesArg = (identities: Identity[]) => JSON.stringify(identities.map((i) => [i.kind, i.address]));

/**
 * SQL: the lead of workspace `:ws` that owns one of `:ids` (identitiesArg), the earliest listed winning; NULL if none.
 */
export const identityMatch = `(SELECT li.lead_id FROM json_each(:ids) j
    JOIN lead_identity li ON li.workspace_id = :ws AND li.kind = json_extract(j.value, '$[0]')
      AND li.address = json_extract(j.value, '$[1]')
    ORDER BY j.key LIMIT 1)`;

/**
 * SQL: gives the lead `leadExpr` each of `:ids` that no lead of the workspace holds yet. An address already held
 * by another lead stays there: one address is never moved between leads on a typed claim.
 */
export const attachIdentities = (leadExpr: string, condition = "1") =>
  `INSERT INTO lead_identity (workspace_id, kind, address, lead_id, created_at)
     SELECT :ws, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), (${leadExpr}), :now
     FROM json_each(:ids) j WHERE (${leadExpr}) IS NOT NULL AND ${condition}
     ON CONFLICT DO NOTHING`;
