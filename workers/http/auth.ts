import { and, eq, isNull } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { apiKey, workspace } from "../../db/schema";
import { AppError } from "../errors";
import { hashApiKey, looksLikeApiKey } from "../lib/api-key";
import type { AppEnv } from "./app";

export function bearerToken(header: string | undefined): string | null {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1] ?? null;
}

/** Resolves `Authorization: Bearer <api key>` to its workspace; every owner route is scoped by it. */
export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header("authorization"));
  if (!token || !looksLikeApiKey(token)) {
    throw new AppError("UNAUTHORIZED", "Send an API key as `Authorization: Bearer lr_…`.", {
      headers: { "WWW-Authenticate": 'Bearer realm="leadrelay"' },
    });
  }
  const hash = await hashApiKey(token);
  const { db } = c.get("ctx").database;
  const found = await db
    .select({ id: apiKey.id, workspaceId: apiKey.workspaceId, defaultCountry: workspace.defaultCountry })
    .from(apiKey)
    .innerJoin(workspace, eq(workspace.id, apiKey.workspaceId))
    .where(and(eq(apiKey.hash, hash), isNull(apiKey.revokedAt)))
    .get();
  if (!found) {
    throw new AppError("UNAUTHORIZED", "Unknown or revoked API key.", {
      headers: { "WWW-Authenticate": 'Bearer realm="leadrelay", error="invalid_token"' },
    });
  }
  c.set("auth", { workspaceId: found.workspaceId, apiKeyId: found.id, defaultCountry: found.defaultCountry });
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
