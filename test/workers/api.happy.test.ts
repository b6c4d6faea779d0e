import { describe, expect, it } from "vitest";
import type {
  FormJson,
  LeadCreatedJson,
  LeadDetailJson,
  LeadJson,
  ListJson,
  OpenApiJson,
  RepJson,
  WorkspaceCreatedJson,
  WorkspaceJson,
} from "../support/response-json";
import { call, seedWorkspace, submit, uniqueEmail } from "../support/workers/harness";

describe("owner API", () => {
  it("creates a workspace and returns its key once; the key works, only its hash is stored", async () => {
    const res = await call<WorkspaceCreatedJson>("POST", "/api/v1/workspaces", {
      body: { name: "Globex", defaultCountry: "gb", timezone: "Europe/London" },
    });
    expect(res.status).toBe(201);
    expect(res.json.apiKey.key).toMatch(/^lr_[A-Za-z0-9]{40}$/);
    expect(res.json.workspace).toMatchObject({ name: "Globex", defaultCountry: "GB", timezone: "Europe/London" });
    const me = await call<WorkspaceJson>("GET", "/api/v1/workspace", { key: res.json.apiKey.key });
    expect(me.status).toBe(200);
    expect(me.json.id).toBe(res.json.workspace.id);
    const patched = await call<WorkspaceJson>("PATCH", "/api/v1/workspace", {
      key: res.json.apiKey.key,
      body: { name: "Globex Ltd" },
    });
    expect(patched.json.name).toBe("Globex Ltd");
  });

  it("manages reps", async () => {
    const ws = await seedWorkspace();
    const created = await call<RepJson>("POST", "/api/v1/reps", {
      key: ws.key,
      body: {
        name: "Cleo",
        email: "Cleo@Acme.test",
        phone: "415 555 0199",
        telegramChatId: "123456",
        weight: 3,
        maxOpenLeads: 20,
        timezone: "Europe/Paris",
      },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: "Cleo",
      email: "cleo@acme.test",
      phone: "+14155550199",
      weight: 3,
      active: true,
      paused: false,
    });
    const paused = await call<RepJson>("PATCH", `/api/v1/reps/${created.json.id}`, {
      key: ws.key,
      body: { paused: true },
    });
    expect(paused.json.paused).toBe(true);
    const list = await call<ListJson<RepJson>>("GET", "/api/v1/reps", { key: ws.key });
    expect(list.json.data.map((r: { name: string }) => r.name)).toEqual(["Ana", "Ben", "Cleo"]);
    expect((await call<RepJson>("GET", `/api/v1/reps/${created.json.id}`, { key: ws.key })).json.paused).toBe(true);
  });

  it("manages forms; the public key captures leads and a deleted form stops capturing", async () => {
    const ws = await seedWorkspace();
    const created = await call<FormJson>("POST", "/api/v1/forms", {
      key: ws.key,
      body: { name: "Demo", successMessage: "Got it!" },
    });
    expect(created.status).toBe(201);
    expect(created.json.fields.map((f: { name: string }) => f.name)).toEqual(["name", "email", "phone", "message"]);
    const first = await submit(created.json.publicKey, { name: "A", email: uniqueEmail() });
    expect(first.json.message).toBe("Got it!");
    const patched = await call<FormJson>("PATCH", `/api/v1/forms/${created.json.id}`, {
      key: ws.key,
      body: { successMessage: "Merci !" },
    });
    expect(patched.json.successMessage).toBe("Merci !");
    // The edit is visible to the next capture at once (the isolate cache was dropped).
    expect((await submit(created.json.publicKey, { name: "B", email: uniqueEmail() })).json.message).toBe("Merci !");
    expect((await call<ListJson<FormJson>>("GET", "/api/v1/forms", { key: ws.key })).json.data).toHaveLength(2);
    expect((await call("DELETE", `/api/v1/forms/${created.json.id}`, { key: ws.key })).status).toBe(204);
    expect((await submit(created.json.publicKey, { name: "C", email: uniqueEmail() })).status).toBe(404);
  });

  it("lists leads with filters: status, source, owner, date range, search, paging", async () => {
    // No reps: leads stay unassigned until the PATCH below, so the owner filter is exact.
    const ws = await seedWorkspace({ reps: [] });
    const rep = (await call<RepJson>("POST", "/api/v1/reps", { key: ws.key, body: { name: "Solo", paused: true } }))
      .json;
    // Distinct creation milliseconds, so order and date bounds are exact.
    const tick = () => new Promise((r) => setTimeout(r, 5));
    await submit(ws.form.publicKey, { name: "Alice Form", email: "alice@one.test", message: "solar panels" });
    await tick();
    await submit(ws.form.publicKey, { name: "Bob Form", email: "bob@two.test" });
    await tick();
    const api = await call<LeadCreatedJson>("POST", "/api/v1/leads", {
      key: ws.key,
      body: { name: "Carol Api", phone: "+1 415 555 0142" },
    });
    expect(api.status).toBe(201);
    expect(api.json).toMatchObject({ created: true, lead: { source: "api", phone: "+14155550142" } });

    const all = await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key });
    expect(all.json.data.map((l) => l.name)).toEqual(["Carol Api", "Bob Form", "Alice Form"]);
    const alice = all.json.data[2]!;

    await call<LeadDetailJson>("PATCH", `/api/v1/leads/${alice.id}`, {
      key: ws.key,
      body: { status: "contacted", ownerRepId: rep.id, force: true },
    });

    const names = async (query: string) =>
      (await call<ListJson<LeadJson>>("GET", `/api/v1/leads?${query}`, { key: ws.key })).json.data.map((l) => l.name);
    expect(await names("source=api")).toEqual(["Carol Api"]);
    expect(await names("source=form,api")).toHaveLength(3);
    expect(await names("status=contacted")).toEqual(["Alice Form"]);
    expect(await names("status=new")).toEqual(["Carol Api", "Bob Form"]);
    expect(await names(`owner=${rep.id}`)).toEqual(["Alice Form"]);
    expect(await names("owner=none")).toEqual(["Carol Api", "Bob Form"]);
    expect(await names("q=SOLAR")).toEqual(["Alice Form"]);
    expect(await names("q=two.test")).toEqual(["Bob Form"]);
    expect(await names("q=100%25")).toEqual([]);
    expect(await names(`from=${alice.createdAt + 1}`)).not.toContain("Alice Form");
    expect(await names(`to=${alice.createdAt + 1}`)).toEqual(["Alice Form"]);
    expect(await names("from=2000-01-01&to=2000-01-02")).toEqual([]);

    const page1 = await call<ListJson<LeadJson>>("GET", "/api/v1/leads?limit=2", { key: ws.key });
    expect(page1.json.data).toHaveLength(2);
    expect(page1.json.nextCursor).toBeTypeOf("string");
    const page2 = await call<ListJson<LeadJson>>(
      "GET",
      `/api/v1/leads?limit=2&cursor=${encodeURIComponent(page1.json.nextCursor!)}`,
      {
        key: ws.key,
      },
    );
    expect(page2.json.data.map((l) => l.name)).toEqual(["Alice Form"]);
    expect(page2.json.nextCursor).toBeNull();
  });

  it("patches status, owner and notes, each a timeline event with its actor; first response time is set", async () => {
    const ws = await seedWorkspace();
    const { json } = await call<LeadCreatedJson>("POST", "/api/v1/leads", {
      key: ws.key,
      body: { name: "Dan", email: uniqueEmail() },
    });
    const id = json.lead.id;
    const res = await call<LeadDetailJson>("PATCH", `/api/v1/leads/${id}`, {
      key: ws.key,
      body: { status: "qualified", ownerRepId: ws.reps[1]!.id, notes: "Wants a demo on Friday" },
    });
    expect(res.status).toBe(200);
    expect(res.json.lead).toMatchObject({
      status: "qualified",
      ownerRepId: ws.reps[1]!.id,
      notes: "Wants a demo on Friday",
    });
    expect(res.json.lead.firstResponseAt).toBeTypeOf("number");
    expect(res.json.lead.assignedAt).toBeTypeOf("number");
    const detail = await call<LeadDetailJson>("GET", `/api/v1/leads/${id}`, { key: ws.key });
    expect(detail.json.events.map((e: { type: string }) => e.type)).toEqual([
      "created",
      "assigned",
      "status_changed",
      "owner_changed",
      "note",
    ]);
    expect(detail.json.events[2]).toMatchObject({
      actorType: "api",
      actorId: expect.stringMatching(/^key_/),
      data: { from: "new", to: "qualified" },
    });
    expect(detail.json.events[3]).toMatchObject({ data: { from: ws.reps[0]!.id, to: ws.reps[1]!.id } });
    // Unassigning is allowed and recorded.
    const un = await call<LeadDetailJson>("PATCH", `/api/v1/leads/${id}`, { key: ws.key, body: { ownerRepId: null } });
    expect(un.json.lead.ownerRepId).toBeNull();
    // A no-op patch records nothing.
    await call<LeadDetailJson>("PATCH", `/api/v1/leads/${id}`, { key: ws.key, body: { status: "qualified" } });
    expect((await call<LeadDetailJson>("GET", `/api/v1/leads/${id}`, { key: ws.key })).json.events).toHaveLength(6);
  });

  it("serves an OpenAPI document listing every owner route", async () => {
    const res = await call<OpenApiJson>("GET", "/api/openapi.json");

    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe("3.1.0");
    expect(Object.keys(res.json.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/workspaces",
        "/api/v1/workspace",
        "/api/v1/reps",
        "/api/v1/reps/{id}",
        "/api/v1/forms",
        "/api/v1/forms/{id}",
        "/api/v1/leads",
        "/api/v1/leads/{id}",
      ]),
    );
    expect(res.json.components.schemas).toHaveProperty("Error");
  });

  it("health checks the database", async () => {
    const res = await call("GET", "/health");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true });
  });
});
