import { and, asc, eq } from "drizzle-orm";
import { type WebhookEventType, webhookEndpoint } from "../../../db/schema";
import { AppError } from "../../errors";
import { newId, randomToken } from "../../lib/ids";
import { checkOutboundUrl } from "../../lib/outbound-url";
import type { DomainContext, WorkspaceRef } from "../context";

export type WebhookEndpoint = typeof webhookEndpoint.$inferSelect;

interface Scope {
  ctx: DomainContext;
  workspace: WorkspaceRef;
}

export interface WebhookInput {
  url: string;
  events: WebhookEventType[];
  active?: boolean | undefined;
}

/** What the owner sees after creation: the secret only as a prefix. */
export function withoutSecret({ secret, ...rest }: WebhookEndpoint) {
  return { ...rest, secretPrefix: secret.slice(0, 10) };
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
      secret: `whsec_${randomToken(32)}`,
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
