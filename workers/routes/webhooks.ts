import { createRoute, z } from "@hono/zod-openapi";
import { WEBHOOK_EVENTS } from "../../db/schema";
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  updateWebhook,
  WebhookInput,
  withoutSecret,
} from "../domain/channels/webhooks";
import type { App } from "../http/app";
import { commonErrors, IdParam, jsonBody, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

const Base = z.object({
  id: z.string(),
  workspaceId: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  active: z.boolean(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
const WebhookSchema = Base.extend({ secretPrefix: z.string() }).openapi("Webhook");
const CreatedWebhookSchema = Base.extend({
  secret: z.string().openapi({ description: "Signing secret, shown once. Verify `LeadRelay-Signature` with it." }),
}).openapi("CreatedWebhook");

const Id = IdParam("whk");

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

export function registerWebhooks(app: App) {
  app.openapi(list, async (c) => c.json({ data: (await listWebhooks(scope(c))).map(withoutSecret) }, 200));
  app.openapi(create, async (c) => c.json(await createWebhook(scope(c), c.req.valid("json")), 201));
  app.openapi(patch, async (c) =>
    c.json(withoutSecret(await updateWebhook(scope(c), c.req.valid("param").id, c.req.valid("json"))), 200),
  );
  app.openapi(remove, async (c) => {
    await deleteWebhook(scope(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
