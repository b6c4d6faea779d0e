import { createRoute, z } from "@hono/zod-openapi";
import { exportLeadsCsv, LeadExportQuery } from "../domain/leads/lead-export";
import type { App } from "../http/app";
import { commonErrors } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

const exportCsv = createRoute({
  method: "get",
  path: "/api/v1/leads/export.csv",
  tags: ["leads"],
  summary: "The filtered leads as CSV (same filters as GET /api/v1/leads; at most 10 000 rows)",
  request: { query: LeadExportQuery },
  responses: {
    200: {
      description: "text/csv; `X-Export-Truncated: true` when more rows matched",
      content: { "text/csv": { schema: z.string() } },
    },
    ...commonErrors,
  },
});

/** Registered before the leads routes: otherwise `/api/v1/leads/{id}` would take "export.csv" as an id. */
export function registerLeadExport(app: App) {
  app.openapi(exportCsv, async (c) => {
    const { csv, truncated } = await exportLeadsCsv(scope(c), c.req.valid("query"));
    const day = new Date(c.get("ctx").now()).toISOString().slice(0, 10);
    return c.body(csv, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="leads-${day}.csv"`,
      "X-Export-Truncated": String(truncated),
    });
  });
}
