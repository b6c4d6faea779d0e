import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { AppError } from "../errors";
import type { AppEnv } from "./app";
import { clientIp } from "./client-ip";

/**
 * Abuse limits on the public, unauthenticated routes, counted by the Workers Rate Limiting binding
 * (`[[ratelimits]]` in wrangler.toml). Why the binding: it costs no round trip (no database, no Durable
 * Object on the capture path, where every millisecond is speed to lead) and its counters are shared by every
 * isolate of a Cloudflare location; an in-isolate counter would be one limit per isolate, i.e. none at all.
 * Its counts are per location and eventually consistent: right for stopping floods, not for metering.
 * The limits themselves live in wrangler.toml (the binding's API takes only a key).
 */

// Equals `simple.period` of both bindings in wrangler.toml: a throttled caller is told to wait one window.
export const RATE_LIMIT_PERIOD_SECONDS = 60;

async function enforce(limiter: RateLimit | undefined, key: string, what: string, headers: Record<string, string>) {
  // Absent when an app is built without the binding (scripts, tests with their own env).
  if (!limiter) return;
  const { success } = await limiter.limit({ key });
  if (!success) {
    throw new AppError(
      "RATE_LIMITED",
      `Too many requests from this ${what}; retry in ${RATE_LIMIT_PERIOD_SECONDS} s.`,
      {
        headers: { ...headers, "Retry-After": String(RATE_LIMIT_PERIOD_SECONDS) },
      },
    );
  }
}

/**
 * Per client IP, before any lookup, so a flood of made-up form keys never reaches the database. The address
 * comes only from the header the deployment trusts (CLIENT_IP_HEADER); without one, or a request without it
 * (an in-process test), the request is not counted here and the per-form limit still applies.
 * The 429 carries `Access-Control-Allow-Origin: *` so the embed snippet can read it (it holds no data).
 */
export const limitPublicByIp = createMiddleware<AppEnv>(async (c, next) => {
  const ip = clientIp(c, c.get("config"));
  if (ip) await enforce(c.env?.IP_RATE_LIMITER, ip, "address", { "Access-Control-Allow-Origin": "*" });
  await next();
});

/** Per public form key: one noisy site cannot drown the workspace's rotation and reps. */
export function limitPublicForm(c: Context<AppEnv>, formKey: string): Promise<void> {
  return enforce(c.env?.FORM_RATE_LIMITER, formKey, "form", {});
}

/**
 * Per connected bot or number, on `/hooks/<platform>/<channelId>`, before the channel lookup: a flood of
 * forged deliveries (each would cost a database read before its secret or signature fails) stops here. Not per
 * IP: Telegram and Meta deliver from a few shared addresses. The limit sits far above what one business's
 * chat traffic produces; a throttled platform redelivers later (both retry non-2xx answers), so nothing is lost.
 */
export const limitHookByChannel = createMiddleware<AppEnv>(async (c, next) => {
  await enforce(c.env?.HOOK_RATE_LIMITER, c.req.param("channelId") ?? c.req.path, "channel", {});
  await next();
});
