import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { type ChannelConfig, channel, OUTBOX_KINDS, type OutboxKind } from "../../../db/schema";
import { AppError } from "../../errors";
import { newId } from "../../lib/ids";
import type { DomainContext, Scope } from "../context";
import { findChannelRow, listChannelRows } from "./channel-rows";

/**
 * An approved message template for one use (an outbox kind: auto_reply, follow_up, rep_alert, …), sent
 * when that message falls outside the 24-hour window. `parameters` fill the template body's {{1}}, {{2}} …
 * in order and may hold {name}, {rep_name}, {form}, {lead_id} and {text} (the message it stands in for).
 */
export const whatsappTemplateSchema = z.object({
  // Meta's rule for template names: lower-case letters, digits and underscores.
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, "Template names are lower-case letters, digits and underscores."),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, "A template language code such as en_US or pt_BR.")
    .default("en_US"),
  parameters: z.array(z.string().min(1).max(1024)).max(20).default([]),
});
export type WhatsappTemplate = z.infer<typeof whatsappTemplateSchema>;

export const whatsappTemplatesSchema = z.partialRecord(z.enum(OUTBOX_KINDS), whatsappTemplateSchema);

/** What a WhatsApp channel keeps in its config JSON (the token and both secrets never leave the server). */
export interface WhatsappChannelConfig extends ChannelConfig {
  phoneNumberId: string;
  /** Graph API access token (a system user's permanent token in production). */
  accessToken: string;
  /** The Meta app's secret: X-Hub-Signature-256 is its HMAC of each webhook body. */
  appSecret: string;
  /** What the app's webhook settings send as hub.verify_token when Meta verifies the callback URL. */
  verifyToken: string;
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  webhookUrl: string;
  templates: Partial<Record<OutboxKind, WhatsappTemplate>>;
  /** The last out-of-band error Meta reported for this number (`value.errors` webhooks, e.g. 130429). */
  lastError?: { code: number | null; title: string | null; details: string | null; at: number } | undefined;
  /**
   * Numbers of the same Meta app that reached this URL but are not connected in the workspace: what they
   * carried is not acted on, so it is counted here and shown, until the owner connects the number.
   */
  unknownNumbers?: Record<string, UnknownNumber> | undefined;
}

export interface UnknownNumber {
  messages: number;
  statuses: number;
  lastAt: number;
}

export interface WhatsappChannel {
  id: string;
  workspaceId: string;
  config: WhatsappChannelConfig;
}

/** Enough of a secret to tell two apart, not enough to use one. */
export function maskSecret(secret: string): string {
  return secret.length >= 12 ? `\u2022\u2022\u2022\u2022${secret.slice(-4)}` : "\u2022\u2022\u2022\u2022";
}

/** The public view: secrets masked. */
export function whatsappChannelView(c: WhatsappChannel & { createdAt: number }) {
  return {
    id: c.id,
    kind: "whatsapp" as const,
    phoneNumberId: c.config.phoneNumberId,
    displayPhoneNumber: c.config.displayPhoneNumber,
    verifiedName: c.config.verifiedName,
    webhookUrl: c.config.webhookUrl,
    accessToken: maskSecret(c.config.accessToken),
    appSecret: maskSecret(c.config.appSecret),
    verifyToken: maskSecret(c.config.verifyToken),
    autoReplyText: c.config.autoReplyText ?? null,
    templates: c.config.templates ?? {},
    lastError: c.config.lastError ?? null,
    unknownNumbers: Object.entries(c.config.unknownNumbers ?? {}).map(([phoneNumberId, seen]) => ({
      phoneNumberId,
      ...seen,
    })),
    createdAt: c.createdAt,
  };
}

