import { describe, expect, it } from "vitest";
import type { AuditEventView } from "../../workers/domain/team/audit-log";
import { auditTarget } from "../../workers/http/audit-trail";
import type { ApiKeyJson, FormJson, ListJson } from "../support/response-json";
import { call, dashboardSession, seedWorkspace } from "../support/workers/harness";

type AuditPage = ListJson<AuditEventView>;

const consolePost = (path: string, cookie: string, body: Record<string, string>) =>
  call("POST", path, {
    rawBody: new URLSearchParams(body).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://leadrelay.test", cookie },
  });

describe("audit trail: every settings change names who made it", () => {
  it("records API changes with the key, newest first, paged by cursor, only for changes that succeeded", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const form = await call<FormJson>("POST", "/api/v1/forms", { key: ws.key, body: { name: "Quote" } });
    expect(form.status).toBe(201);
    const patched = await call<FormJson>("PATCH", `/api/v1/forms/${form.json.id}`, {
      key: ws.key,
      body: { name: "Quote 2" },
    });
    expect(patched.status).toBe(200);
    const refused = await call<FormJson>("PATCH", `/api/v1/forms/${form.json.id}`, { key: ws.key, body: { name: 7 } });
    expect(refused.status).toBe(422);
    const created = await call<ApiKeyJson>("POST", "/api/v1/api-keys", {
      key: ws.key,
      body: { name: "CRM sync", scope: "read" },
    });
    expect(created.status).toBe(201);

    const all = await call<AuditPage>("GET", "/api/v1/audit", { key: ws.key });
    expect(all.status).toBe(200);
    const actions = all.json.data.map((e: { action: string }) => e.action);
    // Seeding created one form; then the form again, its one successful edit, and the key. The 422 left nothing.
    expect(actions).toEqual(["api_key.created", "form.updated", "form.created", "form.created"]);
    const [keyEvent, formEdit, formCreate] = all.json.data as [AuditEventView, AuditEventView, AuditEventView];
    expect(formEdit).toMatchObject({ resourceType: "form", resourceId: form.json.id, actor: { type: "api" } });
    expect(formCreate.resourceId).toBe(form.json.id);
    expect(formEdit.actor.name).toMatch(/^key “.+”$/);
    expect(keyEvent.resourceId).toBe(created.json.id);
    // No secret or personal data in the trail: the new key's secret is nowhere in it.
    expect(all.text).not.toContain(created.json.key);
    expect(all.text).not.toContain("Quote");

    const first = await call<AuditPage>("GET", "/api/v1/audit?limit=2", { key: ws.key });
    expect(first.json.data.map((e: { id: string }) => e.id)).toEqual(all.json.data.slice(0, 2).map((e) => e.id));
    const second = await call<AuditPage>("GET", `/api/v1/audit?limit=2&cursor=${first.json.nextCursor}`, {
      key: ws.key,
    });
    expect(second.json.data.map((e: { id: string }) => e.id)).toEqual(all.json.data.slice(2).map((e) => e.id));
    expect(second.json.nextCursor).toBeNull();

    // The read key may look; a capture key may not.
    expect((await call<AuditPage>("GET", "/api/v1/audit", { key: created.json.key })).status).toBe(200);
    const capture = await call<ApiKeyJson>("POST", "/api/v1/api-keys", {
      key: ws.key,
      body: { name: "site", scope: "capture" },
    });
    expect((await call<AuditPage>("GET", "/api/v1/audit", { key: capture.json.key })).status).toBe(403);
    expect((await call<AuditPage>("GET", "/api/v1/audit?limit=0", { key: ws.key })).status).toBe(422);
  });

  it("keeps each workspace's trail to itself", async () => {
    const a = await seedWorkspace({ reps: [] });
    const b = await seedWorkspace({ reps: [] });
    await call<FormJson>("PATCH", `/api/v1/forms/${a.form.id}`, { key: a.key, body: { name: "A only" } });
    const seenByB = await call<AuditPage>("GET", "/api/v1/audit", { key: b.key });
    expect(seenByB.json.data.map((e) => e.resourceId)).not.toContain(a.form.id);
    expect(seenByB.json.data.every((e: { action: string }) => e.action === "form.created")).toBe(true);
    const aIds = (await call<AuditPage>("GET", "/api/v1/audit", { key: a.key })).json.data.map(
      (e: { id: string }) => e.id,
    );
    const cursorFromA = await call<AuditPage>("GET", `/api/v1/audit?cursor=${aIds[0]}`, { key: b.key });
    expect(cursorFromA.json.data.map((e: { id: string }) => e.id)).not.toContain(aIds[1]);
  });

  it("records console changes with the signed-in person's name", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const { cookie } = await dashboardSession(ws.key);
    const res = await consolePost("/app/keys", cookie, { name: "Zapier", scope: "write" });
    expect(res.status).toBe(201);
    const trail = await call<AuditPage>("GET", "/api/v1/audit", { key: ws.key });
    expect(trail.json.data[0]).toMatchObject({ action: "api_key.created", actor: { type: "person" } });
    expect(trail.json.data[0]!.actor.name).toEqual(expect.any(String));
    const bad = await consolePost("/app/keys", cookie, { name: "", scope: "write" });
    expect(bad.status).toBe(422);
    const after = await call<AuditPage>("GET", "/api/v1/audit", { key: ws.key });
    expect(after.json.data).toHaveLength(trail.json.data.length);
  });

  it("names the action from method and path", () => {
    expect(auditTarget("DELETE", "/api/v1/api-keys/key_1")).toEqual({
      action: "api_key.deleted",
      resourceType: "api_key",
      resourceId: "key_1",
    });
    expect(auditTarget("POST", "/api/v1/api-keys/key_1/rotate")?.action).toBe("api_key.rotated");
    expect(auditTarget("POST", "/api/v1/channels/telegram")?.action).toBe("channel.created");
    expect(auditTarget("PATCH", "/api/v1/workspace")?.action).toBe("workspace.updated");
    expect(auditTarget("POST", "/app/forms/frm_1/delete")).toMatchObject({
      action: "form.deleted",
      resourceId: "frm_1",
    });
    expect(auditTarget("POST", "/app/people/unassigned-queue")?.action).toBe("workspace.updated");
    expect(auditTarget("POST", "/api/v1/leads/lead_1/claim")).toBeNull();
    expect(auditTarget("POST", "/app/login")).toBeNull();
  });
});
