import { and, desc, eq } from "drizzle-orm";
import { webhookDelivery } from "../../../db/schema";
import { AppError } from "../../errors";
import { newId } from "../../lib/ids";
import { outboxRowInsert } from "../../outbox/outbox-row";
import { sendNow } from "../../outbox/send-now";
import { DELIVERY_LOG_KEEP } from "../../outbox/webhook-delivery-log";
import type { Scope } from "../context";
import { getWebhook } from "./webhooks";

export type WebhookDelivery = Omit<typeof webhookDelivery.$inferSelect, "workspaceId">;

/** An endpoint's newest delivery attempts (at most 50), newest first; 404 for another workspace's endpoint. */
export async function listWebhookDeliveries(scope: Scope, endpointId: string): Promise<WebhookDelivery[]> {
  const endpoint = await getWebhook(scope, endpointId);
  const rows = await scope.ctx.database.db
    .select()
    .from(webhookDelivery)
    .where(and(eq(webhookDelivery.workspaceId, scope.workspace.id), eq(webhookDelivery.endpointId, endpoint.id)))
    .orderBy(desc(webhookDelivery.attemptedAt), desc(webhookDelivery.id))
    .limit(DELIVERY_LOG_KEEP)
    .all();
  return rows.map(({ workspaceId: _ws, ...rest }) => rest);
}

export const TEST_EVENT_TYPE = "webhook.test";

/**
 * Sends a `webhook.test` event to one endpoint now, through the outbox like every delivery (signed the same
 * way, retried if the receiver fails, logged), and returns the first attempt's log entry — null when the send
 * could not run now (it stays queued and the cron job sends it).
 */
export async function sendTestEvent(
  scope: Scope,
  endpointId: string,
): Promise<{ eventId: string; delivery: WebhookDelivery | null }> {
  const { ctx, workspace } = scope;
  const endpoint = await getWebhook(scope, endpointId);
  if (!endpoint.active) throw new AppError("CONFLICT", "This endpoint is paused: activate it to send a test event.");
  const now = ctx.now();
  const eventId = newId("evt", now);
  const insert = outboxRowInsert({
    workspaceId: workspace.id,
    kind: "webhook",
    sender: "webhook",
    channelId: null,
    recipient: endpoint.url,
    payload: {
      body: {
        endpointId: endpoint.id,
        event: {
          id: eventId,
          type: TEST_EVENT_TYPE,
          createdAt: new Date(now).toISOString(),
          workspaceId: workspace.id,
          data: { test: true, message: "A test event from LeadRelay." },
        },
      },
    },
    key: `webhook-test:${endpoint.id}:${eventId}`,
    now,
  });
  const outboxId = String((await ctx.database.client.execute(insert)).rows[0]?.id);
  await sendNow(ctx, [outboxId]);
  const logged = await ctx.database.db
    .select()
    .from(webhookDelivery)
    .where(and(eq(webhookDelivery.workspaceId, workspace.id), eq(webhookDelivery.outboxId, outboxId)))
    .get();
  if (!logged) return { eventId, delivery: null };
  const { workspaceId: _ws, ...delivery } = logged;
  return { eventId, delivery };
}
