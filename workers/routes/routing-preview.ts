import { createRoute, z } from "@hono/zod-openapi";
import { previewRouting, routingSampleSchema } from "../domain/routing/routing-preview";
import type { App } from "../http/app";
import { commonErrors, jsonBody, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

const SKIP_REASONS = ["inactive", "paused", "zero-weight", "on-vacation", "off-hours", "at-cap", "passed"] as const;

const Preview = z
  .object({
    pool: z.object({ id: z.string().nullable(), name: z.string() }),
    rule: z.object({ id: z.string(), name: z.string() }).nullable(),
    rep: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .openapi({ description: "null: it would wait unassigned" }),
    reason: z.enum(["sticky", "rotation", "fallback", "none", "named"]),
    skipped: z.array(z.object({ repId: z.string(), name: z.string(), reason: z.enum(SKIP_REASONS) })),
    existingLeadId: z.string().nullable(),
    slaMinutes: z.number().int(),
    country: z.string().nullable().openapi({ description: "the phone number's country, as country rules read it" }),
  })
  .openapi("RoutingPreview");

export function registerRoutingPreview(app: App) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/routing/preview",
      tags: ["routing"],
      summary:
        "Where a sample lead would go now (pool, rule, rep, skipped reps and why), without advancing the rotation",
      request: { body: jsonBody(routingSampleSchema) },
      responses: { 200: jsonResponse(Preview, "The routing decision"), ...commonErrors },
    }),
    async (c) => c.json(await previewRouting(scope(c), c.req.valid("json")), 200),
  );
}
