import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { type ApiKeyScope, apiKey, workspace } from "../../db/schema";
import { badKeysByIp, countAttempt, enforceThrottle, throttleRead } from "../domain/team/auth-throttle";
import { AppError } from "../errors";
import { hashApiKey, looksLikeApiKey } from "../lib/api-key";
import type { AppEnv } from "./app";

// last_used_at is written at most once a minute per key: most requests cost no write.
const LAST_USED_EVERY_MS = 60_000;

export function bearerToken(header: string | undefined): string | null {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1] ?? null;
}

/** The caller's address as Cloudflare reports it; absent in in-process tests, which are then not counted. */
export function clientIp(c: Context<AppEnv>): string | null {
  return c.req.header("cf-connecting-ip") ?? null;
}

const unauthorized = (message: string, error?: string) =>
  new AppError("UNAUTHORIZED", message, {
    headers: { "WWW-Authenticate": `Bearer realm="leadrelay"${error ? `, error="${error}"` : ""}` },
  });

/** What each scope may call: read = GET only; capture = creating leads only; write = everything. */
function scopeAllows(scope: ApiKeyScope, method: string, path: string): boolean {
  if (scope === "write") return true;
  if (scope === "read") return method === "GET" || method === "HEAD";
  return method === "POST" && path === "/api/v1/leads";
}

/**
 * Resolves `Authorization: Bearer <api key>` to its workspace; every owner route is scoped by it. Failed keys
 * count per client address (read in the same round trip as the key): past the limit, 429 with Retry-After.
 */
export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const ctx = c.get("ctx");
  const ip = clientIp(c);
  const rules = ip ? [badKeysByIp(ip)] : [];
  const token = bearerToken(c.req.header("authorization"));
  if (!token || !looksLikeApiKey(token)) {
    if (rules.length) {
      enforceThrottle(ctx, rules, await throttleRead(ctx, rules).all(), "failed API keys");
      await countAttempt(ctx, rules);
    }
    throw unauthorized("Send an API key as `Authorization: Bearer lr_…`.");
  }
  const { db } = ctx.database;
  const lookup = db
    .select({
      id: apiKey.id,
      scope: apiKey.scope,
      lastUsedAt: apiKey.lastUsedAt,
      workspaceId: apiKey.workspaceId,
      defaultCountry: workspace.defaultCountry,
    })
    .from(apiKey)
    .innerJoin(workspace, eq(workspace.id, apiKey.workspaceId))
    .where(and(eq(apiKey.hash, await hashApiKey(token)), isNull(apiKey.revokedAt)));
  // With an address, its counter is read in the same round trip as the key.
  const [keys, counters] = rules.length ? await db.batch([lookup, throttleRead(ctx, rules)]) : [await lookup.all(), []];
  enforceThrottle(ctx, rules, counters, "failed API keys");
  const found = keys[0];
  if (!found) {
    await countAttempt(ctx, rules);
    throw unauthorized("Unknown or revoked API key.", "invalid_token");
  }
  if (!scopeAllows(found.scope, c.req.method, c.req.path)) {
    throw new AppError(
      "FORBIDDEN",
      `This key's scope is "${found.scope}": it cannot call ${c.req.method} ${c.req.path}.`,
    );
  }
  const now = ctx.now();
  if (found.lastUsedAt === null || found.lastUsedAt + LAST_USED_EVERY_MS <= now) {
    const touch = db
      .update(apiKey)
      .set({ lastUsedAt: now })
      .where(
        and(eq(apiKey.id, found.id), or(isNull(apiKey.lastUsedAt), lt(apiKey.lastUsedAt, now - LAST_USED_EVERY_MS))),
      )
      .then(() => undefined);
    // After the response where the platform allows it; a lost update only makes "last used" a minute older.
    if (ctx.waitUntil) ctx.waitUntil(touch.catch(() => undefined));
    else await touch;
  }
  c.set("auth", {
    workspaceId: found.workspaceId,
    apiKeyId: found.id,
    defaultCountry: found.defaultCountry,
    principal: { kind: "key", keyId: found.id, scope: found.scope },
  });
  await next();
});

/** Owner routes take JSON only: anything else is a 415 naming the header, not a confusing 422. */
export const requireJsonBody = createMiddleware<AppEnv>(async (c, next) => {
  if (["POST", "PATCH", "PUT"].includes(c.req.method)) {
    const type = c.req.header("content-type") ?? "";
    // The same media types Hono's json validator parses: anything it would skip must not pass as JSON.
    const mediaType = type.split(";")[0]!.trim();
    if (!/^application\/([\w.-]+\+)?json$/i.test(mediaType)) {
      throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json.", {
        fields: { "content-type": `Expected application/json, got ${type || "nothing"}.` },
      });
    }
  }
  await next();
});
