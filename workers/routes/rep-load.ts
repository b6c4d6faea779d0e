import { createRoute, z } from "@hono/zod-openapi";
import { repLoads } from "../domain/routing/rep-load";
import type { App } from "../http/app";
import { commonErrors, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

const RepLoad = z
  .object({
    repId: z.string(),
    name: z.string(),
    open: z.number().int(),
    assignedToday: z.number().int().openapi({ description: "still theirs, since local midnight (workspace zone)" }),
    assignedThisWeek: z.number().int().openapi({ description: "still theirs, since Monday 00:00" }),
    maxOpenLeads: z.number().int().nullable(),
    atCap: z.boolean(),
  })
  .openapi("RepLoad");

export function registerRepLoad(app: App) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/routing/load",
      tags: ["routing"],
      summary: "Each rep's load: open leads, assigned today / this week, cap and whether they are at it",
      responses: { 200: jsonResponse(z.object({ data: z.array(RepLoad) }), "Per-rep counts"), ...commonErrors },
    }),
    async (c) => c.json({ data: await repLoads(scope(c)) }, 200),
  );
}
