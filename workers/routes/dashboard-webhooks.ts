import type { Context } from "hono";
import { formValues, judge } from "../dashboard/field-errors";
import { page } from "../dashboard/layout";
import {
  type EndpointPageState,
  webhookEndpointBody,
  webhookInputFrom,
  webhooksBody,
  webhookValues,
} from "../dashboard/webhook-pages";
import { listWebhookDeliveries, sendTestEvent } from "../domain/channels/webhook-deliveries";
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  rotateWebhookSecret,
  updateWebhook,
  WebhookInput,
} from "../domain/channels/webhooks";
import { getWorkspace } from "../domain/team/workspaces";
import { AppError } from "../errors";
import type { App, AppEnv } from "../http/app";
import { scope } from "../http/workspace-scope";

const topLevel = (path: string) => path.split(".")[0] || "form";

async function endpointPage(
  c: Context<AppEnv>,
  id: string,
  state: Partial<EndpointPageState> = {},
  status: 200 | 201 | 409 | 422 = 200,
) {
  const s = scope(c);
  const endpoint = await getWebhook(s, id);
  const [deliveries, ws] = await Promise.all([
    listWebhookDeliveries(s, endpoint.id),
    getWorkspace({ ctx: s.ctx, workspaceId: s.workspace.id }),
  ]);
  const body = webhookEndpointBody(endpoint, deliveries, ws.timezone, {
    values: webhookValues(endpoint),
    ...state,
  });
  return c.html(page(endpoint.url, "/app/webhooks", body), status);
}

/**
 * Outgoing webhooks in the console: add, edit, pause and delete endpoints, rotate a secret, send a test event
 * and read the last deliveries — through the API's schema and verbs; a refusal shows next to its control.
 */
export function registerWebhookPages(app: App) {
  app.get("/app/webhooks", async (c) =>
    c.html(page("Webhooks", "/app/webhooks", webhooksBody(await listWebhooks(scope(c))))),
  );

  app.post("/app/webhooks", async (c) => {
    const values = await formValues(c.req);
    const result = await judge(WebhookInput, webhookInputFrom(values), topLevel, (data) =>
      createWebhook(scope(c), data),
    );
    const list = await listWebhooks(scope(c));
    if ("errors" in result)
      return c.html(page("Webhooks", "/app/webhooks", webhooksBody(list, { values, errors: result.errors })), 422);
    return c.html(page("Webhooks", "/app/webhooks", webhooksBody(list, { created: result.saved })), 201);
  });

  app.get("/app/webhooks/:id", (c) => endpointPage(c, c.req.param("id"), { saved: c.req.query("saved") === "1" }));

  app.post("/app/webhooks/:id", async (c) => {
    const s = scope(c);
    const endpoint = await getWebhook(s, c.req.param("id"));
    const values = await formValues(c.req);
    const result = await judge(WebhookInput, webhookInputFrom(values, true), topLevel, (data) =>
      updateWebhook(s, endpoint.id, data),
    );
    if ("errors" in result) return endpointPage(c, endpoint.id, { values, errors: result.errors }, 422);
    return c.redirect(`/app/webhooks/${endpoint.id}?saved=1`, 303);
  });

  app.post("/app/webhooks/:id/rotate", async (c) => {
    const rotated = await rotateWebhookSecret(scope(c), c.req.param("id"));
    return endpointPage(c, rotated.id, { rotated });
  });

  app.post("/app/webhooks/:id/test", async (c) => {
    const id = c.req.param("id");
    try {
      return endpointPage(c, id, { tested: await sendTestEvent(scope(c), id) });
    } catch (err) {
      if (!(err instanceof AppError && err.code === "CONFLICT")) throw err;
      return endpointPage(c, id, { testError: err.message }, 409);
    }
  });

  app.post("/app/webhooks/:id/delete", async (c) => {
    await deleteWebhook(scope(c), c.req.param("id"));
    return c.redirect("/app/webhooks", 303);
  });
}
