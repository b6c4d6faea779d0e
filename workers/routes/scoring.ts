import { createRoute, z } from "@hono/zod-openapi";
import { rescoreOpenLeads } from "../domain/capture/rescore-leads";
import { scoringRulesSchema } from "../domain/capture/scoring";
import { getScoringRules, putScoringRules } from "../domain/capture/scoring-rules";
import type { App } from "../http/app";
import { commonErrors, jsonBody, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

// The verb's own schema, so the document shows every part with its bounds and defaults.
const RulesDoc = scoringRulesSchema.openapi("ScoringRules", {
  description:
    "Omitted parts take their defaults. Score = clamp(1..10, base + points of every rule that fires); " +
    "a lead at `hotThreshold` or above is hot.",
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
    c.json(await putScoringRules(c.get("ctx"), c.get("auth").workspaceId, c.req.valid("json")), 200),
  );
}
