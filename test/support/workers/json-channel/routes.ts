import { z } from "zod";
import { findChannelRow } from "../../../../workers/domain/channels/channel-rows";
import { AppError } from "../../../../workers/errors";
import type { App } from "../../../../workers/http/app";
import { scope } from "../../../../workers/http/workspace-scope";
import { newId } from "../../../../workers/lib/ids";
import { timingSafeEqualText } from "../../../../workers/lib/timing-safe";
import { handleJsonMessage, JsonMessage } from "./handle-message";

const ConnectInput = z.object({
  callbackUrl: z.url(),
  secret: z.string().min(16).max(200),
  autoReplyText: z.string().trim().min(1).max(2000).optional(),
});

/** The owner API that connects an endpoint. */
export function registerJsonConnect(app: App) {
  app.post("/api/v1/channels/json", async (c) => {
    const parsed = ConnectInput.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) {
      throw AppError.validation(
        Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "body", i.message])),
      );
    }
    const { ctx, workspace } = scope(c);
    const id = newId("chan", ctx.now());
    await ctx.database.client.execute({
      sql: `INSERT INTO channel (id, workspace_id, kind, config, created_at) VALUES (?, ?, 'json', ?, ?)`,
      args: [id, workspace.id, JSON.stringify(parsed.data), ctx.now()],
    });
    return c.json({ id, kind: "json", webhookUrl: `${new URL(c.req.url).origin}/hooks/json/${id}` }, 201);
  });
}

/** The webhook an endpoint posts to (secret in `x-json-secret`). */
export function registerJsonHook(app: App) {
  app.post("/hooks/json/:channelId", async (c) => {
    const ctx = c.get("ctx");
    const found = await findChannelRow<{ secret?: string }>(ctx, c.req.param("channelId"), "json", (cfg) =>
      Boolean(cfg.secret),
    );
    if (!found) throw AppError.notFound("Channel");
    if (!timingSafeEqualText(c.req.header("x-json-secret") ?? "", found.channel.config.secret ?? "")) {
      throw new AppError("UNAUTHORIZED", "Missing or wrong x-json-secret.");
    }
    const parsed = JsonMessage.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) {
      throw AppError.validation(
        Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "body", i.message])),
      );
    }
    return c.json(
      await handleJsonMessage({ ctx, channel: found.channel, workspace: found.workspace }, parsed.data),
      200,
    );
  });
}
