import { z } from "@hono/zod-openapi";
import { and, asc, eq, sql } from "drizzle-orm";
import { WEBHOOK_EVENTS, webhookEndpoint } from "../../../db/schema";
import { AppError } from "../../errors";
import { newId, randomToken } from "../../lib/ids";
import { checkOutboundUrl } from "../../lib/outbound-url";
import type { DomainContext, WorkspaceRef } from "../context";

export type WebhookEndpoint = typeof webhookEndpoint.$inferSelect;

interface Scope {
  ctx: DomainContext;
  workspace: WorkspaceRef;
}

export const WebhookInput = z.object({
  // https only, public addresses only (workers/lib/outbound-url.ts). Judged with the other fields; loopback
  // passes this step and is refused by the verb below unless OUTBOUND_ALLOW_LOOPBACK is on.
  url: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .superRefine((url, ctx) => {
      const verdict = checkOutboundUrl(url, { allowLoopback: true });
      if (!verdict.ok) ctx.addIssue({ code: "custom", message: verdict.reason });
    }),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1),
  active: z.boolean().optional(),
});
export type WebhookInput = z.infer<typeof WebhookInput>;

/** What the owner sees after creation: the secret only as a prefix, a rotated-out one not at all. */
export function withoutSecret({ secret, previousSecret: _previous, ...rest }: WebhookEndpoint) {
  return { ...rest, secretPrefix: secret.slice(0, 10) };
}

/** How long a rotated-out secret keeps signing deliveries next to the new one. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

const newSecret = () => `whsec_${randomToken(32)}`;

export async function getWebhook({ ctx, workspace }: Scope, id: string): Promise<WebhookEndpoint> {
  const row = await ctx.database.db
    .select()
    .from(webhookEndpoint)
    .where(and(eq(webhookEndpoint.workspaceId, workspace.id), eq(webhookEndpoint.id, id)))
    .get();
  if (!row) throw AppError.notFound("Webhook");
  return row;
}

export async function listWebhooks({ ctx, workspace }: Scope): Promise<WebhookEndpoint[]> {
  return ctx.database.db
    .select()
    .from(webhookEndpoint)
    .where(eq(webhookEndpoint.workspaceId, workspace.id))
    .orderBy(asc(webhookEndpoint.createdAt))
    .all();
}

/** Refuses URLs that point into private networks (422 on `url`); the sender checks again before each send. */
function assertReachableUrl(ctx: DomainContext, url: string | undefined): void {
  if (url === undefined) return;
  const verdict = checkOutboundUrl(url, { allowLoopback: ctx.config.OUTBOUND_ALLOW_LOOPBACK });
  if (!verdict.ok) throw AppError.validation({ url: verdict.reason });
}

/** Creates an endpoint with a fresh signing secret, returned once here. */
export async function createWebhook({ ctx, workspace }: Scope, input: WebhookInput): Promise<WebhookEndpoint> {
  assertReachableUrl(ctx, input.url);
  const now = ctx.now();
  return ctx.database.db
    .insert(webhookEndpoint)
    .values({
      id: newId("whk", now),
      workspaceId: workspace.id,
      url: input.url,
      events: input.events,
      active: input.active ?? true,
      secret: newSecret(),
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .get();
}

export async function updateWebhook(
  { ctx, workspace }: Scope,
  id: string,
  input: Partial<WebhookInput>,
): Promise<WebhookEndpoint> {
  assertReachableUrl(ctx, input.url);
  const row = await ctx.database.db
    .update(webhookEndpoint)
    .set({ ...input, updatedAt: ctx.now() })
    .where(and(eq(webhookEndpoint.workspaceId, workspace.id), eq(webhookEndpoint.id, id)))
    .returning()
    .get();
  if (!row) throw AppError.notFound("Webhook");
  return row;
}

export async function deleteWebhook({ ctx, workspace }: Scope, id: string): Promise<void> {
  const row = await ctx.database.db
    .delete(webhookEndpoint)
    .where(and(eq(webhookEndpoint.workspaceId, workspace.id), eq(webhookEndpoint.id, id)))
    .returning({ id: webhookEndpoint.id })
    .get();
  if (!row) throw AppError.notFound("Webhook");
}

/**
 * A new signing secret, returned once here. The old one keeps signing for ROTATION_OVERLAP_MS (deliveries carry
 * a `v1=` for each), so receivers can switch at their pace; rotating again within the overlap drops the oldest.
 */
export async function rotateWebhookSecret({ ctx, workspace }: Scope, id: string): Promise<WebhookEndpoint> {
  const now = ctx.now();
  const row = await ctx.database.db
    .update(webhookEndpoint)
    .set({
      // SQLite reads the row's values before the update, so this is the secret being replaced.
      previousSecret: sql`${webhookEndpoint.secret}`,
      previousSecretExpiresAt: now + ROTATION_OVERLAP_MS,
      secret: newSecret(),
      updatedAt: now,
    })
    .where(and(eq(webhookEndpoint.workspaceId, workspace.id), eq(webhookEndpoint.id, id)))
    .returning()
    .get();
  if (!row) throw AppError.notFound("Webhook");
  return row;
}
