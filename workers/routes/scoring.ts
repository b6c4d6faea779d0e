import { createRoute, z } from "@hono/zod-openapi";
import { rescoreOpenLeads } from "../domain/capture/rescore-leads";
import { previewScore, ScorePreviewInput } from "../domain/capture/score-preview";
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

const PreviewInput = ScorePreviewInput.openapi("ScorePreviewInput");
const Reason = z.object({ rule: z.string(), label: z.string(), points: z.number() });
const preview = createRoute({
  method: "post",
  path: "/api/v1/scoring/preview",
  tags: ["scoring"],
  summary: "Score a lead or a sample with the saved or the given rules, by capture's own scoring; changes nothing",
  request: { body: jsonBody(PreviewInput) },
  responses: {
    200: jsonResponse(
      z
        .object({
          score: z.number().int(),
          hot: z.boolean(),
          reasons: z.array(Reason).openapi({ description: "Every rule that fired, with its points" }),
        })
        .openapi("ScorePreview"),
      "The score and the rules that fired",
    ),
    ...commonErrors,
  },
});

export function registerScoring(app: App) {
  app.openapi(preview, async (c) => {
    const s = scope(c);
    const input = c.req.valid("json");
    const rules = input.rules ?? (await getScoringRules(s.ctx, s.workspace.id));
    const result = await previewScore(s, rules, input.leadId ? { leadId: input.leadId } : { sample: input.sample! });
    return c.json({ score: result.score, hot: result.hot, reasons: result.reasons }, 200);
  });
  app.openapi(rescore, async (c) => c.json(await rescoreOpenLeads(scope(c)), 200));
  app.openapi(get, async (c) => c.json(await getScoringRules(c.get("ctx"), c.get("auth").workspaceId), 200));
  app.openapi(put, async (c) =>
    c.json(await putScoringRules(c.get("ctx"), c.get("auth").workspaceId, c.req.valid("json")), 200),
  );
}
