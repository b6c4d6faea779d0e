import { afterEach, describe, expect, it } from "vitest";
import type { LeadDetailJson, LeadJson, ListJson } from "../support/response-json";
import { appBehindFaultProxy, setDatabase } from "../support/workers/fault";
import { call, isErrorShape, leadRows, seedWorkspace, uniqueEmail } from "../support/workers/harness";

// The app under test reaches the shared test database through test/support/fault-proxy.ts, which a test
// switches down and up; rows are counted directly on the database, not through the proxy.
const post = (app: ReturnType<typeof appBehindFaultProxy>, formKey: string, body: unknown) =>
  app.request(`/f/${formKey}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("database down during capture, then back", () => {
  afterEach(() => setDatabase("up"));

  it("down → 503 STORAGE_UNAVAILABLE, error shape, no rows; after recovery the retry succeeds once", async () => {
    const ws = await seedWorkspace();
    const app = appBehindFaultProxy();
    // Warm this isolate's form cache (honeypot: stores nothing) so the outage meets the capture batch itself.
    expect((await post(app, ws.form.publicKey, { company_website: "x" })).status).toBe(200);
    const body = { name: "Retry Me", email: uniqueEmail() };

    await setDatabase("down");
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await post(app, ws.form.publicKey, body);
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
      const json = await res.json();
      expect(isErrorShape(json)).toBe(true);
      expect((json as { error: { code: string } }).error.code).toBe("STORAGE_UNAVAILABLE");
    }
    expect(await leadRows(ws.id)).toEqual({ leads: 0, inquiries: 0, events: 0 });

    await setDatabase("up");
    expect((await post(app, ws.form.publicKey, body)).status).toBe(200);
    expect(await leadRows(ws.id)).toEqual({ leads: 1, inquiries: 1, events: 2 });
  });

  it("down before the form is known (form lookup fails) → 503, not 404 or 500", async () => {
    const ws = await seedWorkspace();
    const app = appBehindFaultProxy();
    await setDatabase("down");
    const res = await post(app, ws.form.publicKey, { name: "Cold", email: uniqueEmail() });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    await setDatabase("up");
    expect(await leadRows(ws.id)).toEqual({ leads: 0, inquiries: 0, events: 0 });
  });

  it("answer lost after the batch → 503, lead stored whole; the retry is a re-inquiry, not a 2nd lead", async () => {
    const ws = await seedWorkspace();
    const app = appBehindFaultProxy();
    expect((await post(app, ws.form.publicKey, { company_website: "x" })).status).toBe(200);
    const body = { name: "Lost Answer", email: uniqueEmail() };

    await setDatabase("drop-write-response");
    expect((await post(app, ws.form.publicKey, body)).status).toBe(503);
    // The batch is atomic: all of it landed (lead, created and assigned events), nothing half.
    expect(await leadRows(ws.id)).toEqual({ leads: 1, inquiries: 1, events: 2 });

    await setDatabase("up");
    expect((await post(app, ws.form.publicKey, body)).status).toBe(200);
    // Forms carry no delivery id, so the retry is recorded as what it looks like: the same person again.
    expect(await leadRows(ws.id)).toEqual({ leads: 1, inquiries: 2, events: 3 });
    const lead = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key })).json.data[0]!;
    const events = (await call<LeadDetailJson>("GET", `/api/v1/leads/${lead.id}`, { key: ws.key })).json.events.map(
      (e: { type: string }) => e.type,
    );
    expect(events).toEqual(["created", "assigned", "re-inquiry"]);
  });

  it("owner API while down → 503 for reads and writes, nothing written after recovery", async () => {
    const ws = await seedWorkspace();
    const app = appBehindFaultProxy();
    await setDatabase("down");
    const headers = { authorization: `Bearer ${ws.key}`, "content-type": "application/json" };
    const read = await app.request("/api/v1/leads", { headers });
    expect(read.status).toBe(503);
    expect(read.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    const create = await app.request("/api/v1/leads", {
      method: "POST",
      headers,
      body: JSON.stringify({ email: uniqueEmail() }),
    });
    expect(create.status).toBe(503);
    expect(create.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    await setDatabase("up");
    expect(await leadRows(ws.id)).toEqual({ leads: 0, inquiries: 0, events: 0 });
  });
});
