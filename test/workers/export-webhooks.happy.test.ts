import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type {
  LeadCreatedJson,
  LeadDetailJson,
  ListJson,
  WebhookCreatedJson,
  WebhookJson,
} from "../support/response-json";
import { call, type ErrorBody, seedWorkspace, submit, uniqueEmail } from "../support/workers/harness";

describe("CSV export", () => {
  it("exports the filtered leads with escaping and the formula guard", async () => {
    const ws = await seedWorkspace();
    await submit(ws.form.publicKey, {
      name: "=cmd|' /C calc'!A0",
      email: uniqueEmail(),
      message: 'Hi, "quoted"\nsecond line',
      phone: "+1 415 555 0150",
    });
    const other = await call<LeadCreatedJson>("POST", "/api/v1/leads", {
      key: ws.key,
      body: { name: "Via API", email: uniqueEmail() },
    });
    await call<LeadDetailJson>("PATCH", `/api/v1/leads/${other.json.lead.id}`, {
      key: ws.key,
      body: { status: "won", ownerRepId: ws.reps[0]!.id },
    });

    const all = await call("GET", "/api/v1/leads/export.csv", { key: ws.key });
    expect(all.status).toBe(200);
    expect(all.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(all.headers.get("content-disposition")).toMatch(/^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"$/);
    // The byte-order mark lets Excel read the file as UTF-8 (Response.text() strips it, so check the bytes).
    const raw = await SELF.fetch("https://leadrelay.test/api/v1/leads/export.csv", {
      headers: { authorization: `Bearer ${ws.key}` },
    });
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = all.text.split("\r\n");
    expect(lines[0]).toMatch(/^id,created_at,name,email,phone,source,status,score,hot,owner,/);
    expect(all.text).toContain(`"'=cmd|' /C calc'!A0"`.slice(1, -1));
    expect(all.text).toContain('"Hi, ""quoted""\nsecond line"');
    expect(all.text).toContain(",+14155550150,");
    expect(lines.filter((l) => l.startsWith("lead_"))).toHaveLength(2);

    const won = await call("GET", "/api/v1/leads/export.csv?status=won&source=api", { key: ws.key });
    const rows = won.text.trim().split("\r\n");
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain("Via API");
    expect(rows[1]).toContain(",Ana,");
  });

  it("needs a key and validates filters like the list", async () => {
    expect((await call("GET", "/api/v1/leads/export.csv")).status).toBe(401);
    const ws = await seedWorkspace();
    const bad = await call<ErrorBody>("GET", "/api/v1/leads/export.csv?status=bogus", { key: ws.key });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields).toHaveProperty("status");
  });
});

describe("webhook endpoints", () => {
  it("creates an endpoint with a secret shown once, lists it masked, updates and deletes it", async () => {
    const ws = await seedWorkspace();
    const created = await call<WebhookCreatedJson>("POST", "/api/v1/webhooks", {
      key: ws.key,
      body: { url: "https://crm.example/hooks/lr", events: ["lead.created", "lead.assigned"] },
    });
    expect(created.status).toBe(201);
    expect(created.json.secret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
    const list = await call<ListJson<WebhookJson>>("GET", "/api/v1/webhooks", { key: ws.key });
    expect(list.json.data).toHaveLength(1);
    expect(list.json.data[0]).toMatchObject({
      url: "https://crm.example/hooks/lr",
      secretPrefix: created.json.secret.slice(0, 10),
      active: true,
    });
    expect(list.text).not.toContain(created.json.secret);

    const patched = await call<WebhookJson>("PATCH", `/api/v1/webhooks/${created.json.id}`, {
      key: ws.key,
      body: { active: false, events: ["lead.status_changed"] },
    });
    expect(patched.json).toMatchObject({ active: false, events: ["lead.status_changed"] });
    expect(patched.json).not.toHaveProperty("secret");
    expect((await call("DELETE", `/api/v1/webhooks/${created.json.id}`, { key: ws.key })).status).toBe(204);
    expect((await call<ListJson<WebhookJson>>("GET", "/api/v1/webhooks", { key: ws.key })).json.data).toEqual([]);
  });

  it("refuses plain-http URLs and unknown events; another workspace's endpoint is a 404", async () => {
    const a = await seedWorkspace();
    const b = await seedWorkspace();
    const bad = await call<ErrorBody>("POST", "/api/v1/webhooks", {
      key: a.key,
      body: { url: "http://crm.example/h", events: ["lead.won"] },
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.error.fields!).sort()).toEqual(["events.0", "url"]);
    const bHook = await call<WebhookCreatedJson>("POST", "/api/v1/webhooks", {
      key: b.key,
      body: { url: "https://b.example/h", events: ["lead.created"] },
    });
    expect(
      (await call<WebhookJson>("PATCH", `/api/v1/webhooks/${bHook.json.id}`, { key: a.key, body: { active: false } }))
        .status,
    ).toBe(404);
    expect((await call("DELETE", `/api/v1/webhooks/${bHook.json.id}`, { key: a.key })).status).toBe(404);
    expect((await call<ListJson<WebhookJson>>("GET", "/api/v1/webhooks", { key: b.key })).json.data[0]!.active).toBe(
      true,
    );
  });
});
