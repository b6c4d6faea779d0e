import { createRoute, z } from "@hono/zod-openapi";
import { rescoreOpenLeads } from "../domain/capture/rescore-leads";
import type { ScoringRulesInput } from "../domain/capture/scoring";
import { getScoringRules, putScoringRules } from "../domain/capture/scoring-rules";
import type { App } from "../http/app";
import { commonErrors, jsonBody, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

// Documented loosely here; the domain's zod schema (workers/domain/capture/scoring.ts) is the one that validates.
const RulesDoc = z.record(z.string(), z.unknown()).openapi("ScoringRules", {
  description:
    "`base`, `contact` {name,email,phone}, `sources` {form|whatsapp|telegram|api: points}, `utmSources` {utm_source: points}, " +
    "`fields` [{field, equals?, min?, points, label?}], `engagement` {replied}, `recency` [{withinHours, points}], `hotThreshold`. " +
    "Omitted parts take their defaults. Score = clamp(1..10, base + points of every rule that fires).",
});

const get = createRoute({
  method: "get",
  path: "/api/v1/scoring",
  tags: ["scoring"],
  summary: "The workspace's lead-scoring rules (defaults when never set)",
  responses: { 200: jsonResponse(RulesDoc, "Rules"), ...commonErrors },
});
const put = createRoute({
  method: "put",
  path: "/api/v1/scoring",
  tags: ["scoring"],
  summary: "Replace the scoring rules; leads captured from now on are scored with them",
  request: { body: jsonBody(RulesDoc) },
  responses: { 200: jsonResponse(RulesDoc, "Saved rules, defaults filled in"), ...commonErrors },
});

const rescore = createRoute({
  method: "post",
  path: "/api/v1/scoring/rescore",
  tags: ["scoring"],
  summary: "Score the open leads (new, contacted, qualified) again with the current rules; newest 5 000",
  responses: {
    200: jsonResponse(z.object({ rescored: z.number().int(), truncated: z.boolean() }), "How many leads were rescored"),
    ...commonErrors,
  },
});

export function registerScoring(app: App) {
  app.openapi(rescore, async (c) => c.json(await rescoreOpenLeads(scope(c)), 200));
  app.openapi(get, async (c) => c.json(await getScoringRules(c.get("ctx"), c.get("auth").workspaceId), 200));
  app.openapi(put, async (c) =>
    c.json(
      await putScoringRules(c.get("ctx"), c.get("auth").workspaceId, c.req.valid("json") as ScoringRulesInput),
      200,
    ),
  );
}
