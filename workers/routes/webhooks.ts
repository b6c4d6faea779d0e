import { createRoute, z } from "@hono/zod-openapi";
import { WEBHOOK_DELIVERY_OUTCOMES, WEBHOOK_EVENTS } from "../../db/schema";
import { listWebhookDeliveries, sendTestEvent } from "../domain/channels/webhook-deliveries";
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  rotateWebhookSecret,
  updateWebhook,
  WebhookInput,
  withoutSecret,
} from "../domain/channels/webhooks";
import type { App } from "../http/app";
import { commonErrors, conflictError, IdParam, jsonBody, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

const Base = z.object({
  id: z.string(),
  workspaceId: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  active: z.boolean(),
  previousSecretExpiresAt: z.number().int().nullable().openapi({
    description: "Until when (epoch ms) the secret replaced by the last rotation still signs deliveries too.",
  }),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
const WebhookSchema = Base.extend({ secretPrefix: z.string() }).openapi("Webhook");
const CreatedWebhookSchema = Base.extend({
  secret: z.string().openapi({ description: "Signing secret, shown once. Verify `LeadRelay-Signature` with it." }),
}).openapi("CreatedWebhook");

const RotatedWebhookSchema = Base.extend({
  secret: z.string().openapi({
    description:
      "The new signing secret, shown once. Until `previousSecretExpiresAt` every delivery carries a `v1=` " +
      "for the new and for the old secret, so a receiver holding either verifies it.",
  }),
}).openapi("RotatedWebhook");
const DeliverySchema = z
  .object({
    id: z.string(),
    endpointId: z.string(),
    outboxId: z.string().nullable(),
    eventId: z.string().openapi({ description: "`LeadRelay-Delivery`: the same on every attempt of one event" }),
    eventType: z.string(),
    statusCode: z.number().int().nullable().openapi({ description: "The receiver's HTTP status; null: no answer" }),
    outcome: z.enum(WEBHOOK_DELIVERY_OUTCOMES),
    error: z.string().nullable(),
    attemptedAt: z.number().int(),
  })
  .openapi("WebhookDelivery");

const Id = IdParam("whk");
// Every owner POST is JSON (415 otherwise): these verbs take `{}`.
const NoBody = jsonBody(z.object({}));

const list = createRoute({
  method: "get",
  path: "/api/v1/webhooks",
  tags: ["webhooks"],
  summary: "Outgoing webhook endpoints",
  responses: { 200: jsonResponse(z.object({ data: z.array(WebhookSchema) }), "Endpoints"), ...commonErrors },
});
const create = createRoute({
  method: "post",
  path: "/api/v1/webhooks",
  tags: ["webhooks"],
  summary: "Add an endpoint for lead.created / lead.assigned / lead.status_changed (HMAC-SHA256 signed)",
  request: { body: jsonBody(WebhookInput) },
  responses: { 201: jsonResponse(CreatedWebhookSchema, "Created; store `secret` now"), ...commonErrors },
});
const patch = createRoute({
  method: "patch",
  path: "/api/v1/webhooks/{id}",
  tags: ["webhooks"],
  summary: "Change an endpoint's URL, events or active flag",
  request: { params: Id, body: jsonBody(WebhookInput.partial()) },
  responses: { 200: jsonResponse(WebhookSchema, "Updated"), ...commonErrors },
});
const remove = createRoute({
  method: "delete",
  path: "/api/v1/webhooks/{id}",
  tags: ["webhooks"],
  summary: "Remove an endpoint",
  request: { params: Id },
  responses: { 204: { description: "Deleted" }, ...commonErrors },
});

const getOne = createRoute({
  method: "get",
  path: "/api/v1/webhooks/{id}",
  tags: ["webhooks"],
  summary: "One endpoint (without its secret)",
  request: { params: Id },
  responses: { 200: jsonResponse(WebhookSchema, "Endpoint"), ...commonErrors },
});
const rotate = createRoute({
  method: "post",
  path: "/api/v1/webhooks/{id}/rotate",
  tags: ["webhooks"],
  summary: "New signing secret; the old one keeps signing deliveries (a second `v1=`) for 24 hours",
  request: { params: Id, body: NoBody },
  responses: { 200: jsonResponse(RotatedWebhookSchema, "Rotated; store `secret` now"), ...commonErrors },
});
const test = createRoute({
  method: "post",
  path: "/api/v1/webhooks/{id}/test",
  tags: ["webhooks"],
  summary: "Send a signed `webhook.test` event to the endpoint now, through the outbox",
  request: { params: Id, body: NoBody },
  responses: {
    200: jsonResponse(
      z.object({
        eventId: z.string(),
        delivery: DeliverySchema.nullable().openapi({ description: "The first attempt; null: still queued" }),
      }),
      "Attempted",
    ),
    ...conflictError,
    ...commonErrors,
  },
});
const deliveries = createRoute({
  method: "get",
  path: "/api/v1/webhooks/{id}/deliveries",
  tags: ["webhooks"],
  summary: "The endpoint's last 50 delivery attempts with the receiver's status code, newest first",
  request: { params: Id },
  responses: { 200: jsonResponse(z.object({ data: z.array(DeliverySchema) }), "Attempts"), ...commonErrors },
});

export function registerWebhooks(app: App) {
  app.openapi(list, async (c) => c.json({ data: (await listWebhooks(scope(c))).map(withoutSecret) }, 200));
  app.openapi(create, async (c) => c.json(await createWebhook(scope(c), c.req.valid("json")), 201));
  app.openapi(patch, async (c) =>
    c.json(withoutSecret(await updateWebhook(scope(c), c.req.valid("param").id, c.req.valid("json"))), 200),
  );
  app.openapi(getOne, async (c) => c.json(withoutSecret(await getWebhook(scope(c), c.req.valid("param").id)), 200));
  app.openapi(rotate, async (c) => {
    const { previousSecret: _previous, ...row } = await rotateWebhookSecret(scope(c), c.req.valid("param").id);
    return c.json(row, 200);
  });
  app.openapi(test, async (c) => c.json(await sendTestEvent(scope(c), c.req.valid("param").id), 200));
  app.openapi(deliveries, async (c) =>
    c.json({ data: await listWebhookDeliveries(scope(c), c.req.valid("param").id) }, 200),
  );
  app.openapi(remove, async (c) => {
    await deleteWebhook(scope(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
