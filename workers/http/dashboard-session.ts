import { and, eq, isNull, type SQL } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { apiKey, workspace } from "../../db/schema";
import type { Db } from "../db";
import { hashApiKey, looksLikeApiKey } from "../lib/api-key";
import type { AppEnv, AuthInfo } from "./app";
import { SESSION_COOKIE, SESSION_TTL_MS, sessionSecret, signSession, verifySession } from "./session";

async function findKey(db: Db, where: SQL | undefined): Promise<AuthInfo | null> {
  const row = await db
    .select({ apiKeyId: apiKey.id, workspaceId: apiKey.workspaceId, defaultCountry: workspace.defaultCountry })
    .from(apiKey)
    .innerJoin(workspace, eq(workspace.id, apiKey.workspaceId))
    .where(and(where, isNull(apiKey.revokedAt)))
    .get();
  return row ?? null;
}

/** The API key typed on the sign-in page → its workspace, or null. */
export async function authenticateApiKey(db: Db, key: string): Promise<AuthInfo | null> {
  if (!looksLikeApiKey(key)) return null;
  return findKey(db, eq(apiKey.hash, await hashApiKey(key)));
}

export async function startSession(c: Context<AppEnv>, auth: AuthInfo) {
  const expires = c.get("ctx").now() + SESSION_TTL_MS;
  const value = await signSession(sessionSecret(c.get("config")), { apiKeyId: auth.apiKeyId, expires });
  setCookie(c, SESSION_COOKIE, value, {
    path: "/app",
    httpOnly: true,
    sameSite: "Lax",
    // Plain http only on a developer's machine; a Secure cookie would not be sent back there.
    secure: new URL(c.req.url).protocol === "https:",
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export function endSession(c: Context<AppEnv>) {
  deleteCookie(c, SESSION_COOKIE, { path: "/app", secure: new URL(c.req.url).protocol === "https:" });
}

/**
 * Dashboard pages: a valid signed session cookie whose API key still exists and is not revoked, else the
 * sign-in page. Sets the same `auth` the owner API uses, so every page is scoped to that workspace.
 */
export const requireSession = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("auth")) return next();
  const ctx = c.get("ctx");
  const session = await verifySession(sessionSecret(c.get("config")), getCookie(c, SESSION_COOKIE), ctx.now());
  const auth = session ? await findKey(ctx.database.db, eq(apiKey.id, session.apiKeyId)) : null;
  if (!auth) return c.redirect("/app/login", 303);
  c.set("auth", auth);
  await next();
  // Pages hold lead data: never cached by the browser or a proxy, never framed.
  c.header("Cache-Control", "no-store");
  dashboardHeaders(c);
});

// No inline or third-party script can run on a page that shows lead data: prospect-typed text is escaped on
// render, and this is the second line of defence. Inline styles only (SVG colours).
const CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function dashboardHeaders(c: Context<AppEnv>) {
  c.header("Content-Security-Policy", CSP);
  c.header("X-Frame-Options", "DENY");
  c.header("Referrer-Policy", "same-origin");
  c.header("X-Content-Type-Options", "nosniff");
}
