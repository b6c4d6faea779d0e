import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { channel, OUTBOX_KINDS, type ChannelConfig, type OutboxKind } from "../../db/schema";
import { AppError } from "../errors";
import { newId } from "../lib/ids";
import type { DomainContext, Scope, WorkspaceRef } from "./context";

/**
 * An approved message template for one use (an outbox kind: auto_reply, follow_up, rep_alert, …), sent
 * when that message falls outside the 24-hour window. `parameters` fill the template body's {{1}}, {{2}} …
 * in order and may hold {name}, {rep_name}, {form}, {lead_id} and {text} (the message it stands in for).
 */
export const whatsappTemplateSchema = z.object({
  // Meta's rule for template names: lower-case letters, digits and underscores.
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, "Template names are lower-case letters, digits and underscores."),
  language: z.string().regex(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, "A template language code such as en_US or pt_BR.").default("en_US"),
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
    createdAt: c.createdAt,
  };
}

export interface ConnectWhatsappInput {
  phoneNumberId: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  autoReplyText?: string | undefined;
  templates?: Partial<Record<OutboxKind, WhatsappTemplate>> | undefined;
  publicOrigin: string;
}

/**
 * Connects a business number: reads it from the Graph API with the token (a wrong token or number id is
 * the caller's mistake, 422; Meta unreachable is 502), then stores the channel. Connecting the same number
 * again in the same workspace updates that channel. The webhook itself is registered by the owner in the
 * Meta app's settings (callback URL + verify token), which the Graph API does not offer per number.
 */
export async function connectWhatsappNumber({ ctx, workspace }: Scope, input: ConnectWhatsappInput) {
  const root = ctx.config.WHATSAPP_GRAPH_URL.replace(/\/+$/, "");
  const profile = await graphLookup(`${root}/${encodeURIComponent(input.phoneNumberId)}?fields=display_phone_number,verified_name`, input.accessToken);
  const { db } = ctx.database;
  const existing = (
    await db.select().from(channel).where(and(eq(channel.workspaceId, workspace.id), eq(channel.kind, "whatsapp"))).all()
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

export async function listWhatsappChannels({ ctx, workspace }: Scope) {
  const rows = await ctx.database.db
    .select()
    .from(channel)
    .where(and(eq(channel.workspaceId, workspace.id), eq(channel.kind, "whatsapp")))
    .orderBy(asc(channel.createdAt))
    .all();
  return rows.map((r) => whatsappChannelView({ id: r.id, workspaceId: r.workspaceId, config: r.config as WhatsappChannelConfig, createdAt: r.createdAt }));
}

/** The webhook's lookup: by id alone (the signature or verify token in the request proves the rest). */
export async function findWhatsappChannel(ctx: DomainContext, id: string) {
  const rs = await ctx.database.client.execute({
    sql: `SELECT c.id, c.workspace_id, c.config, w.default_country FROM channel c JOIN workspace w ON w.id = c.workspace_id
          WHERE c.id = ? AND c.kind = 'whatsapp'`,
    args: [id],
  });
  const row = rs.rows[0];
  if (!row) return null;
  const config = JSON.parse(String(row.config)) as WhatsappChannelConfig;
  if (!config.phoneNumberId || !config.appSecret || !config.verifyToken) return null;
  return {
    channel: { id: String(row.id), workspaceId: String(row.workspace_id), config } satisfies WhatsappChannel,
    workspace: { id: String(row.workspace_id), defaultCountry: String(row.default_country) } satisfies WorkspaceRef,
  };
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
    throw new AppError("UPSTREAM_UNAVAILABLE", `WhatsApp Graph API unreachable: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
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
