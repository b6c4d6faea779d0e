import { formValues, judge } from "../dashboard/field-errors";
import { page } from "../dashboard/layout";
import { routingBody } from "../dashboard/routing-pages";
import { routingPreviewBody, sampleInputFrom } from "../dashboard/routing-preview-page";
import { listForms } from "../domain/capture/forms";
import { listPools } from "../domain/routing/pools";
import { previewRouting, routingSampleSchema } from "../domain/routing/routing-preview";
import { listRules } from "../domain/routing/routing-rules";
import { listReps } from "../domain/team/reps";
import type { App } from "../http/app";
import { scope } from "../http/workspace-scope";
import { registerPoolPages } from "./dashboard-pools";
import { registerRulePages } from "./dashboard-rules";

const PREVIEW_TITLE = "Who would get this lead?";

/**
 * The routing page (ordered rules, pools), their edit pages, and the "who would get this lead?" preview:
 * the sample goes through `previewRouting`, the same decision code as a capture, and moves no rotation.
 */
export function registerRoutingPages(app: App) {
  app.get("/app/routing", async (c) => {
    const s = scope(c);
    const [pools, rules, reps, forms] = await Promise.all([listPools(s), listRules(s), listReps(s), listForms(s)]);
    return c.html(page("Routing", "/app/routing", routingBody(pools, rules, reps, forms)));
  });

  registerPoolPages(app);
  registerRulePages(app);

  app.get("/app/routing/preview", async (c) => {
    const body = routingPreviewBody({ forms: await listForms(scope(c)), values: {} });
    return c.html(page(PREVIEW_TITLE, "/app/routing", body));
  });
  app.post("/app/routing/preview", async (c) => {
    const s = scope(c);
    const values = await formValues(c.req);
    const { input, control } = sampleInputFrom(values);
    const [forms, result] = await Promise.all([
      listForms(s),
      judge(routingSampleSchema, input, control, (data) => previewRouting(s, data)),
    ]);
    if ("errors" in result)
      return c.html(
        page(PREVIEW_TITLE, "/app/routing", routingPreviewBody({ forms, values, errors: result.errors })),
        422,
      );
    return c.html(page(PREVIEW_TITLE, "/app/routing", routingPreviewBody({ forms, values, result: result.saved })));
  });
}
