import { formValues, judge } from "../dashboard/field-errors";
import { formEditBody, formInputFrom, formValuesOf, NEW_FORM } from "../dashboard/form-edit-page";
import { page } from "../dashboard/layout";
import { createForm, deleteForm, FormInput, getForm, updateForm } from "../domain/capture/forms";
import type { App } from "../http/app";
import { scope } from "../http/workspace-scope";

/** Create, edit and delete capture forms in the console, through the API's schema and verbs. */
export function registerFormPages(app: App) {
  const origin = (url: string) => new URL(url).origin;

  app.get("/app/forms/new", (c) =>
    c.html(page("New form", "/app/forms", formEditBody({ origin: origin(c.req.url), values: NEW_FORM }))),
  );

  app.post("/app/forms", async (c) => {
    const values = await formValues(c.req);
    const { input, control } = formInputFrom(values);
    const result = await judge(FormInput, input, control, (data) => createForm(scope(c), data));
    if ("errors" in result) {
      return c.html(
        page("New form", "/app/forms", formEditBody({ origin: origin(c.req.url), values, errors: result.errors })),
        422,
      );
    }
    return c.redirect(`/app/forms/${result.saved.id}?saved=1`, 303);
  });

  app.get("/app/forms/:id", async (c) => {
    const form = await getForm(scope(c), c.req.param("id"));
    const body = formEditBody({
      form,
      origin: origin(c.req.url),
      values: formValuesOf(form),
      saved: c.req.query("saved") === "1",
    });
    return c.html(page(form.name, "/app/forms", body));
  });

  app.post("/app/forms/:id", async (c) => {
    const s = scope(c);
    const form = await getForm(s, c.req.param("id"));
    const values = await formValues(c.req);
    const { input, control } = formInputFrom(values);
    const result = await judge(FormInput, input, control, (data) => updateForm(s, form.id, data));
    if ("errors" in result) {
      return c.html(
        page(form.name, "/app/forms", formEditBody({ form, origin: origin(c.req.url), values, errors: result.errors })),
        422,
      );
    }
    return c.redirect(`/app/forms/${form.id}?saved=1`, 303);
  });

  app.post("/app/forms/:id/delete", async (c) => {
    await deleteForm(scope(c), c.req.param("id"));
    return c.redirect("/app/forms", 303);
  });
}
