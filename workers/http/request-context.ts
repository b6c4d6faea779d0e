import type { Context } from "hono";
import type { ChannelList } from "../channels/channel";
import type { Config } from "../config";
import { openDatabase } from "../db";
import { queueRetries } from "../outbox/retry-queue";
import { rotationService } from "../routing/rotation-service";
import { slaClock } from "../routing/sla-clock";
import type { App, AppEnv } from "./app";

/** The request's execution context; undefined under app.request() in tests, which has none (Hono throws). */
export function executionContextOf(c: Context<AppEnv>): ExecutionContext | undefined {
  try {
    return c.executionCtx as ExecutionContext;
  } catch {
    return undefined;
  }
}

/** Every request's id, config and domain context, for both the start-up app and the owner app. */
export function useRequestContext(app: App, config: Config, channels: ChannelList, clock: () => number) {
  app.use("*", async (c, next) => {
    c.set("requestId", c.req.header("cf-ray") ?? crypto.randomUUID());
    c.set("config", config);
    // Without an execution context outbox rows are left for the cron job.
    const ec = executionContextOf(c);
    const scheduleRetry = queueRetries(c.env?.OUTBOX_RETRY, clock);
    c.set("ctx", {
      config,
      channels,
      database: openDatabase(config),
      now: clock,
      rotation: rotationService(c.env?.ROTATION),
      slaClock: slaClock(c.env?.SLA_TIMER),
      waitUntil: ec ? (p) => ec.waitUntil(p) : undefined,
      scheduleRetry,
      inbound: c.env?.INBOUND,
      imports: c.env?.IMPORTS,
    });
    await next();
    c.header("X-Request-Id", c.get("requestId"));
  });
}
