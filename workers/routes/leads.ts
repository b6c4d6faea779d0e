import { createRoute, z } from "@hono/zod-openapi";
import { LEAD_SOURCES, LEAD_STATUSES } from "../../db/schema";
import { ApiCaptureInput, captureLead } from "../domain/capture/capture-lead";
import { getLead, LeadListQuery, LeadPatch, listLeads, updateLead } from "../domain/leads/leads";
import { actorOf } from "../http/actor";
import type { App } from "../http/app";
import { commonErrors, IdParam, jsonBody, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

export const LeadSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    formId: z.string().nullable(),
    source: z.enum(LEAD_SOURCES),
    status: z.enum(LEAD_STATUSES),
    name: z.string().nullable(),
    phone: z.string().nullable().openapi({ description: "E.164" }),
    email: z.string().nullable(),
    telegramUserId: z.string().nullable(),
    whatsappId: z.string().nullable().openapi({ description: "WhatsApp wa_id (phone digits)" }),
    whatsappUserId: z.string().nullable().openapi({ description: "WhatsApp business-scoped user id (BSUID)" }),
    message: z.string().nullable(),
    fields: z.record(z.string(), z.string()),
    utmSource: z.string().nullable(),
    utmMedium: z.string().nullable(),
    utmCampaign: z.string().nullable(),
    utmTerm: z.string().nullable(),
    utmContent: z.string().nullable(),
    referrer: z.string().nullable(),
    pageUrl: z.string().nullable(),
    ownerRepId: z.string().nullable(),
    poolId: z.string().nullable(),
    slaDueAt: z.number().nullable().openapi({ description: "first-response deadline of the current owner" }),
    reassignCount: z.number(),
    passedRepIds: z.array(z.string()),
    claimedAt: z.number().nullable(),
    escalatedAt: z.number().nullable(),
    score: z.number().nullable().openapi({ description: "1–10, from the workspace's scoring rules" }),
    scoreReasons: z.array(z.object({ rule: z.string(), label: z.string(), points: z.number() })).nullable(),
    hot: z.boolean(),
    notes: z.string().nullable(),
    assignedAt: z.number().nullable(),
    firstResponseAt: z.number().nullable(),
    lastInboundAt: z.number(),
    optedOutAt: z.number().nullable().openapi({ description: "When the prospect opted out of messages; null = not" }),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .openapi("Lead");

const LeadEventSchema = z
  .object({
    id: z.string(),
    leadId: z.string(),
    type: z.string().openapi({ example: "re-inquiry" }),
    actorType: z.string(),
    actorId: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
    createdAt: z.number(),
  })
  .openapi("LeadEvent");

const LeadMessageSchema = z
  .object({
    id: z.string(),
    direction: z.enum(["in", "out"]),
    channel: z.string().openapi({ example: "whatsapp" }),
    kind: z
      .string()
      .openapi({ description: "message (inbound), or what we sent: auto_reply, follow_up, rep_reply, bot_reply" }),
    text: z.string().nullable(),
    status: z.string().openapi({
      description: "in: received; out: pending, sent, delivered, read, played, failed, not_sent (skipped on purpose)",
    }),
    error: z.string().nullable().openapi({ description: "Why an outbound message failed or was not sent" }),
    at: z.number(),
  })
  .openapi("LeadMessage");

export const LeadWithTimeline = z
  .object({ lead: LeadSchema, events: z.array(LeadEventSchema), messages: z.array(LeadMessageSchema).optional() })
  .openapi("LeadWithTimeline");

const Id = IdParam("lead");

const list = createRoute({
  method: "get",
  path: "/api/v1/leads",
  tags: ["leads"],
  summary: "List leads, newest first, with filters",
  request: { query: LeadListQuery },
  responses: {
    200: jsonResponse(z.object({ data: z.array(LeadSchema), nextCursor: z.string().nullable() }), "A page of leads"),
    ...commonErrors,
  },
});
const create = createRoute({
  method: "post",
  path: "/api/v1/leads",
  tags: ["leads"],
  summary: "Capture a lead from your own systems (same dedup as every channel)",
  request: { body: jsonBody(ApiCaptureInput) },
  responses: {
    201: jsonResponse(z.object({ lead: LeadSchema, created: z.literal(true) }), "A new lead"),
    200: jsonResponse(
      z.object({ lead: LeadSchema, created: z.literal(false) }),
      "Matched an existing lead: a re-inquiry was recorded",
    ),
    ...commonErrors,
  },
});
const get = createRoute({
  method: "get",
  path: "/api/v1/leads/{id}",
  tags: ["leads"],
  summary: "One lead with its timeline",
  request: { params: Id },
  responses: { 200: jsonResponse(LeadWithTimeline, "The lead"), ...commonErrors },
});
const patch = createRoute({
  method: "patch",
  path: "/api/v1/leads/{id}",
  tags: ["leads"],
  summary: "Change status, owner or notes (each change is a timeline event)",
  request: {
    params: Id,
    body: jsonBody(LeadPatch),
  },
  responses: { 200: jsonResponse(LeadWithTimeline, "Updated"), ...commonErrors },
});

export function registerLeads(app: App) {
  app.openapi(list, async (c) => c.json(await listLeads(scope(c), c.req.valid("query")), 200));
  app.openapi(create, async (c) => {
    const body = c.req.valid("json");
    const { lead, created } = await captureLead({ ...scope(c), actor: actorOf(c) }, { ...body, source: "api" });
    return created ? c.json({ lead, created: true as const }, 201) : c.json({ lead, created: false as const }, 200);
  });
  app.openapi(get, async (c) => c.json(await getLead(scope(c), c.req.valid("param").id), 200));
  app.openapi(patch, async (c) =>
    c.json(await updateLead(scope(c), c.req.valid("param").id, c.req.valid("json"), actorOf(c)), 200),
  );
}
