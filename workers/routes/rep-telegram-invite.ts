import { createRoute, z } from "@hono/zod-openapi";
import { createRepTelegramInvite, RepTelegramInviteInput } from "../domain/team/rep-invites";
import type { App } from "../http/app";
import { commonErrors, conflictError, IdParam, jsonBody, jsonResponse } from "../http/openapi-shared";
import { scope } from "../http/workspace-scope";

const invite = createRoute({
  method: "post",
  path: "/api/v1/reps/{id}/telegram-invite",
  tags: ["reps"],
  summary: "A one-time Telegram deep link (valid 7 days) that links the rep's Telegram chat to the workspace bot",
  // Every owner POST is JSON (415 otherwise): `{}` for the workspace's first bot.
  request: {
    params: IdParam("rep"),
    body: jsonBody(RepTelegramInviteInput),
  },
  responses: {
    201: jsonResponse(
      z.object({ code: z.string(), deepLink: z.string(), expiresAt: z.number().int() }).openapi("RepTelegramInvite"),
      "The invite; the code is shown once",
    ),
    ...conflictError,
    ...commonErrors,
  },
});

export function registerRepTelegramInvite(app: App) {
  app.openapi(invite, async (c) =>
    c.json(await createRepTelegramInvite(scope(c), c.req.valid("param").id, c.req.valid("json").channelId), 201),
  );
}
