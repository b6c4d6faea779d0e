import { createRoute, z } from "@hono/zod-openapi";
import {
  createRule,
  deleteRule,
  listRules,
  RuleInput,
  RuleMatchSchema,
  updateRule,
} from "../domain/routing/routing-rules";
import type { App } from "../http/app";
import { commonErrors, IdParam, jsonBody, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

const RuleSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    name: z.string(),
    position: z.number().int(),
    match: RuleMatchSchema,
    poolId: z.string(),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .openapi("RoutingRule");

const Id = IdParam("rule");
const tags = ["routing"];

export function registerRoutingRules(app: App) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/routing-rules",
      tags,
      summary: "Routing rules in evaluation order (first match wins)",
      responses: { 200: jsonResponse(z.object({ data: z.array(RuleSchema) }), "Rules"), ...commonErrors },
    }),
    async (c) => c.json({ data: await listRules(scope(c)) }, 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/routing-rules",
      tags,
      summary: "Add a rule (appended unless `position` is given)",
      request: { body: jsonBody(RuleInput) },
      responses: { 201: jsonResponse(RuleSchema, "Created"), ...commonErrors },
    }),
    async (c) => c.json(await createRule(scope(c), c.req.valid("json")), 201),
  );
  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/v1/routing-rules/{id}",
      tags,
      summary: "Update a rule",
      request: { params: Id, body: jsonBody(RuleInput.partial()) },
      responses: { 200: jsonResponse(RuleSchema, "Updated"), ...commonErrors },
    }),
    async (c) => c.json(await updateRule(scope(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/v1/routing-rules/{id}",
      tags,
      summary: "Delete a rule",
      request: { params: Id },
      responses: { 204: { description: "Deleted" }, ...commonErrors },
    }),
    async (c) => {
      await deleteRule(scope(c), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );
}
