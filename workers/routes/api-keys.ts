import { createRoute, z } from "@hono/zod-openapi";
import { API_KEY_SCOPES } from "../../db/schema";
import {
  ApiKeyInput,
  ApiKeyRotateInput,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  rotateApiKey,
} from "../domain/team/api-keys";
import { principalOf } from "../http/actor";
import type { App } from "../http/app";
import { commonErrors, conflictError, IdParam, jsonBody, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: "first characters, to tell keys apart" }),
    scope: z
      .enum(API_KEY_SCOPES)
      .openapi({ description: "read: GET only · write: everything · capture: POST /api/v1/leads only" }),
    createdAt: z.number(),
    createdBy: z.object({ type: z.enum(["person", "api"]), id: z.string() }).nullable(),
    lastUsedAt: z.number().nullable(),
    revokedAt: z.number().nullable(),
  })
  .openapi("ApiKey");

const WithSecret = ApiKeySchema.extend({
  key: z.string().openapi({ description: "the secret, shown only in this answer" }),
});

const Id = IdParam("key");
const tags = ["api keys"];

export function registerApiKeys(app: App) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/api-keys",
      tags,
      summary: "The workspace's API keys (never their secrets)",
      responses: { 200: jsonResponse(z.object({ data: z.array(ApiKeySchema) }), "Keys"), ...commonErrors },
    }),
    async (c) => c.json({ data: await listApiKeys(scope(c)) }, 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/api-keys",
      tags,
      summary: "Create a named, scoped key; the secret is in this answer only",
      request: { body: jsonBody(ApiKeyInput) },
      responses: { 201: jsonResponse(WithSecret, "Created"), ...commonErrors },
    }),
    async (c) => c.json(await createApiKey(scope(c), c.req.valid("json"), principalOf(c)), 201),
  );
  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/v1/api-keys/{id}",
      tags,
      summary: "Revoke a key: its next request gets 401",
      request: { params: Id },
      responses: { 200: jsonResponse(ApiKeySchema, "Revoked"), ...commonErrors },
    }),
    async (c) => c.json(await revokeApiKey(scope(c), c.req.valid("param").id, principalOf(c)), 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/api-keys/{id}/rotate",
      tags,
      summary: "A new secret with the same name and scope; the old one is revoked in the same step",
      request: { params: Id, body: jsonBody(ApiKeyRotateInput) },
      responses: {
        201: jsonResponse(WithSecret.extend({ replaces: z.string() }), "Rotated"),
        ...conflictError,
        ...commonErrors,
      },
    }),
    async (c) =>
      c.json(await rotateApiKey(scope(c), c.req.valid("param").id, principalOf(c), c.req.valid("json").name), 201),
  );
}
