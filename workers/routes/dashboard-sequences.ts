import type { Context } from "hono";
import { formValues, judge } from "../dashboard/field-errors";
import { page } from "../dashboard/layout";
import { NEW_SEQUENCE, sequenceFormBody, sequenceInputFrom, sequenceValues } from "../dashboard/sequence-form-page";
import { sequencesBody } from "../dashboard/sequences-page";
import { listForms } from "../domain/capture/forms";
import {
  createSequence,
  deleteSequence,
  getSequence,
  listSequences,
  SequenceInput,
  updateSequence,
} from "../domain/leads/sequences";
import { listPools } from "../domain/routing/pools";
import type { App, AppEnv } from "../http/app";
import { scope } from "../http/workspace-scope";

type SequencePage = Omit<Parameters<typeof sequenceFormBody>[0], "forms" | "pools">;

async function sequencePage(c: Context<AppEnv>, title: string, opts: SequencePage) {
  const s = scope(c);
  const [forms, pools] = await Promise.all([listForms(s), listPools(s)]);
  return page(title, "/app/sequences", sequenceFormBody({ ...opts, forms, pools }));
}

/**
 * Follow-up sequences in the console: list, create, edit (the steps are replaced as a whole, as the API's
 * PATCH with `steps` does) and delete, judged by the API's zod schema and saved by its verbs.
 */
export function registerSequencePages(app: App) {
  app.get("/app/sequences", async (c) => {
    const s = scope(c);
    const [sequences, forms, pools] = await Promise.all([listSequences(s), listForms(s), listPools(s)]);
    return c.html(page("Sequences", "/app/sequences", sequencesBody(sequences, { forms, pools })));
  });

  app.get("/app/sequences/new", async (c) => c.html(await sequencePage(c, "New sequence", { values: NEW_SEQUENCE })));

  app.post("/app/sequences", async (c) => {
    const values = await formValues(c.req);
    const { input, control } = sequenceInputFrom(values);
    const result = await judge(SequenceInput, input, control, (data) => createSequence(scope(c), data));
    if ("errors" in result)
      return c.html(await sequencePage(c, "New sequence", { values, errors: result.errors }), 422);
    return c.redirect(`/app/sequences/${result.saved.id}?saved=1`, 303);
  });

  app.get("/app/sequences/:id", async (c) => {
    const sequence = await getSequence(scope(c), c.req.param("id"));
    const saved = c.req.query("saved") === "1";
    return c.html(await sequencePage(c, sequence.name, { sequence, values: sequenceValues(sequence), saved }));
  });

  app.post("/app/sequences/:id", async (c) => {
    const s = scope(c);
    const sequence = await getSequence(s, c.req.param("id"));
    const values = await formValues(c.req);
    const { input, control } = sequenceInputFrom(values);
    const result = await judge(SequenceInput, input, control, (data) => updateSequence(s, sequence.id, data));
    if ("errors" in result)
      return c.html(await sequencePage(c, sequence.name, { sequence, values, errors: result.errors }), 422);
    return c.redirect(`/app/sequences/${sequence.id}?saved=1`, 303);
  });

  app.post("/app/sequences/:id/delete", async (c) => {
    await deleteSequence(scope(c), c.req.param("id"));
    return c.redirect("/app/sequences?removed=1", 303);
  });
}
