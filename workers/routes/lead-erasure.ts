import { createRoute, z } from "@hono/zod-openapi";
import { eraseLead, exportLeadData } from "../domain/leads/lead-erasure";
import type { App } from "../http/app";
import { commonErrors, IdParam, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

const Id = IdParam("lead");

const erase = createRoute({
  method: "delete",
  path: "/api/v1/leads/{id}",
  tags: ["leads"],
  summary: "Erase the person's data (GDPR/CCPA); the lead stays as an anonymous count, its addresses suppressed",
  request: { params: Id },
  responses: { 204: { description: "Erased (also when it already was)" }, ...commonErrors },
});
const exportRoute = createRoute({
  method: "get",
  path: "/api/v1/leads/{id}/export",
  tags: ["leads"],
  summary: "Everything stored about the person behind a lead, as JSON (GDPR access and portability)",
  request: { params: Id },
  responses: {
    200: jsonResponse(z.record(z.string(), z.unknown()).openapi("LeadDataExport"), "The data"),
    ...commonErrors,
  },
});

export function registerLeadErasure(app: App) {
  app.openapi(erase, async (c) => {
    await eraseLead(scope(c), c.req.valid("param").id, { type: "owner", id: c.get("auth").apiKeyId });
    return c.body(null, 204);
  });
  app.openapi(exportRoute, async (c) => {
    const data = await exportLeadData(scope(c), c.req.valid("param").id);
    return c.json(data, 200, { "Content-Disposition": `attachment; filename="lead-${c.req.valid("param").id}.json"` });
  });
}
