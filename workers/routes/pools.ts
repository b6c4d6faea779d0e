import { createRoute, z } from "@hono/zod-openapi";
import { POOL_STRATEGIES } from "../../db/schema";
import { createPool, deletePool, getPool, listPools, PoolInput, updatePool } from "../domain/routing/pools";
import type { App } from "../http/app";
import { commonErrors, IdParam, jsonBody, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

const PoolSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    name: z.string(),
    isDefault: z.boolean(),
    slaMinutes: z.number().int(),
    hotSlaMinutes: z.number().int(),
    maxReassignments: z.number().int(),
    fallbackRepId: z.string().nullable(),
    strategy: z.enum(POOL_STRATEGIES),
    escalationRepIds: z
      .array(z.string())
      .openapi({ description: "SLA escalations go to the first available, in order" }),
    repIds: z.array(z.string()).openapi({ description: "members; empty = every rep of the workspace" }),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .openapi("Pool");

const Id = IdParam("pool");
const tags = ["routing"];

export function registerPools(app: App) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/pools",
      tags,
      summary: "List rotation pools",
      responses: { 200: jsonResponse(z.object({ data: z.array(PoolSchema) }), "Pools"), ...commonErrors },
    }),
    async (c) => c.json({ data: await listPools(scope(c)) }, 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/pools",
      tags,
      summary: "Create a pool (its own rotation, SLA and fallback)",
      request: { body: jsonBody(PoolInput) },
      responses: { 201: jsonResponse(PoolSchema, "Created"), ...commonErrors },
    }),
    async (c) => c.json(await createPool(scope(c), c.req.valid("json")), 201),
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/pools/{id}",
      tags,
      summary: "One pool",
      request: { params: Id },
      responses: { 200: jsonResponse(PoolSchema, "The pool"), ...commonErrors },
    }),
    async (c) => c.json(await getPool(scope(c), c.req.valid("param").id), 200),
  );
  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/v1/pools/{id}",
      tags,
      summary: "Update a pool; `repIds` replaces the member list",
      request: { params: Id, body: jsonBody(PoolInput.partial()) },
      responses: { 200: jsonResponse(PoolSchema, "Updated"), ...commonErrors },
    }),
    async (c) => c.json(await updatePool(scope(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/v1/pools/{id}",
      tags,
      summary: "Delete a pool and the rules that route to it",
      request: { params: Id },
      responses: { 204: { description: "Deleted" }, ...commonErrors },
    }),
    async (c) => {
      await deletePool(scope(c), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );
}
