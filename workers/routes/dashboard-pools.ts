import type { Context } from "hono";
import { formValues, judge } from "../dashboard/field-errors";
import { page } from "../dashboard/layout";
import { NEW_POOL, poolFormBody, poolInputFrom, poolValues } from "../dashboard/pool-form-page";
import { createPool, deletePool, getPool, PoolInput, updatePool } from "../domain/routing/pools";
import { listRules } from "../domain/routing/routing-rules";
import { listReps } from "../domain/team/reps";
import type { App, AppEnv } from "../http/app";
import { scope } from "../http/workspace-scope";

type PoolPage = Omit<Parameters<typeof poolFormBody>[0], "reps">;

async function poolPage(c: Context<AppEnv>, title: string, opts: PoolPage) {
  return page(title, "/app/routing", poolFormBody({ ...opts, reps: await listReps(scope(c)) }));
}

/** Add, edit and delete rotation pools (members, strategy, SLA, fallback, escalation) through the API's verbs. */
export function registerPoolPages(app: App) {
  app.get("/app/routing/pools/new", async (c) => c.html(await poolPage(c, "Add a pool", { values: NEW_POOL })));

  app.post("/app/routing/pools", async (c) => {
    const values = await formValues(c.req);
    const { input, control } = poolInputFrom(values);
    const result = await judge(PoolInput, input, control, (data) => createPool(scope(c), data));
    if ("errors" in result) return c.html(await poolPage(c, "Add a pool", { values, errors: result.errors }), 422);
    return c.redirect(`/app/routing/pools/${result.saved.id}?saved=1`, 303);
  });

  app.get("/app/routing/pools/:id", async (c) => {
    const s = scope(c);
    const [pool, rules] = await Promise.all([getPool(s, c.req.param("id")), listRules(s)]);
    const saved = c.req.query("saved") === "1";
    return c.html(await poolPage(c, pool.name, { pool, rules, values: poolValues(pool), saved }));
  });

  app.post("/app/routing/pools/:id", async (c) => {
    const s = scope(c);
    const [pool, rules] = await Promise.all([getPool(s, c.req.param("id")), listRules(s)]);
    const values = await formValues(c.req);
    const { input, control } = poolInputFrom(values);
    const result = await judge(PoolInput, input, control, (data) => updatePool(s, pool.id, data));
    if ("errors" in result)
      return c.html(await poolPage(c, pool.name, { pool, rules, values, errors: result.errors }), 422);
    return c.redirect(`/app/routing/pools/${pool.id}?saved=1`, 303);
  });

  app.post("/app/routing/pools/:id/delete", async (c) => {
    await deletePool(scope(c), c.req.param("id"));
    return c.redirect("/app/routing?removed=1", 303);
  });
}
