import type { Context } from "hono";
import { html } from "hono/html";
import { API_KEY_SCOPES, type ApiKeyScope, PERSON_ROLES, type PersonRole } from "../../db/schema";
import { activitySection, sessionsSection } from "../dashboard/account-sections";
import { page } from "../dashboard/layout";
import { accountBody, keysBody, type Notice, peopleBody } from "../dashboard/team-pages";
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey } from "../domain/team/api-keys";
import { listAudit } from "../domain/team/audit-log";
import { changePassword, invitePerson, listPeople, revokePerson, updatePerson } from "../domain/team/people";
import { canManage } from "../domain/team/principal";
import { listReps } from "../domain/team/reps";
import { endOwnSession, endSessionsStatement, listSessions, type SignedInPerson } from "../domain/team/sessions";
import { getWorkspace, updateWorkspace } from "../domain/team/workspaces";
import { AppError } from "../errors";
import { principalOf } from "../http/actor";
import type { App, AppEnv } from "../http/app";
import { scope } from "../http/workspace-scope";

const text = async (c: Context<AppEnv>) => {
  const body = await c.req.parseBody();
  // Passwords are taken as typed: a space is a character like any other.
  return (name: string, raw = false) => (typeof body[name] === "string" ? (raw ? body[name] : body[name].trim()) : "");
};

