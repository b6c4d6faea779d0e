import { createRoute, z } from "@hono/zod-openapi";
import {
  connectWhatsappNumber,
  listWhatsappChannels,
  WhatsappConnectInput,
} from "../domain/channels/whatsapp-channels";
import type { App } from "../http/app";
import { commonErrors, ErrorSchema, jsonBody, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

const TemplateSchema = z.object({ name: z.string(), language: z.string(), parameters: z.array(z.string()) });

const ChannelSchema = z
  .object({
    id: z.string(),
    kind: z.literal("whatsapp"),
    phoneNumberId: z.string(),
    displayPhoneNumber: z.string().nullable(),
    verifiedName: z.string().nullable(),
    webhookUrl: z
      .string()
      .openapi({ description: "Callback URL to enter in the Meta app's WhatsApp webhook settings" }),
    accessToken: z.string().openapi({ description: "masked" }),
    appSecret: z.string().openapi({ description: "masked" }),
    verifyToken: z.string().openapi({ description: "masked" }),
    autoReplyText: z.string().nullable(),
    templates: z.record(z.string(), TemplateSchema),
    lastError: z
      .object({
        code: z.number().nullable(),
        title: z.string().nullable(),
        details: z.string().nullable(),
        at: z.number(),
      })
      .nullable(),
    unknownNumbers: z
      .array(z.object({ phoneNumberId: z.string(), messages: z.number(), statuses: z.number(), lastAt: z.number() }))
      .openapi({
        description: "Numbers of the same Meta app whose webhooks reached this URL but are not connected here",
      }),
    createdAt: z.number().int(),
  })
  .openapi("WhatsappChannel");

const connect = createRoute({
  method: "post",
  path: "/api/v1/channels/whatsapp",
  tags: ["channels"],
  summary:
    "Connect a WhatsApp Business number (Cloud API): checks the number and token with the Graph API, " +
    "stores the channel",
  request: {
    body: jsonBody(WhatsappConnectInput),
  },
  responses: {
    201: jsonResponse(ChannelSchema, "Connected"),
    502: jsonResponse(ErrorSchema, "The Graph API failed or was unreachable; retry"),
    ...commonErrors,
  },
});

const list = createRoute({
  method: "get",
  path: "/api/v1/channels/whatsapp",
  tags: ["channels"],
  summary: "The workspace's WhatsApp numbers (secrets masked)",
  responses: { 200: jsonResponse(z.object({ data: z.array(ChannelSchema) }), "Numbers"), ...commonErrors },
});

export function registerWhatsappChannels(app: App) {
  app.openapi(connect, async (c) => {
    const input = c.req.valid("json");
    const publicOrigin = c.get("config").PUBLIC_URL ?? new URL(c.req.url).origin;
    return c.json(await connectWhatsappNumber(scope(c), { ...input, publicOrigin }), 201);
  });
  app.openapi(list, async (c) => c.json({ data: await listWhatsappChannels(scope(c)) }, 200));
}
