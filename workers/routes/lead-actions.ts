import { createRoute } from "@hono/zod-openapi";
import { AssignInput, assignLead, claimLead, passLead, RepActionInput } from "../domain/leads/lead-actions";
import { actorOf } from "../http/actor";
import type { App } from "../http/app";
import { commonErrors, conflictError, IdParam, jsonBody, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";
import { LeadWithTimeline } from "./leads";

const Id = IdParam("lead");
const tags = ["leads"];
const ok = { 200: jsonResponse(LeadWithTimeline, "The lead after the action"), ...conflictError, ...commonErrors };

export function registerLeadActions(app: App) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/leads/{id}/claim",
      tags,
      summary: "A rep claims the lead (stops the SLA clock); 409 if another rep owns it",
      request: { params: Id, body: jsonBody(RepActionInput) },
      responses: ok,
    }),
    async (c) => c.json(await claimLead(scope(c), c.req.valid("param").id, c.req.valid("json").repId), 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/leads/{id}/pass",
      tags,
      summary: "The owner passes the lead: reassigned at once to the next eligible rep, never back to them",
      request: { params: Id, body: jsonBody(RepActionInput) },
      responses: ok,
    }),
    async (c) => c.json(await passLead(scope(c), c.req.valid("param").id, c.req.valid("json").repId), 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/v1/leads/{id}/assign",
      tags,
      summary: "Reassign manually: to `repId`, or (without it) to the pool's next eligible rep",
      request: { params: Id, body: jsonBody(AssignInput) },
      responses: ok,
    }),
    async (c) => {
      const { repId, force } = c.req.valid("json");
      return c.json(await assignLead(scope(c), c.req.valid("param").id, repId, actorOf(c), force), 200);
    },
  );
}