/** A refused console action as a notice on the page it came from, with the status the API would answer. */
function asNotice(err: unknown): { notice: Notice; status: 403 | 404 | 409 | 422 } {
  if (!(err instanceof AppError) || !["FORBIDDEN", "NOT_FOUND", "CONFLICT", "VALIDATION_FAILED"].includes(err.code))
    throw err;
  const fields = Object.entries(err.fields ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join("; ");
  return { notice: { error: fields || err.message }, status: err.status as 403 | 404 | 409 | 422 };
}

function me(c: Context<AppEnv>) {
  const person = c.get("auth").person;
  if (!person) throw new AppError("FORBIDDEN", "Sign in as a person to use this page.");
  return person;
}

/** People, API keys and the signed-in person's account: the console side of the team and access verbs. */
export function registerDashboardTeam(app: App) {
  const peoplePage = async (c: Context<AppEnv>, notice?: Notice, status: 200 | 201 | 403 | 404 | 409 | 422 = 200) => {
    const s = scope(c);
    const [people, reps, ws] = await Promise.all([
      listPeople(s),
      listReps(s),
      getWorkspace({ ctx: s.ctx, workspaceId: s.workspace.id }),
    ]);
    return c.html(page("People", "/app/people", peopleBody(people, reps, me(c), ws.repsSeeUnassigned, notice)), status);
  };
  app.get("/app/people", (c) => peoplePage(c));
  app.post("/app/people/invite", async (c) => {
    const get = await text(c);
    const role = get("role") === "admin" ? "admin" : "rep";
    try {
      const origin = c.get("config").PUBLIC_URL ?? new URL(c.req.url).origin;
      const input = {
        email: get("email"),
        name: get("name").slice(0, 120) || get("email"),
        role,
        repId: get("repId") || null,
      } as const;
      const invited = await invitePerson(scope(c), input, principalOf(c), origin);
      const sent = invited.sentTo ? " (also sent to their chat)" : "";
      const label = `Invite link for ${invited.person.name}, valid 7 days, works once${sent}.`;
      return peoplePage(c, { secret: { label, value: invited.inviteUrl } }, 201);
    } catch (err) {
      const { notice, status } = asNotice(err);
      return peoplePage(c, notice, status);
    }
  });
  // Before "/app/people/:id", which would take this path for a person id.
  app.post("/app/people/unassigned-queue", async (c) => {
    const get = await text(c);
    const on = get("repsSeeUnassigned") === "on";
    await updateWorkspace({
      ctx: c.get("ctx"),
      workspaceId: c.get("auth").workspaceId,
      input: { repsSeeUnassigned: on },
    });
    return peoplePage(c, { ok: on ? "Reps now also see unassigned leads." : "Reps now see only their own leads." });
  });
  app.post("/app/people/:id", async (c) => {
    const get = await text(c);
    const role = get("role") as PersonRole;
    try {
      if (!PERSON_ROLES.includes(role)) throw AppError.validation({ role: "Choose owner, admin or rep." });
      await updatePerson(scope(c), c.req.param("id"), { role, repId: get("repId") || null }, principalOf(c));
      // Ownership handed over: the old owner is an admin now, and this page may no longer be theirs to use.
      if (role === "owner") return c.redirect("/app/people", 303);
      return peoplePage(c, { ok: "Saved." });
    } catch (err) {
      const { notice, status } = asNotice(err);
      return peoplePage(c, notice, status);
    }
  });
  app.post("/app/people/:id/revoke", async (c) => {
    try {
      const p = await revokePerson(scope(c), c.req.param("id"), principalOf(c));
      return peoplePage(c, { ok: `${p.name} can no longer sign in; their sessions ended.` });
    } catch (err) {
      const { notice, status } = asNotice(err);
      return peoplePage(c, notice, status);
    }
  });

  const keysPage = async (c: Context<AppEnv>, notice?: Notice, status: 200 | 201 | 403 | 404 | 409 | 422 = 200) => {
    const s = scope(c);
    const [keys, ws] = await Promise.all([listApiKeys(s), getWorkspace({ ctx: s.ctx, workspaceId: s.workspace.id })]);
    return c.html(page("API keys", "/app/keys", keysBody(keys, ws.timezone, notice)), status);
  };
  app.get("/app/keys", (c) => keysPage(c));
  app.post("/app/keys", async (c) => {
    const get = await text(c);
    try {
      const scopeName = get("scope") as ApiKeyScope;
      if (!API_KEY_SCOPES.includes(scopeName)) throw AppError.validation({ scope: "Choose read, write or capture." });
      const name = get("name");
      if (!name || name.length > 80) throw AppError.validation({ name: "Give the key a name (up to 80 characters)." });
      const created = await createApiKey(scope(c), { name, scope: scopeName }, principalOf(c));
      return keysPage(c, { secret: { label: `New ${created.scope} key "${created.name}".`, value: created.key } }, 201);
    } catch (err) {
      const { notice, status } = asNotice(err);
      return keysPage(c, notice, status);
    }
  });
  app.post("/app/keys/:id/revoke", async (c) => {
    try {
      const k = await revokeApiKey(scope(c), c.req.param("id"), principalOf(c));
      return keysPage(c, { ok: `Key "${k.name}" is revoked: its next request is refused.` });
    } catch (err) {
      const { notice, status } = asNotice(err);
      return keysPage(c, notice, status);
    }
  });
  app.post("/app/keys/:id/rotate", async (c) => {
    try {
      const k = await rotateApiKey(scope(c), c.req.param("id"), principalOf(c));
      return keysPage(c, { secret: { label: `New secret for "${k.name}"; the old one is revoked.`, value: k.key } });
    } catch (err) {
      const { notice, status } = asNotice(err);
      return keysPage(c, notice, status);
    }
  });

  // Activity pages on by audit event id (what listAudit's cursor is); anything else starts from the newest.
  const activityPage = (cursor: string | undefined) =>
    cursor && /^[A-Za-z0-9_]{1,64}$/.test(cursor) ? { limit: 20, cursor } : { limit: 20 };

  const accountPage = async (
    c: Context<AppEnv>,
    person: SignedInPerson,
    notice?: Notice,
    status: 200 | 403 | 404 | 409 | 422 = 200,
  ) => {
    const s = scope(c);
    const now = s.ctx.now();
    const [sessions, ws, activity] = await Promise.all([
      listSessions(s.ctx, person.personId, person.sessionId),
      getWorkspace({ ctx: s.ctx, workspaceId: s.workspace.id }),
      canManage(principalOf(c)) ? listAudit(s.ctx, s.workspace.id, activityPage(c.req.query("activity"))) : null,
    ]);
    const sections = html`${sessionsSection(sessions, ws.timezone, now)}${
      activity ? activitySection(activity.data, ws.timezone, now, activity.nextCursor) : ""
    }`;
    return c.html(page("Account", "/app/account", accountBody(person, sections, notice)), status);
  };
  app.get("/app/account", (c) => accountPage(c, me(c)));
  app.post("/app/sessions/:id/end", async (c) => {
    const person = me(c);
    const id = c.req.param("id");
    try {
      await endOwnSession(c.get("ctx"), person.personId, id);
    } catch (err) {
      const { notice, status } = asNotice(err);
      return accountPage(c, person, notice, status);
    }
    if (id === person.sessionId) return c.redirect("/app/login", 303);
    return accountPage(c, person, { ok: "That session has ended: its next request signs in again." });
  });
  app.post("/app/account/password", async (c) => {
    const get = await text(c);
    const person = me(c);
    try {
      const input = {
        current: get("current", true),
        password: get("password", true),
        email: get("email") || undefined,
      };
      await changePassword(c.get("ctx"), person, input);
      const fresh = { ...person, hasPassword: true, email: person.email ?? input.email ?? null };
      return accountPage(c, fresh, { ok: "Password saved; your other sessions ended." });
    } catch (err) {
      const { notice, status } = asNotice(err);
      return accountPage(c, person, notice, status);
    }
  });
  app.post("/app/account/sign-out-everywhere", async (c) => {
    await endSessionsStatement(c.get("ctx"), me(c).personId);
    return c.redirect("/app/login", 303);
  });
}
