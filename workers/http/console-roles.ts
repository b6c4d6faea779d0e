import { createMiddleware } from "hono/factory";
import { html } from "hono/html";
import { page } from "../dashboard/layout";
import type { AppEnv } from "./app";

// What a rep may open in the console: their leads (filtered by lead-visibility) and their own account.
const REP_PAGES = [/^\/app\/leads(\/|$)/, /^\/app\/account(\/|$)/, /^\/app\/assets\//];

/** Reps land on their leads; every settings and team page is the owner's and admins' (403 page for a rep). */
export const limitReps = createMiddleware<AppEnv>(async (c, next) => {
  const p = c.get("auth").principal;
  if (p.kind !== "person" || p.role !== "rep") return next();
  if (c.req.path === "/app") return c.redirect("/app/leads", 303);
  if (REP_PAGES.some((re) => re.test(c.req.path))) return next();
  const body = html`<p class="err" role="alert">This page is for the owner and admins.</p>
<p><a href="/app/leads">Your leads</a></p>`;
  return c.html(page("Not available", "", body), 403);
});

const BANNER = `<p class="card" role="status" data-set-password>You signed in with the workspace API key.
<a href="/app/account">Set your email and a password</a>: from then on you sign in with them.</p>`;

/** The upgrade path: an owner who signed in with the API key is asked on every page to set a password. */
export const askForPassword = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const person = c.get("auth")?.person;
  if (!person || person.hasPassword || c.req.path.startsWith("/app/account")) return;
  if (!c.res.headers.get("content-type")?.startsWith("text/html")) return;
  const text = await c.res.text();
  c.res = new Response(text.replace("<main>", `<main>${BANNER}`), c.res);
});
