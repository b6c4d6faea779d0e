import type { Context } from "hono";
import type { ChannelList } from "../channels/channel";
import type { Config } from "../config";
import { registerEmbed } from "../routes/embed";
import { registerFormCapture } from "../routes/form-capture";
import { registerHealth } from "../routes/health";
import { type App, type AppEnv, newApp } from "./app";
import { answerErrors } from "./on-error";
import { createOwnerApp } from "./owner-app";
import { limitHookByChannel, limitPublicByIp } from "./rate-limit";
import { executionContextOf, useRequestContext } from "./request-context";

/**
 * The owner API and console, built on their first request: a cold start that serves a form POST, a webhook, a
 * queue batch or a cron tick never registers their routes (bench/README.md "Worker start-up").
 */
function ownerAppOnFirstUse(config: Config, channels: ChannelList, clock: () => number) {
  let built: App | undefined;
  return (c: Context<AppEnv>) => {
    built ??= createOwnerApp(config, channels, clock);
    return built.fetch(c.req.raw, c.env, executionContextOf(c));
  };
}

/**
 * The app of one deployment: its config and its channels (the list at the entry). What a cold start serves
 * (health, forms, the embed script, each channel's webhooks) is registered here; /api and /app go to the owner
 * app (workers/http/owner-app.ts), built on their first request.
 */
export function createApp(config: Config, channels: ChannelList, clock: () => number = Date.now) {
  const app = newApp();
  // First, before the request context: the owner app sets up its own.
  const owner = ownerAppOnFirstUse(config, channels, clock);
  for (const path of ["/api", "/api/*", "/app", "/app/*"]) app.all(path, owner);

  useRequestContext(app, config, channels, clock);
  app.use("/f/*", limitPublicByIp);
  app.use("/hooks/:platform/:channelId", limitHookByChannel);

  registerHealth(app);
  for (const channel of channels) channel.hooks(app);
  registerFormCapture(app);
  registerEmbed(app);

  answerErrors(app);
  return app;
}
