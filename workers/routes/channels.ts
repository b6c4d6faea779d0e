import { createRoute, z } from "@hono/zod-openapi";
import { connectTelegramBot, listTelegramChannels, TelegramConnectInput } from "../domain/channels/telegram-channels";
import type { App } from "../http/app";
import { commonErrors, ErrorSchema, jsonBody, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

const ChannelSchema = z
  .object({
    id: z.string(),
    kind: z.literal("telegram"),
    botId: z.number().int(),
    botUsername: z.string(),
    webhookUrl: z.string(),
    autoReplyText: z.string().nullable(),
    createdAt: z.number().int(),
  })
  .openapi("TelegramChannel");

const connect = createRoute({
  method: "post",
  path: "/api/v1/channels/telegram",
  tags: ["channels"],
  summary: "Connect a Telegram bot: checks the token (getMe), registers the webhook with a secret, stores the bot",
  request: {
    body: jsonBody(TelegramConnectInput),
  },
  responses: {
    201: jsonResponse(ChannelSchema, "Connected"),
    502: jsonResponse(ErrorSchema, "The Telegram Bot API failed or was unreachable; retry"),
    ...commonErrors,
  },
});

const list = createRoute({
  method: "get",
  path: "/api/v1/channels/telegram",
  tags: ["channels"],
  summary: "The workspace's Telegram bots (tokens are never returned)",
  responses: { 200: jsonResponse(z.object({ data: z.array(ChannelSchema) }), "Bots"), ...commonErrors },
});

export function registerChannels(app: App) {
  app.openapi(connect, async (c) => {
    const { token, autoReplyText } = c.req.valid("json");
    const publicOrigin = c.get("config").PUBLIC_URL ?? new URL(c.req.url).origin;
    return c.json(await connectTelegramBot(scope(c), { token, autoReplyText, publicOrigin }), 201);
  });
  app.openapi(list, async (c) => c.json({ data: await listTelegramChannels(scope(c)) }, 200));
}
