import { and, eq, isNull } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { apiKey } from "../../db/schema";
import { signInPage } from "../dashboard/sign-in-pages";
import type { Db } from "../db";
import { createSession, endSession, findSession, SESSION_MAX_MS, type SignedInPerson } from "../domain/team/sessions";
import { hashApiKey, looksLikeApiKey } from "../lib/api-key";
import type { AppEnv } from "./app";
import { SESSION_COOKIE, sessionSecret, signSessionCookie, verifySessionCookie } from "./session";

/** The API key typed on the sign-in page (the upgrade path) → its workspace id, or null. */
export async function workspaceOfApiKey(db: Db, key: string): Promise<string | null> {
  if (!looksLikeApiKey(key)) return null;
  const row = await db
    .select({ workspaceId: apiKey.workspaceId })
    .from(apiKey)
    .where(and(eq(apiKey.hash, await hashApiKey(key)), isNull(apiKey.revokedAt), eq(apiKey.scope, "write")))
    .get();
  return row?.workspaceId ?? null;
}

const secureCookie = (c: Context<AppEnv>) => new URL(c.req.url).protocol === "https:";

/** A new server-side session for the person, and its signed cookie. */
export async function startSession(c: Context<AppEnv>, who: { workspaceId: string; personId: string }) {
  const secret = sessionSecret(c.get("config"));
  const token = await createSession(c.get("ctx"), { ...who, userAgent: c.req.header("user-agent") ?? null });
  setCookie(c, SESSION_COOKIE, await signSessionCookie(secret, token), {
    path: "/app",
    httpOnly: true,
    sameSite: "Lax",
    // Plain http only on a developer's machine; a Secure cookie would not be sent back there.
    secure: secureCookie(c),
    maxAge: SESSION_MAX_MS / 1000,
  });
}

/** Deletes the session row (every copy of the cookie dies with it) and the cookie in this browser. */
export async function signOut(c: Context<AppEnv>) {
  const person = await sessionPerson(c);
  if (person) await endSession(c.get("ctx"), person.sessionId);
  deleteCookie(c, SESSION_COOKIE, { path: "/app", secure: secureCookie(c) });
}

/**
 * The signed-in person of this request's cookie, or null. Without SESSION_SECRET nothing was ever signed, so no
 * cookie is valid: refused like any other (signing in is what reports the missing secret).
 */
export async function sessionPerson(c: Context<AppEnv>): Promise<SignedInPerson | null> {
  const secret = c.get("config").SESSION_SECRET;
  const token = secret ? await verifySessionCookie(secret, getCookie(c, SESSION_COOKIE)) : null;
  return token ? findSession(c.get("ctx"), token) : null;
}

/**
 * Console pages: a live server-side session of a person who still has access, else the sign-in page. Sets
 * the same `auth` the owner API uses, so every page is scoped to that workspace, plus who the person is.
 */
export const requireSession = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("auth")) return next();
  const person = await sessionPerson(c);
  if (!person) {
    // No cookie: a visitor, sent to sign in. A cookie that opens nothing (forged, signed out, expired, revoked):
    // 401 with the sign-in form in place, and the dead cookie dropped.
    if (getCookie(c, SESSION_COOKIE) === undefined) return c.redirect("/app/login", 303);
    deleteCookie(c, SESSION_COOKIE, { path: "/app", secure: secureCookie(c) });
    dashboardHeaders(c);
    return c.html(signInPage({ form: "password", error: "Your session has ended. Sign in again." }), 401);
  }
  c.set("auth", {
    workspaceId: person.workspaceId,
    apiKeyId: null,
    defaultCountry: person.defaultCountry,
    principal: {
      kind: "person",
      personId: person.personId,
      role: person.role,
      repId: person.repId,
      sessionId: person.sessionId,
    },
    person,
  });
  await next();
  // Pages hold lead data: never cached by the browser or a proxy, never framed.
  c.header("Cache-Control", "no-store");
  dashboardHeaders(c);
});

// No inline or third-party script can run on a page that shows lead data: prospect-typed text is escaped on
// render, and this is the second line of defence. Inline styles only (SVG colours).
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function dashboardHeaders(c: Context<AppEnv>) {
  c.header("Content-Security-Policy", CSP);
  c.header("X-Frame-Options", "DENY");
  c.header("Referrer-Policy", "same-origin");
  c.header("X-Content-Type-Options", "nosniff");
}
