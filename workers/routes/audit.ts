import { createRoute, z } from "@hono/zod-openapi";
import { AuditPageQuery, listAudit } from "../domain/team/audit-log";
import type { App } from "../http/app";
import { commonErrors, jsonResponse } from "../http/openapi-shared";

const AuditEventSchema = z
  .object({
    id: z.string(),
    actor: z.object({
      type: z.enum(["person", "api"]),
      id: z.string(),
      name: z.string().nullable().openapi({ description: "the person's name or the key's; null once deleted" }),
    }),
    action: z.string().openapi({ example: "form.updated" }),
    resourceType: z.string().openapi({ example: "form" }),
    resourceId: z.string().nullable(),
    createdAt: z.number(),
  })
  .openapi("AuditEvent");

export function registerAudit(app: App) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/audit",
      tags: ["audit"],
      summary: "Who changed which setting, newest first",
      request: { query: AuditPageQuery },
      responses: {
        200: jsonResponse(
          z.object({ data: z.array(AuditEventSchema), nextCursor: z.string().nullable() }),
          "A page of changes",
        ),
        ...commonErrors,
      },
    }),
    async (c) => c.json(await listAudit(c.get("ctx"), c.get("auth").workspaceId, c.req.valid("query")), 200),
  );
}
