import { createRoute, z } from "@hono/zod-openapi";
import { PERSON_ROLES } from "../../db/schema";
import {
  getPerson,
  InviteInput,
  invitePerson,
  listPeople,
  PersonPatch,
  revokePerson,
  updatePerson,
} from "../domain/team/people";
import { principalOf } from "../http/actor";
import type { App } from "../http/app";
import { commonErrors, conflictError, IdParam, jsonBody, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

const PersonSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    role: z.enum(PERSON_ROLES),
    repId: z.string().nullable().openapi({ description: "the rep record whose leads a rep person works" }),
    status: z.enum(["invited", "active", "revoked"]),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .openapi("Person");

const Id = IdParam("psn");
const tags = ["people"];

export function registerPeople(app: App) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/people",
      tags,
      summary: "People who sign in to the console",
      responses: { 200: jsonResponse(z.object({ data: z.array(PersonSchema) }), "People"), ...commonErrors },
    }),
    async (c) => c.json({ data: await listPeople(scope(c)) }, 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/people",
      tags,
      summary: "Invite a person; the one-time link is in this answer only (also sent to their linked chat and email)",
      request: { body: jsonBody(InviteInput) },
      responses: {
        201: jsonResponse(
          z.object({ person: PersonSchema, inviteUrl: z.string(), sentTo: z.number().int() }),
          "Invited",
        ),
        ...conflictError,
        ...commonErrors,
      },
    }),
    async (c) => {
      const origin = c.get("config").PUBLIC_URL ?? new URL(c.req.url).origin;
      return c.json(await invitePerson(scope(c), c.req.valid("json"), principalOf(c), origin), 201);
    },
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/v1/people/{id}",
      tags,
      summary: "One person",
      request: { params: Id },
      responses: { 200: jsonResponse(PersonSchema, "The person"), ...commonErrors },
    }),
    async (c) => c.json(await getPerson(scope(c), c.req.valid("param").id), 200),
  );
  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/v1/people/{id}",
      tags,
      summary: "Change name, role or rep record",
      request: { params: Id, body: jsonBody(PersonPatch) },
      responses: { 200: jsonResponse(PersonSchema, "Updated"), ...conflictError, ...commonErrors },
    }),
    async (c) =>
      c.json(await updatePerson(scope(c), c.req.valid("param").id, c.req.valid("json"), principalOf(c)), 200),
  );
  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/v1/people/{id}",
      tags,
      summary: "Remove access: sessions end at once, sign-in is refused",
      request: { params: Id },
      responses: { 200: jsonResponse(PersonSchema, "Revoked"), ...commonErrors },
    }),
    async (c) => c.json(await revokePerson(scope(c), c.req.valid("param").id, principalOf(c)), 200),
  );
}
