import { describe, expect, it } from "vitest";
import type { LeadDetailJson, LeadExportJson, LeadJson, ListJson, WebhookCreatedJson } from "../support/response-json";
import { call, leadRows, seedWorkspace, submit, testDb, uniqueEmail } from "../support/workers/harness";
import { eventually, fakeApiUrl, fakeCalls, tick } from "../support/workers/outbox-harness";

// Tables that may hold something about a person; after erasure none of them may (suppression excepted: it keeps
// the address precisely so the person is not written to again).
const TABLES: (keyof LeadExportJson)[] = [
  "lead",
  "lead_event",
  "lead_identity",
  "outbox",
  "consent_event",
  "sequence_enrollment",
  "telegram_conversation",
];

async function rowsMentioning(workspaceId: string, needles: string[]) {
  const hits: string[] = [];
  for (const table of TABLES) {
    const rs = await testDb().execute({ sql: `SELECT * FROM ${table} WHERE workspace_id = ?`, args: [workspaceId] });
    for (const row of rs.rows) {
      const text = JSON.stringify(row);
      for (const n of needles) if (text.includes(n)) hits.push(`${table}: ${n}`);
    }
  }
  return hits;
}

async function erasedLeadSetup() {
  const ws = await seedWorkspace({
    form: { autoReplyText: "Thanks {name}, we will call you.", autoReplySubject: "Thanks" },
  });
  const hook = `/hook/erase-${crypto.randomUUID()}`;
  const endpoint = await call<WebhookCreatedJson>("POST", "/api/v1/webhooks", {
    key: ws.key,
    body: { url: `${fakeApiUrl}${hook}`, events: ["lead.erased"] },
  });
  expect(endpoint.status).toBe(201);
  const email = uniqueEmail();
  const person = {
    name: "Zelda Quarterfield",
    email,
    phone: "+14155550199",
    message: "Call me about the loft on Elm St",
  };
  expect((await submit(ws.form.publicKey, person)).status).toBe(200);
  const lead = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key })).json.data[0]!;
  await call<LeadDetailJson>("PATCH", `/api/v1/leads/${lead.id}`, {
    key: ws.key,
    body: { notes: "Zelda prefers evenings", status: "contacted" },
  });
  return { ws, hook, email, person, lead };
}

