import { createRoute, z } from "@hono/zod-openapi";
import { LEAD_SOURCES } from "../../db/schema";
import { createRule, deleteRule, listRules, updateRule } from "../domain/routing/routing-rules";
import type { App } from "../http/app";
import { commonErrors, IdParam, jsonBody, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

const Criteria = z.object({
  sources: z.array(z.enum(LEAD_SOURCES)).max(10).optional(),
  formIds: z.array(z.string().max(64)).max(100).optional(),
  countries: z
    .array(z.string().regex(/^[A-Za-z]{2}$/, "ISO alpha-2 country code."))
    .max(250)
    .optional(),
  fields: z.record(z.string().max(64), z.array(z.string().max(200)).min(1).max(100)).optional(),
  regions: z
    .array(z.string().trim().min(1).max(100))
    .max(200)
    .optional()
    .openapi({ description: "form field region/state/province" }),
  postalPrefixes: z
    .array(z.string().trim().min(1).max(12))
    .max(500)
    .optional()
    .openapi({ description: "form field zip/postal_code/postcode" }),
});

const Match = Criteria.extend({
  any: z.array(Criteria).max(20).optional().openapi({ description: "OR-groups: one of them must match in full too" }),
}).openapi("RuleMatch", { description: "all listed criteria must match; any value within one criterion" });

const RuleSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    name: z.string(),
    position: z.number().int(),
    match: Match,
    poolId: z.string(),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .openapi("RoutingRule");

const RuleInput = z.object({
  name: z.string().trim().min(1).max(120),
  position: z.number().int().min(0).max(1_000_000).optional(),
  match: Match,
  poolId: z.string().max(64),
});

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
