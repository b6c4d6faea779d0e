import type { Context } from "hono";
import { inviteGonePage, invitePage, type SignInState, signInPage } from "../dashboard/sign-in-pages";
import { badKeysByIp, checkThrottle, countAttempt } from "../domain/team/auth-throttle";
import { acceptInvite, findInvite, ownerForKeySignIn } from "../domain/team/people";
import { sendSignInCode, signInWithCode, signInWithPassword } from "../domain/team/sign-in";
import { AppError } from "../errors";
import type { App, AppEnv } from "../http/app";
import { clientIp } from "../http/auth";
import { dashboardHeaders, signOut, startSession, workspaceOfApiKey } from "../http/dashboard-session";
import { sessionSecret } from "../http/session";

type Form = Record<string, string | File | (string | File)[]>;
const text = (body: Form, name: string) => (typeof body[name] === "string" ? body[name].trim() : "");

/** A refused sign-in as the page a person reads: 401 / 422 / 429 (with Retry-After) and the reason next to the form. */
function refused(c: Context<AppEnv>, err: unknown, state: SignInState) {
  if (!(err instanceof AppError) || !["UNAUTHORIZED", "RATE_LIMITED", "VALIDATION_FAILED"].includes(err.code))
    throw err;
  for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
  const detail = Object.values(err.fields ?? {})[0];
  return c.html(signInPage({ ...state, error: detail ?? err.message }), err.status as 401 | 422 | 429);
}

/** Sign-in, one-time codes, invites and sign-out: the console pages reachable without a session. */
export function registerDashboardSignIn(app: App) {
  app.get("/app/login", (c) => {
    dashboardHeaders(c);
    return c.html(signInPage());
  });

  app.post("/app/login", async (c) => {
    dashboardHeaders(c);
    // Before any lookup: without the secret no session can be issued, and the error says how to fix that.
    sessionSecret(c.get("config"));
    const body = await c.req.parseBody();
    const ctx = c.get("ctx");
    const ip = clientIp(c);
    const key = text(body, "apiKey");
    if (key) {
      const rules = ip ? [badKeysByIp(ip)] : [];
      try {
        await checkThrottle(ctx, rules, "failed API keys");
        const workspaceId = await workspaceOfApiKey(ctx.database.db, key);
        if (!workspaceId) {
          await countAttempt(ctx, rules);
          throw new AppError("UNAUTHORIZED", "That API key is unknown or revoked (or is not a write key).");
        }
        // The upgrade path: the key signs in the workspace's owner until they have a password.
        const owner = await ownerForKeySignIn(ctx, workspaceId);
        if (!owner)
          throw new AppError(
            "UNAUTHORIZED",
            "This workspace's people sign in with email and password; the key opens the API only.",
          );
        await startSession(c, { workspaceId, personId: owner.id });
        return c.redirect("/app", 303);
      } catch (err) {
        return refused(c, err, { form: "key" });
      }
    }
    const email = text(body, "email");
    try {
      const person = await signInWithPassword(ctx, {
        email,
        password: typeof body.password === "string" ? body.password : "",
        ip,
      });
      await startSession(c, { workspaceId: person.workspaceId, personId: person.id });
      return c.redirect("/app", 303);
    } catch (err) {
      return refused(c, err, { form: "password", email });
    }
  });

  app.post("/app/login/code", async (c) => {
    dashboardHeaders(c);
    sessionSecret(c.get("config"));
    const body = await c.req.parseBody();
    const ctx = c.get("ctx");
    const email = text(body, "email");
    const code = text(body, "code");
    try {
      if (!code) {
        await sendSignInCode(ctx, { email, ip: clientIp(c) });
        return c.html(signInPage({ email, codeSent: true }));
      }
      const person = await signInWithCode(ctx, { email, code, ip: clientIp(c) });
      await startSession(c, { workspaceId: person.workspaceId, personId: person.id });
      return c.redirect("/app", 303);
    } catch (err) {
      return refused(c, err, { form: "code", email, codeSent: Boolean(code) });
    }
  });

  app.get("/app/invite/:token", async (c) => {
    dashboardHeaders(c);
    c.header("Cache-Control", "no-store");
    try {
      const invite = await findInvite(c.get("ctx"), c.req.param("token"));
      return c.html(invitePage({ token: c.req.param("token"), name: invite.name, email: invite.email }));
    } catch (err) {
      if (err instanceof AppError && err.code === "NOT_FOUND") return c.html(inviteGonePage(err.message), 404);
      throw err;
    }
  });

  app.post("/app/invite/:token", async (c) => {
    dashboardHeaders(c);
    sessionSecret(c.get("config"));
    const token = c.req.param("token");
    const body = await c.req.parseBody();
    try {
      const person = await acceptInvite(c.get("ctx"), token, typeof body.password === "string" ? body.password : "");
      await startSession(c, { workspaceId: person.workspaceId, personId: person.id });
      return c.redirect("/app", 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === "NOT_FOUND") return c.html(inviteGonePage(err.message), 404);
      if (err.code !== "VALIDATION_FAILED") throw err;
      const invite = await findInvite(c.get("ctx"), token);
      const reason = err.fields?.password ?? err.message;
      return c.html(invitePage({ token, name: invite.name, email: invite.email }, reason), 422);
    }
  });

  app.post("/app/logout", async (c) => {
    await signOut(c);
    return c.redirect("/app/login", 303);
  });
}
