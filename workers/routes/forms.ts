import { createRoute, z } from "@hono/zod-openapi";
import {
  createForm,
  deleteForm,
  FormFieldSchema,
  FormInput,
  getForm,
  listForms,
  updateForm,
} from "../domain/capture/forms";
import type { App } from "../http/app";
import { commonErrors, IdParam, jsonBody, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

export const FormSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    publicKey: z.string().openapi({ description: "Used by the embed snippet and POST /f/{publicKey}" }),
    name: z.string(),
    fields: z.array(FormFieldSchema),
    allowedOrigins: z.array(z.string()),
    honeypotField: z.string(),
    successMessage: z.string(),
    redirectUrl: z.string().nullable(),
    autoReplyText: z
      .string()
      .nullable()
      .openapi({ description: "Instant reply to a new lead; {name}, {rep_name}, {form}" }),
    autoReplySubject: z.string().nullable(),
    turnstileSiteKey: z
      .string()
      .nullable()
      .openapi({ description: "Cloudflare Turnstile site key the embed snippet shows" }),
    consentText: z
      .string()
      .nullable()
      .openapi({ description: "Optional consent checkbox; its answer goes to the consent ledger" }),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .openapi("Form");

const Id = IdParam("form");

const list = createRoute({
  method: "get",
  path: "/api/v1/forms",
  tags: ["forms"],
  summary: "List the workspace's capture forms",
  responses: { 200: jsonResponse(z.object({ data: z.array(FormSchema) }), "Forms"), ...commonErrors },
});
const create = createRoute({
  method: "post",
  path: "/api/v1/forms",
  tags: ["forms"],
  summary: "Create a capture form (default fields: name, email, phone, message)",
  request: { body: jsonBody(FormInput) },
  responses: { 201: jsonResponse(FormSchema, "Created"), ...commonErrors },
});
const get = createRoute({
  method: "get",
  path: "/api/v1/forms/{id}",
  tags: ["forms"],
  summary: "One form",
  request: { params: Id },
  responses: { 200: jsonResponse(FormSchema, "The form"), ...commonErrors },
});
const patch = createRoute({
  method: "patch",
  path: "/api/v1/forms/{id}",
  tags: ["forms"],
  summary: "Update a form",
  request: { params: Id, body: jsonBody(FormInput.partial()) },
  responses: { 200: jsonResponse(FormSchema, "Updated"), ...commonErrors },
});
const remove = createRoute({
  method: "delete",
  path: "/api/v1/forms/{id}",
  tags: ["forms"],
  summary: "Delete a form (its leads stay)",
  request: { params: Id },
  responses: { 204: { description: "Deleted" }, ...commonErrors },
});

export function registerForms(app: App) {
  app.openapi(list, async (c) => c.json({ data: await listForms(scope(c)) }, 200));
  app.openapi(create, async (c) => c.json(await createForm(scope(c), c.req.valid("json")), 201));
  app.openapi(get, async (c) => c.json(await getForm(scope(c), c.req.valid("param").id), 200));
  app.openapi(patch, async (c) =>
    c.json(await updateForm(scope(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
  app.openapi(remove, async (c) => {
    await deleteForm(scope(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
