import { formValues, judge } from "../dashboard/field-errors";
import { page } from "../dashboard/layout";
import { repFormBody, repInputFrom, repValues } from "../dashboard/rep-form-page";
import { createRep, deleteRep, getRep, RepInput, updateRep } from "../domain/team/reps";
import { AppError } from "../errors";
import type { App } from "../http/app";
import { scope } from "../http/workspace-scope";

const NEW_REP = { active: "on", alwaysOn: "on", weight: "1" };

/**
 * Add, edit and remove reps in the console: the page's controls become the API's input, judged by the same
 * zod schema and saved by the same domain verbs; a refusal re-renders the page with each message under its
 * control and nothing saved.
 */
export function registerRepPages(app: App) {
  app.get("/app/reps/new", (c) => c.html(page("Add a rep", "/app/reps", repFormBody({ values: NEW_REP }))));

  app.post("/app/reps", async (c) => {
    const values = await formValues(c.req);
    const { input, control } = repInputFrom(values);
    const result = await judge(RepInput, input, control, (data) => createRep(scope(c), data));
    if ("errors" in result)
      return c.html(page("Add a rep", "/app/reps", repFormBody({ values, errors: result.errors })), 422);
    return c.redirect(`/app/reps/${result.saved.id}?saved=1`, 303);
  });

  app.get("/app/reps/:id", async (c) => {
    const rep = await getRep(scope(c), c.req.param("id"));
    return c.html(
      page(rep.name, "/app/reps", repFormBody({ rep, values: repValues(rep), saved: c.req.query("saved") === "1" })),
    );
  });

  app.post("/app/reps/:id", async (c) => {
    const s = scope(c);
    const rep = await getRep(s, c.req.param("id"));
    const values = await formValues(c.req);
    const { input, control } = repInputFrom(values);
    const result = await judge(RepInput, input, control, (data) => updateRep(s, rep.id, data));
    if ("errors" in result)
      return c.html(page(rep.name, "/app/reps", repFormBody({ rep, values, errors: result.errors })), 422);
    return c.redirect(`/app/reps/${rep.id}?saved=1`, 303);
  });

  app.post("/app/reps/:id/delete", async (c) => {
    const s = scope(c);
    const rep = await getRep(s, c.req.param("id"));
    try {
      await deleteRep(s, rep.id);
    } catch (err) {
      if (!(err instanceof AppError && err.code === "CONFLICT")) throw err;
      const body = repFormBody({ rep, values: repValues(rep), errors: { form: err.message } });
      return c.html(page(rep.name, "/app/reps", body), 409);
    }
    return c.redirect("/app/reps?removed=1", 303);
  });
}
