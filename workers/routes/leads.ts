import { createRoute, z } from "@hono/zod-openapi";
import { LEAD_SOURCES, LEAD_STATUSES } from "../../db/schema";
import { captureLead } from "../domain/capture/capture-lead";
import { getLead, listLeads, updateLead } from "../domain/leads/leads";
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

/** `?status=new,contacted` or repeated — either way a list of enum values. */
const csvEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)))
    .optional();

const DateBound = z
  .union([
    z
      .string()
      .regex(/^\d{1,16}$/)
      .transform(Number),
    z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
    z.iso.date().transform((s) => Date.parse(`${s}T00:00:00Z`)),
  ])
  .optional()
  .openapi({ description: "epoch ms, ISO date (UTC midnight) or ISO date-time", type: "string" });

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

export const ListQuery = z.object({
  status: csvEnum(LEAD_STATUSES).openapi({ type: "string", example: "new,contacted" }),
  source: csvEnum(LEAD_SOURCES).openapi({ type: "string", example: "form" }),
  owner: z.string().max(64).optional().openapi({ description: 'rep id, or "none" for unassigned' }),
  from: DateBound,
  to: DateBound,
  q: z.string().trim().min(1).max(200).optional().openapi({ description: "matches name, email, phone, message" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional(),
});

const CaptureBody = z
  .object({
    name: z.string().max(200).optional(),
    email: z.string().max(254).optional(),
    phone: z.string().max(40).optional(),
    message: z.string().max(5000).optional(),
    fields: z.record(z.string().max(64), z.string().max(2000)).optional(),
    utm: z
      .object({
        source: z.string().max(200).optional(),
        medium: z.string().max(200).optional(),
        campaign: z.string().max(200).optional(),
        term: z.string().max(200).optional(),
        content: z.string().max(200).optional(),
      })
      .optional(),
    referrer: z.string().max(2048).optional(),
    pageUrl: z.string().max(2048).optional(),
  })
  .openapi("CaptureLead");

const Id = IdParam("lead");

const list = createRoute({
  method: "get",
  path: "/api/v1/leads",
  tags: ["leads"],
  summary: "List leads, newest first, with filters",
  request: { query: ListQuery },
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
  request: { body: jsonBody(CaptureBody) },
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
    body: jsonBody(
      z.object({
        status: z.enum(LEAD_STATUSES).optional(),
        ownerRepId: z.string().max(64).nullable().optional(),
        notes: z.string().max(10_000).nullable().optional(),
        force: z.boolean().optional().openapi({ description: "assign to a paused, away or at-cap rep anyway" }),
      }),
    ),
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
