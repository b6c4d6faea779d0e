import { createRoute, z } from "@hono/zod-openapi";
import { createRep, deleteRep, getRep, listReps, RepInput, updateRep } from "../domain/team/reps";
import type { App } from "../http/app";
import { commonErrors, IdParam, jsonBody, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

export const RepSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    telegramChatId: z.string().nullable(),
    whatsappPhone: z.string().nullable(),
    active: z.boolean(),
    paused: z.boolean(),
    weight: z.number().int(),
    maxOpenLeads: z.number().int().nullable(),
    timezone: z.string().nullable(),
    workingHours: z.record(z.string(), z.array(z.tuple([z.string(), z.string()]))).nullable(),
    vacations: z.array(z.object({ from: z.number(), to: z.number() })),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .openapi("Rep");

const Id = IdParam("rep");

const list = createRoute({
  method: "get",
  path: "/api/v1/reps",
  tags: ["reps"],
  summary: "List the workspace's reps",
  responses: { 200: jsonResponse(z.object({ data: z.array(RepSchema) }), "Reps"), ...commonErrors },
});
const create = createRoute({
  method: "post",
  path: "/api/v1/reps",
  tags: ["reps"],
  summary: "Add a rep",
  request: { body: jsonBody(RepInput) },
  responses: { 201: jsonResponse(RepSchema, "Created"), ...commonErrors },
});
const get = createRoute({
  method: "get",
  path: "/api/v1/reps/{id}",
  tags: ["reps"],
  summary: "One rep",
  request: { params: Id },
  responses: { 200: jsonResponse(RepSchema, "The rep"), ...commonErrors },
});
const patch = createRoute({
  method: "patch",
  path: "/api/v1/reps/{id}",
  tags: ["reps"],
  summary:
    "Update a rep: pause/resume, weight, open-lead cap, working hours, vacations; " +
    "`active: false` takes them out of every rotation",
  request: { params: Id, body: jsonBody(RepInput.partial()) },
  responses: { 200: jsonResponse(RepSchema, "Updated"), ...commonErrors },
});

const remove = createRoute({
  method: "delete",
  path: "/api/v1/reps/{id}",
  tags: ["reps"],
  summary: "Remove a rep who owns no open lead (409 otherwise: reassign them or pause the rep)",
  request: { params: Id },
  responses: { 204: { description: "Removed" }, ...commonErrors },
});

export function registerReps(app: App) {
  app.openapi(list, async (c) => c.json({ data: await listReps(scope(c)) }, 200));
  app.openapi(create, async (c) => c.json(await createRep(scope(c), c.req.valid("json")), 201));
  app.openapi(get, async (c) => c.json(await getRep(scope(c), c.req.valid("param").id), 200));
  app.openapi(patch, async (c) => c.json(await updateRep(scope(c), c.req.valid("param").id, c.req.valid("json")), 200));
  app.openapi(remove, async (c) => {
    await deleteRep(scope(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
