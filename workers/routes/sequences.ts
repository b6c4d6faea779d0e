import { createRoute, z } from "@hono/zod-openapi";
import { LEAD_SOURCES, STEP_SENDERS } from "../../db/schema";
import {
  addStep,
  createSequence,
  deleteSequence,
  deleteStep,
  getSequence,
  listSequences,
  SequenceInput,
  StepInput,
  updateSequence,
  updateStep,
} from "../domain/leads/sequences";
import type { App } from "../http/app";
import { commonErrors, IdParam, jsonBody, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

const StepSchema = z
  .object({
    id: z.string(),
    position: z.number().int(),
    delayMinutes: z.number().int(),
    sender: z.enum(STEP_SENDERS),
    text: z.string().nullable(),
    subject: z.string().nullable(),
    template: z.string().nullable(),
  })
  .openapi("SequenceStep");

const SequenceSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    name: z.string(),
    active: z.boolean(),
    formId: z.string().nullable(),
    source: z.enum(LEAD_SOURCES).nullable(),
    poolId: z.string().nullable(),
    quietStart: z.string().nullable(),
    quietEnd: z.string().nullable(),
    stopOnReply: z.boolean(),
    stopOnRepResponse: z.boolean(),
    steps: z.array(StepSchema),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .openapi("Sequence");

const Id = IdParam("seq");

const list = createRoute({
  method: "get",
  path: "/api/v1/sequences",
  tags: ["sequences"],
  summary: "List follow-up sequences with their steps",
  responses: { 200: jsonResponse(z.object({ data: z.array(SequenceSchema) }), "Sequences"), ...commonErrors },
});
const create = createRoute({
  method: "post",
  path: "/api/v1/sequences",
  tags: ["sequences"],
  summary: "Create a sequence and its steps",
  request: { body: jsonBody(SequenceInput) },
  responses: { 201: jsonResponse(SequenceSchema, "Created"), ...commonErrors },
});
const get = createRoute({
  method: "get",
  path: "/api/v1/sequences/{id}",
  tags: ["sequences"],
  summary: "One sequence with its steps",
  request: { params: Id },
  responses: { 200: jsonResponse(SequenceSchema, "The sequence"), ...commonErrors },
});
const patch = createRoute({
  method: "patch",
  path: "/api/v1/sequences/{id}",
  tags: ["sequences"],
  summary: "Update a sequence; `steps`, when sent, replaces all its steps",
  request: { params: Id, body: jsonBody(SequenceInput.partial()) },
  responses: { 200: jsonResponse(SequenceSchema, "Updated"), ...commonErrors },
});
const remove = createRoute({
  method: "delete",
  path: "/api/v1/sequences/{id}",
  tags: ["sequences"],
  summary: "Delete a sequence (its enrolments end; messages already queued still go out)",
  request: { params: Id },
  responses: { 204: { description: "Deleted" }, ...commonErrors },
});

const StepParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "seq_…" }),
  position: z.coerce
    .number()
    .int()
    .min(1)
    .max(20)
    .openapi({ param: { name: "position", in: "path" }, example: 1 }),
});

const addStepRoute = createRoute({
  method: "post",
  path: "/api/v1/sequences/{id}/steps",
  tags: ["sequences"],
  summary: "Append a step",
  request: { params: Id, body: jsonBody(StepInput) },
  responses: { 201: jsonResponse(SequenceSchema, "The sequence with the new step"), ...commonErrors },
});
const patchStepRoute = createRoute({
  method: "patch",
  path: "/api/v1/sequences/{id}/steps/{position}",
  tags: ["sequences"],
  summary: "Update one step",
  request: { params: StepParams, body: jsonBody(StepInput.partial()) },
  responses: { 200: jsonResponse(SequenceSchema, "The sequence"), ...commonErrors },
});
const deleteStepRoute = createRoute({
  method: "delete",
  path: "/api/v1/sequences/{id}/steps/{position}",
  tags: ["sequences"],
  summary: "Remove one step; later steps move up",
  request: { params: StepParams },
  responses: { 200: jsonResponse(SequenceSchema, "The sequence"), ...commonErrors },
});

export function registerSequences(app: App) {
  app.openapi(addStepRoute, async (c) =>
    c.json(await addStep(scope(c), c.req.valid("param").id, c.req.valid("json")), 201),
  );
  app.openapi(patchStepRoute, async (c) => {
    const { id, position } = c.req.valid("param");
    return c.json(await updateStep(scope(c), id, position, c.req.valid("json")), 200);
  });
  app.openapi(deleteStepRoute, async (c) => {
    const { id, position } = c.req.valid("param");
    return c.json(await deleteStep(scope(c), id, position), 200);
  });
  app.openapi(list, async (c) => c.json({ data: await listSequences(scope(c)) }, 200));
  app.openapi(create, async (c) => c.json(await createSequence(scope(c), c.req.valid("json")), 201));
  app.openapi(get, async (c) => c.json(await getSequence(scope(c), c.req.valid("param").id), 200));
  app.openapi(patch, async (c) =>
    c.json(await updateSequence(scope(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
  app.openapi(remove, async (c) => {
    await deleteSequence(scope(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
