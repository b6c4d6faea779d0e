import type { Context } from "hono";
import { formValues, judge, pageErrors } from "../dashboard/field-errors";
import { page } from "../dashboard/layout";
import {
  type ScoringPageState,
  sampleFrom,
  scoringBody,
  scoringInputFrom,
  scoringValues,
} from "../dashboard/scoring-page";
import { rescoreOpenLeads } from "../domain/capture/rescore-leads";
import { previewScore } from "../domain/capture/score-preview";
import { scoringRulesSchema } from "../domain/capture/scoring";
import { getScoringRules, putScoringRules } from "../domain/capture/scoring-rules";
import { AppError } from "../errors";
import type { App, AppEnv } from "../http/app";
import { scope } from "../http/workspace-scope";

const show = (c: Context<AppEnv>, state: ScoringPageState, status: 200 | 422 = 200) =>
  c.html(page("Scoring", "/app/scoring", scoringBody(state)), status);

/**
 * Scoring rules as a form: judged by the API's schema and saved by its verb; a preview scores a sample or an
 * existing lead with the rules as they stand on the page (a GET: it changes nothing), by capture's own code.
 */
export function registerScoringPages(app: App) {
  app.get("/app/scoring", async (c) => {
    const { ctx, workspace } = scope(c);
    return show(c, { values: scoringValues(await getScoringRules(ctx, workspace.id)) });
  });

  app.post("/app/scoring", async (c) => {
    const { ctx, workspace } = scope(c);
    const values = await formValues(c.req);
    const { input, control } = scoringInputFrom(values);
    const result = await judge(scoringRulesSchema, input, control, (data) => putScoringRules(ctx, workspace.id, data));
    if ("errors" in result) return show(c, { values, errors: result.errors }, 422);
    return show(c, { values: { ...values, ...scoringValues(result.saved) }, saved: true });
  });

  app.get("/app/scoring/preview", async (c) => {
    const values = c.req.query();
    const { input, control } = scoringInputFrom(values);
    const parsed = scoringRulesSchema.safeParse(input);
    if (!parsed.success) return show(c, { values, errors: pageErrors(parsed.error, control) }, 422);
    const leadQuery = (values.preview_lead ?? "").trim();
    try {
      const preview = await previewScore(
        scope(c),
        parsed.data,
        leadQuery ? { leadQuery: leadQuery.slice(0, 200) } : { sample: sampleFrom(values) },
      );
      return show(c, { values, preview });
    } catch (err) {
      if (!(err instanceof AppError && err.status < 500)) throw err;
      return show(c, { values, errors: pageErrors(err, (path) => path) }, 422);
    }
  });

  app.post("/app/scoring/rescore", async (c) => {
    const s = scope(c);
    const [rescored, rules] = await Promise.all([rescoreOpenLeads(s), getScoringRules(s.ctx, s.workspace.id)]);
    return show(c, { values: scoringValues(rules), rescored });
  });
}
