import type { Context } from "hono";
import { formValues, judge } from "../dashboard/field-errors";
import { page } from "../dashboard/layout";
import { ruleFormBody, ruleInputFrom, ruleValues } from "../dashboard/rule-form-page";
import { listForms } from "../domain/capture/forms";
import { listPools } from "../domain/routing/pools";
import { createRule, deleteRule, listRules, moveRule, RuleInput, updateRule } from "../domain/routing/routing-rules";
import { AppError } from "../errors";
import type { App, AppEnv } from "../http/app";
import { scope } from "../http/workspace-scope";

type RulePage = Omit<Parameters<typeof ruleFormBody>[0], "pools" | "forms">;

async function rulePage(c: Context<AppEnv>, title: string, opts: RulePage) {
  const s = scope(c);
  const [pools, forms] = await Promise.all([listPools(s), listForms(s)]);
  return page(title, "/app/routing", ruleFormBody({ ...opts, pools, forms }));
}

async function findRule(c: Context<AppEnv>) {
  const rule = (await listRules(scope(c))).find((r) => r.id === c.req.param("id"));
  if (!rule) throw AppError.notFound("Routing rule");
  return rule;
}

/** Add, edit, reorder and delete routing rules and their conditions through the API's schema and verbs. */
export function registerRulePages(app: App) {
  app.get("/app/routing/rules/new", async (c) => c.html(await rulePage(c, "Add a rule", { values: {} })));

  app.post("/app/routing/rules", async (c) => {
    const values = await formValues(c.req);
    const { input, control } = ruleInputFrom(values);
    const result = await judge(RuleInput, input, control, (data) => createRule(scope(c), data));
    if ("errors" in result) return c.html(await rulePage(c, "Add a rule", { values, errors: result.errors }), 422);
    return c.redirect(`/app/routing/rules/${result.saved.id}?saved=1`, 303);
  });

  app.get("/app/routing/rules/:id", async (c) => {
    const rule = await findRule(c);
    const saved = c.req.query("saved") === "1";
    return c.html(await rulePage(c, rule.name, { rule, values: ruleValues(rule), saved }));
  });

  app.post("/app/routing/rules/:id", async (c) => {
    const rule = await findRule(c);
    const values = await formValues(c.req);
    const { input, control } = ruleInputFrom(values);
    const result = await judge(RuleInput, input, control, (data) => updateRule(scope(c), rule.id, data));
    if ("errors" in result) return c.html(await rulePage(c, rule.name, { rule, values, errors: result.errors }), 422);
    return c.redirect(`/app/routing/rules/${rule.id}?saved=1`, 303);
  });

  app.post("/app/routing/rules/:id/move", async (c) => {
    const { direction } = await formValues(c.req);
    if (direction !== "up" && direction !== "down") throw AppError.validation({ direction: "Either up or down." });
    await moveRule(scope(c), c.req.param("id"), direction);
    return c.redirect("/app/routing", 303);
  });

  app.post("/app/routing/rules/:id/delete", async (c) => {
    await deleteRule(scope(c), c.req.param("id"));
    return c.redirect("/app/routing?removed=1", 303);
  });
}
