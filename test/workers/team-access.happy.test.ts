import { describe, expect, it } from "vitest";
import type {
  ApiKeyJson,
  LeadCreatedJson,
  LeadDetailJson,
  LeadJson,
  ListJson,
  PersonInvitedJson,
  PersonJson,
  WorkspaceJson,
} from "../support/response-json";
import { call, dashboardSession, type ErrorBody, seedWorkspace, testDb, uniqueEmail } from "../support/workers/harness";
import { cookieOf, formPost, invitedPerson, PASSWORD, page, signIn } from "../support/workers/team-harness";

async function leadOwnedBy(key: string, repId: string | null) {
  const email = uniqueEmail();
  const lead = (await call<LeadCreatedJson>("POST", "/api/v1/leads", { key, body: { email } })).json.lead;
  const res = await call<LeadDetailJson>("PATCH", `/api/v1/leads/${lead.id}`, { key, body: { ownerRepId: repId } });
  expect(res.status).toBe(200);
  return { id: lead.id as string, email };
}

describe("people, roles and invites", () => {
  it("invite, set password, sign in; the rep sees only their leads; revoked, the next request refused", async () => {
    const ws = await seedWorkspace();
    const [ana, ben] = ws.reps;
    const anaLead = await leadOwnedBy(ws.key, ana!.id);
    const benLead = await leadOwnedBy(ws.key, ben!.id);
    const freeLead = await leadOwnedBy(ws.key, null);

    const email = uniqueEmail();
    const invited = await call<PersonInvitedJson>("POST", "/api/v1/people", {
      key: ws.key,
      body: { email, name: "Ana", role: "rep", repId: ana!.id },
    });
    expect(invited.status).toBe(201);
    expect(invited.json.person).toMatchObject({ role: "rep", repId: ana!.id, status: "invited", email });
    const invitePath = new URL(invited.json.inviteUrl).pathname;
    expect((await page(invitePath)).text).toContain(email);
    const short = await formPost(invitePath, { password: "short" });
    expect(short.status).toBe(422);
    expect(short.text).toContain("at least 10 characters");
    const accepted = await formPost(invitePath, { password: PASSWORD });
    expect(accepted.status).toBe(303);
    cookieOf(accepted);
    // The link works once.
    expect((await formPost(invitePath, { password: "another password" })).status).toBe(404);
    expect((await page(invitePath)).status).toBe(404);

    // Stored as PBKDF2-SHA256 with 100,000 iterations, never in clear.
    const stored = await testDb().execute({
      sql: "SELECT password_hash, invite_hash FROM person WHERE email = ?",
      args: [email],
    });
    expect(String(stored.rows[0]!.password_hash)).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(String(stored.rows[0]!.password_hash)).not.toContain(PASSWORD);
    expect(stored.rows[0]!.invite_hash).toBeNull();

    expect((await signIn(email, "wrong password!!")).status).toBe(401);
    const signedIn = await signIn(email.toUpperCase());
    expect(signedIn.status).toBe(303);
    const cookie = cookieOf(signedIn);

    const home = await page("/app", cookie);
    expect(home.status).toBe(303);
    expect(home.headers.get("location")).toBe("/app/leads");
    const list = await page("/app/leads", cookie);
    expect(list.status).toBe(200);
    expect(list.text).toContain(anaLead.email);
    expect(list.text).not.toContain(benLead.email);
    expect(list.text).not.toContain(freeLead.email);
    expect((await page(`/app/leads/${anaLead.id}`, cookie)).status).toBe(200);
    expect((await page(`/app/leads/${benLead.id}`, cookie)).status).toBe(404);
    const csv = await page("/app/leads/export.csv", cookie);
    expect(csv.text).toContain(anaLead.email);
    expect(csv.text).not.toContain(benLead.email);
    for (const path of ["/app/people", "/app/keys", "/app/forms", "/app/reps", "/app/webhooks"]) {
      expect((await page(path, cookie)).status, path).toBe(403);
    }
    expect((await formPost("/app/keys", { name: "rep's key", scope: "write" }, cookie)).status).toBe(403);

    // The unassigned queue, when the workspace allows it (set by the owner on the People page).
    const { cookie: ownerCookie } = await dashboardSession(ws.key);
    expect((await formPost("/app/people/unassigned-queue", { repsSeeUnassigned: "on" }, cookie)).status).toBe(403);
    expect((await formPost("/app/people/unassigned-queue", { repsSeeUnassigned: "on" }, ownerCookie)).status).toBe(200);
    expect((await call<WorkspaceJson>("GET", "/api/v1/workspace", { key: ws.key })).json.repsSeeUnassigned).toBe(true);
    expect((await page("/app/leads", cookie)).text).toContain(freeLead.email);
    expect((await page(`/app/leads/${freeLead.id}`, cookie)).status).toBe(200);
    expect((await page(`/app/leads/${benLead.id}`, cookie)).status).toBe(404);

    const revoked = await call<PersonJson>("DELETE", `/api/v1/people/${invited.json.person.id}`, { key: ws.key });
    expect(revoked.status).toBe(200);
    expect(revoked.json.status).toBe("revoked");
    expect((await page("/app/leads", cookie)).status).toBe(401);
    expect((await signIn(email)).status).toBe(401);
  });

  it("upgrade path: the workspace key signs the owner in once, until the owner sets a password", async () => {
    const ws = await seedWorkspace();
    const { cookie } = await dashboardSession(ws.key);
    const people = (await call<ListJson<PersonJson>>("GET", "/api/v1/people", { key: ws.key })).json.data;
    expect(people).toEqual([expect.objectContaining({ role: "owner", email: null, status: "invited" })]);
    expect((await page("/app/leads", cookie)).text).toContain("data-set-password");

    const email = uniqueEmail();
    const bad = await formPost("/app/account/password", { email, password: "short" }, cookie);
    expect(bad.status).toBe(422);
    const saved = await formPost("/app/account/password", { email, password: PASSWORD }, cookie);
    expect(saved.status).toBe(200);
    expect((await page("/app/leads", cookie)).text).not.toContain("data-set-password");

    // From now on the key opens the API only; the owner signs in as themselves.
    const byKey = await formPost("/app/login", { apiKey: ws.key });
    expect(byKey.status).toBe(401);
    expect(byKey.text).toContain("email and password");
    expect((await signIn(email)).status).toBe(303);
    expect((await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key })).status).toBe(200);
  });

  it("admins manage people but not ownership; the owner transfers it; changes name who made them", async () => {
    const ws = await seedWorkspace();
    const { cookie: ownerCookie } = await dashboardSession(ws.key);
    const owner = (await call<ListJson<PersonJson>>("GET", "/api/v1/people", { key: ws.key })).json.data[0]!;
    const admin = await invitedPerson(ws.key, { role: "admin", name: "Adele" });
    const rep = await invitedPerson(ws.key, { role: "rep", repId: ws.reps[0]!.id, name: "Ana" });

    // An admin sees every page but cannot touch the owner or hand out ownership.
    expect((await page("/app/people", admin.cookie)).status).toBe(200);
    expect((await page("/app/keys", admin.cookie)).status).toBe(200);
    const grab = await formPost(`/app/people/${rep.id}`, { role: "owner", repId: ws.reps[0]!.id }, admin.cookie);
    expect(grab.status).toBe(403);
    expect((await formPost(`/app/people/${owner.id}/revoke`, {}, admin.cookie)).status).toBe(403);
    // A write key acts as an admin, never as the owner.
    const byKey = await call<ErrorBody>("PATCH", `/api/v1/people/${rep.id}`, { key: ws.key, body: { role: "owner" } });
    expect(byKey.status).toBe(403);
    expect(byKey.json.error.code).toBe("FORBIDDEN");
    expect(
      (await call("PATCH", `/api/v1/people/${rep.id}`, { key: ws.key, body: { role: "rep", repId: null } })).status,
    ).toBe(422);
    expect(
      (await call<ErrorBody>("PATCH", `/api/v1/people/${rep.id}`, { key: ws.key, body: { repId: "rep_elsewhere" } }))
        .json.error.fields,
    ).toHaveProperty("repId");
    expect(
      (
        await call<PersonInvitedJson>("POST", "/api/v1/people", {
          key: ws.key,
          body: { email: admin.email, name: "Dup", role: "admin" },
        })
      ).status,
    ).toBe(409);

    // A change made in the console names the person; one made with a key names the key.
    const lead = (await call<LeadCreatedJson>("POST", "/api/v1/leads", { key: ws.key, body: { email: uniqueEmail() } }))
      .json.lead;
    await call<LeadDetailJson>("PATCH", `/api/v1/leads/${lead.id}`, { key: ws.key, body: { status: "contacted" } });
    const keyId = (await call<ListJson<ApiKeyJson>>("GET", "/api/v1/api-keys", { key: ws.key })).json.data[0]!.id;
    const events = (await call<LeadDetailJson>("GET", `/api/v1/leads/${lead.id}`, { key: ws.key })).json.events;
    expect(events.find((e: { type: string }) => e.type === "status_changed")).toMatchObject({
      actorType: "api",
      actorId: keyId,
    });
    expect((await page(`/app/leads/${lead.id}`, ownerCookie)).text).toContain("key “default”");
    const created = await formPost("/app/keys", { name: "Zapier", scope: "read" }, admin.cookie);
    expect(created.status).toBe(201);
    const listed = (await call<ListJson<ApiKeyJson>>("GET", "/api/v1/api-keys", { key: ws.key })).json.data.find(
      (k: { name: string }) => k.name === "Zapier",
    );
    expect(listed!.createdBy).toEqual({ type: "person", id: admin.id });

    // The owner hands ownership over: one owner afterwards, the old one an admin.
    expect((await formPost(`/app/people/${admin.id}`, { role: "owner", repId: "" }, ownerCookie)).status).toBe(303);
    const after = (await call<ListJson<PersonJson>>("GET", "/api/v1/people", { key: ws.key })).json.data;
    expect(after.filter((p: { role: string }) => p.role === "owner").map((p: { id: string }) => p.id)).toEqual([
      admin.id,
    ]);
    expect(after.find((p: { id: string }) => p.id === owner.id)!.role).toBe("admin");
  });
});