const secret = (min: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(512)
    .regex(/^[\x21-\x7e]+$/, "Printable ASCII without spaces.");

/** What connecting a number takes, from the API and the console alike. */
export const WhatsappConnectInput = z.object({
  phoneNumberId: z
    .string()
    .trim()
    .regex(/^\d{5,32}$/, "The numeric phone number id from the WhatsApp Manager / API setup page."),
  accessToken: secret(20),
  appSecret: secret(16),
  verifyToken: secret(8),
  autoReplyText: z.string().trim().min(1).max(4096).optional(),
  templates: whatsappTemplatesSchema.optional().openapi({
    description:
      "Approved templates per use (auto_reply, follow_up, rep_alert, relay, rep_reply, reminder, escalation, " +
      "bot_reply), sent outside the 24-hour window",
  }),
});
export type WhatsappConnectInput = z.infer<typeof WhatsappConnectInput>;

/**
 * Connects a business number: reads it from the Graph API with the token (a wrong token or number id is
 * the caller's mistake, 422; Meta unreachable is 502), then stores the channel. Connecting the same number
 * again in the same workspace updates that channel. The webhook itself is registered by the owner in the
 * Meta app's settings (callback URL + verify token), which the Graph API does not offer per number.
 */
export async function connectWhatsappNumber(
  { ctx, workspace }: Scope,
  input: WhatsappConnectInput & { publicOrigin: string },
) {
  const root = ctx.config.WHATSAPP_GRAPH_URL.replace(/\/+$/, "");
  const profile = await graphLookup(
    `${root}/${encodeURIComponent(input.phoneNumberId)}?fields=display_phone_number,verified_name`,
    input.accessToken,
  );
  const { db } = ctx.database;
  const existing = (
    await db
      .select()
      .from(channel)
      .where(and(eq(channel.workspaceId, workspace.id), eq(channel.kind, "whatsapp")))
      .all()
  ).find((c) => c.config.phoneNumberId === input.phoneNumberId);
  const now = ctx.now();
  const id = existing?.id ?? newId("chan", now);
  const previous = (existing?.config ?? {}) as Partial<WhatsappChannelConfig>;
  const config: WhatsappChannelConfig = {
    ...previous,
    phoneNumberId: input.phoneNumberId,
    accessToken: input.accessToken,
    appSecret: input.appSecret,
    verifyToken: input.verifyToken,
    displayPhoneNumber: profile.display_phone_number ?? null,
    verifiedName: profile.verified_name ?? null,
    webhookUrl: `${input.publicOrigin.replace(/\/+$/, "")}/hooks/whatsapp/${id}`,
    templates: input.templates ?? previous.templates ?? {},
    ...(input.autoReplyText !== undefined ? { autoReplyText: input.autoReplyText } : {}),
    lastError: undefined,
  };
  if (existing) await db.update(channel).set({ config }).where(eq(channel.id, id));
  else await db.insert(channel).values({ id, workspaceId: workspace.id, kind: "whatsapp", config, createdAt: now });
  return whatsappChannelView({ id, workspaceId: workspace.id, config, createdAt: existing?.createdAt ?? now });
}

export async function listWhatsappChannels(scope: Scope) {
  return (await listChannelRows<WhatsappChannelConfig>(scope, "whatsapp")).map(whatsappChannelView);
}

/** What a number's webhook needs to be served. */
export const whatsappComplete = (c: WhatsappChannelConfig) => Boolean(c.phoneNumberId && c.appSecret && c.verifyToken);

/** The webhook's lookup: by id alone (the signature or verify token in the request proves the rest). */
export function findWhatsappChannel(ctx: DomainContext, id: string) {
  return findChannelRow<WhatsappChannelConfig>(ctx, id, "whatsapp", whatsappComplete);
}

interface GraphPhoneNumber {
  id?: string;
  display_phone_number?: string;
  verified_name?: string;
  error?: { message?: string; code?: number; type?: string };
}

async function graphLookup(url: string, token: string): Promise<GraphPhoneNumber> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    throw new AppError(
      "UPSTREAM_UNAVAILABLE",
      `WhatsApp Graph API unreachable: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  const body = (await res.json().catch(() => ({}))) as GraphPhoneNumber;
  if (res.ok && body.id) return body;
  const message = body.error?.message ?? `HTTP ${res.status}`;
  // 190 = the access token is invalid or expired (Graph answers it with 401 or 400).
  if (res.status === 401 || body.error?.code === 190) {
    throw AppError.validation({ accessToken: `Meta rejected this access token: ${message}` });
  }
  // 100 = unknown object / no permission on it: not a phone number id this token can use.
  if (res.status === 400 || res.status === 403 || res.status === 404) {
    throw AppError.validation({ phoneNumberId: `Meta does not know this phone number id for this token: ${message}` });
  }
  throw new AppError("UPSTREAM_UNAVAILABLE", `WhatsApp Graph API failed: ${message}`);
}

/**
 * The workspace's other numbers among `phoneNumberIds` that share this channel's app secret: the same Meta
 * app, whose webhook reaches every number's URL. A number under another secret is not trusted by this
 * signature.
 */
export async function findSiblingNumbers(
  ctx: DomainContext,
  of: WhatsappChannel,
  phoneNumberIds: string[],
): Promise<WhatsappChannel[]> {
  const rs = await ctx.database.client.execute({
    sql: `SELECT id, workspace_id, config FROM channel
          WHERE workspace_id = :ws AND kind = 'whatsapp' AND id <> :id
            AND json_extract(config, '$.phoneNumberId') IN (SELECT value FROM json_each(:numbers))
            AND json_extract(config, '$.appSecret') = :secret`,
    args: { ws: of.workspaceId, id: of.id, numbers: JSON.stringify(phoneNumberIds), secret: of.config.appSecret },
  });
  return rs.rows.map((r) => ({
    id: String(r.id),
    workspaceId: String(r.workspace_id),
    config: JSON.parse(String(r.config)) as WhatsappChannelConfig,
  }));
}

/** Counts what unconnected numbers sent to this channel's URL (see `unknownNumbers`). */
export async function recordUnknownNumbers(
  ctx: DomainContext,
  channelId: string,
  seen: { phoneNumberId: string; messages: number; statuses: number }[],
): Promise<void> {
  const now = ctx.now();
  const statements = seen.map((n) => {
    // JSON path key: Meta's ids are digits; anything else is reduced to safe characters.
    const path = `$.unknownNumbers."${n.phoneNumberId.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64)}"`;
    return {
      sql: `UPDATE channel SET config = json_set(config, :path, json_object(
              'messages', COALESCE(json_extract(config, :path || '.messages'), 0) + :messages,
              'statuses', COALESCE(json_extract(config, :path || '.statuses'), 0) + :statuses, 'lastAt', :now))
            WHERE id = :id`,
      args: { id: channelId, path, messages: n.messages, statuses: n.statuses, now },
    };
  });
  await ctx.database.client.batch(statements, "write");
}