describe("erasing and exporting a person", () => {
  it("export returns everything stored about the person: the lead, its timeline and its messages", async () => {
    const { ws, email, person, lead } = await erasedLeadSetup();
    const res = await call<LeadExportJson>("GET", `/api/v1/leads/${lead.id}/export`, { key: ws.key });
    expect(res.status).toBe(200);
    expect(res.json.lead).toMatchObject({
      id: lead.id,
      name: person.name,
      email,
      phone: person.phone,
      message: person.message,
      notes: "Zelda prefers evenings",
    });
    expect(res.json.lead_event.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(["created", "assigned", "status_changed"]),
    );
    expect(res.json.lead_event.find((e: { type: string }) => e.type === "created")!.data).toMatchObject({
      name: person.name,
      email,
    });
    expect(res.json.outbox.some((o: { recipient: string }) => o.recipient === email)).toBe(true);
    for (const table of TABLES.slice(1)) expect(Array.isArray(res.json[table]), table).toBe(true);
    expect(JSON.stringify(res.json)).not.toContain(ws.key);
  });

  it("DELETE erases personal data, keeps the count, suppresses the address, emits lead.erased once", async () => {
    const { ws, hook, email, person, lead } = await erasedLeadSetup();
    const before = await leadRows(ws.id);
    expect(await rowsMentioning(ws.id, [email, "Zelda", "5550199", "Elm St"])).not.toEqual([]);

    expect((await call("DELETE", `/api/v1/leads/${lead.id}`, { key: ws.key })).status).toBe(204);

    expect(await rowsMentioning(ws.id, [email, "Zelda", "5550199", "Elm St"])).toEqual([]);
    const after = (await call<LeadDetailJson>("GET", `/api/v1/leads/${lead.id}`, { key: ws.key })).json;
    expect(after.lead).toMatchObject({
      name: null,
      email: null,
      phone: null,
      message: null,
      notes: null,
      fields: {},
      status: "contacted",
      source: "form",
    });
    // Counts stay: the lead, its events (one more: `erased`), its status history.
    expect(await leadRows(ws.id)).toEqual({ ...before, events: before.events + 1 });
    expect(after.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(["created", "status_changed", "erased"]),
    );
    expect(after.events.find((e: { type: string }) => e.type === "status_changed")!.data).toMatchObject({
      from: "new",
      to: "contacted",
    });

    const suppressed = await testDb().execute({
      sql: "SELECT sender, reason FROM suppression WHERE workspace_id = ? AND address = ?",
      args: [ws.id, email],
    });
    expect(suppressed.rows.map((r) => [r.sender, r.reason])).toEqual([["email", "erased"]]);

    await tick(Date.now() + 60_000);
    const delivered = await eventually(async () => {
      const got = await fakeCalls(hook);
      expect(got).toHaveLength(1);
      return got[0]!;
    });
    expect(delivered.body).toMatchObject({
      type: "lead.erased",
      data: { lead: { id: lead.id, email: null, name: null } },
    });
    expect(delivered.raw).not.toContain(email);
    expect(delivered.raw).not.toContain(person.name);

    // Again: nothing changes, nothing is sent twice.
    expect((await call("DELETE", `/api/v1/leads/${lead.id}`, { key: ws.key })).status).toBe(204);
    await tick(Date.now() + 120_000);
    expect(await fakeCalls(hook)).toHaveLength(1);
    expect(
      (await call<LeadExportJson>("GET", `/api/v1/leads/${lead.id}/export`, { key: ws.key })).json.lead,
    ).toMatchObject({
      email: null,
      name: null,
    });
  });

  it("nothing goes to an erased address until the person writes first; then a new lead, answered", async () => {
    const { ws, email, lead } = await erasedLeadSetup();
    expect((await call("DELETE", `/api/v1/leads/${lead.id}`, { key: ws.key })).status).toBe(204);
    // A message to that address that was somehow still queued (an owner's API call, an old follow-up).
    const now = Date.now();
    await testDb().execute({
      sql: `INSERT INTO outbox (id, workspace_id, kind, sender, recipient, payload, idempotency_key, due_at, created_at,
            updated_at)
            VALUES (?, ?, 'follow_up', 'email', ?, '{"text":"still there?","subject":"Hi"}', ?, ?, ?, ?)`,
      args: [`obx_erased${now}`, ws.id, email, `erased:${now}`, now, now, now],
    });
    await tick(now + 60_000);
    const row = await testDb().execute({ sql: "SELECT state FROM outbox WHERE id = ?", args: [`obx_erased${now}`] });
    expect(row.rows[0]!.state).toBe("skipped");
    expect((await fakeCalls(email)).filter((c) => c.body.text === "still there?")).toEqual([]);

    // They write again: a new lead (the erased one is not brought back), and the suppression is lifted.
    expect((await submit(ws.form.publicKey, { name: "Zelda again", email })).status).toBe(200);
    const leads = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key })).json.data;
    expect(leads).toHaveLength(2);
    expect(leads.find((l: { id: string }) => l.id === lead.id)!.email).toBeNull();
    const left = await testDb().execute({
      sql: "SELECT count(*) AS n FROM suppression WHERE workspace_id = ? AND address = ?",
      args: [ws.id, email],
    });
    expect(Number(left.rows[0]!.n)).toBe(0);
  });

  it("another workspace's lead: 404 on erase and export, and it is left whole", async () => {
    const { ws: b, email, lead } = await erasedLeadSetup();
    const a = await seedWorkspace();
    expect((await call("DELETE", `/api/v1/leads/${lead.id}`, { key: a.key })).status).toBe(404);
    const exported = await call<LeadExportJson>("GET", `/api/v1/leads/${lead.id}/export`, { key: a.key });
    expect(exported.status).toBe(404);
    expect(exported.text).not.toContain(email);
    expect((await call<LeadDetailJson>("GET", `/api/v1/leads/${lead.id}`, { key: b.key })).json.lead.email).toBe(email);
  });
});
