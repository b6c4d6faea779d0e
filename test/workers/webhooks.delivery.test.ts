import { describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "../../workers/lib/webhook-signature";
import type { LeadCreatedJson, LeadDetailJson } from "../support/response-json";
import { call, seedWorkspace, testDb, uniqueEmail } from "../support/workers/harness";
import { eventually, fakeApiUrl, fakeCalls, scriptFake, tick } from "../support/workers/outbox-harness";

const SECRET = "whsec_test_0123456789abcdef0123456789";

/** An endpoint on the fake API (the API itself only accepts https URLs, hence the direct insert). */
async function endpoint(workspaceId: string, events: string[]) {
  const path = `/hook/${Math.random().toString(36).slice(2)}`;
  await testDb().execute({
    sql: `INSERT INTO webhook_endpoint (id, workspace_id, url, secret, events, active, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, 1, ?, ?)`,
    args: [
      `wh_${path.slice(6)}`,
      workspaceId,
      `${fakeApiUrl}${path}`,
      SECRET,
      JSON.stringify(events),
      Date.now(),
      Date.now(),
    ],
  });
  return path;
}

/** A lead created through the API, with a fresh email. */
async function apiLead(key: string, name: string) {
  const created = await call<LeadCreatedJson>("POST", "/api/v1/leads", { key, body: { name, email: uniqueEmail() } });
  return created.json.lead;
}

describe("outgoing webhooks through the outbox", () => {
  it("lead.created, lead.assigned and lead.status_changed arrive once each, signed", async () => {
    const ws = await seedWorkspace();
    const path = await endpoint(ws.id, ["lead.created", "lead.assigned", "lead.status_changed"]);
    const lead = await apiLead(ws.key, "Hook");
    await call<LeadDetailJson>("PATCH", `/api/v1/leads/${lead.id}`, { key: ws.key, body: { status: "contacted" } });
    await call<LeadDetailJson>("PATCH", `/api/v1/leads/${lead.id}`, {
      key: ws.key,
      body: { notes: "no webhook for notes" },
    });
    // A tick sends anything the at-once path left behind; nothing may go out twice.
    await tick(Date.now() + 60_000);

    const calls = await eventually(async () => {
      const got = await fakeCalls(path);
      expect(got).toHaveLength(3);
      return got;
    });
    const types = calls.map((c) => c.body.type).sort();
    expect(types).toEqual(["lead.assigned", "lead.created", "lead.status_changed"]);
    for (const c of calls) {
      expect(await verifyWebhookSignature(SECRET, c.raw!, c.signature!, Math.floor(Date.now() / 1000))).toBe(true);
      expect(await verifyWebhookSignature("wrong-secret", c.raw!, c.signature!, Math.floor(Date.now() / 1000))).toBe(
        false,
      );
      expect(c.body).toMatchObject({ workspaceId: ws.id, data: { lead: { id: lead.id } } });
      expect(JSON.stringify(c.body)).not.toContain(SECRET);
    }
    const assigned = calls.find((c) => c.body.type === "lead.assigned")!;
    expect(assigned.body.data).toMatchObject({ repId: lead.ownerRepId, previousRepId: null });
    const changed = calls.find((c) => c.body.type === "lead.status_changed")!;
    expect(changed.body.data).toMatchObject({ from: "new", to: "contacted", lead: { status: "contacted" } });
    // Delivery ids are the timeline event ids: receivers can dedup on them.
    const events = (await call<LeadDetailJson>("GET", `/api/v1/leads/${lead.id}`, { key: ws.key })).json.events as {
      id: string;
      type: string;
    }[];
    expect(calls.find((c) => c.body.type === "lead.created")!.body.id).toBe(
      events.find((e) => e.type === "created")!.id,
    );
  });

  it("a receiver that was down gets a lead's events in the order they happened", async () => {
    const ws = await seedWorkspace();
    const path = await endpoint(ws.id, ["lead.created", "lead.assigned", "lead.status_changed"]);
    // The first delivery is refused, so it waits for its retry while the lead changes.
    await scriptFake(path, ["http_503"]);
    const lead = await apiLead(ws.key, "In order");
    for (const status of ["contacted", "qualified", "won"]) {
      await call<LeadDetailJson>("PATCH", `/api/v1/leads/${lead.id}`, { key: ws.key, body: { status } });
    }
    // Past the refused delivery's backoff; every tick sends what is due and what waited behind it.
    for (let i = 1; i <= 3; i++) await tick(Date.now() + i * 10 * 60_000);
    const calls = await eventually(async () => {
      const got = await fakeCalls(path);
      expect(got).toHaveLength(6);
      return got;
    });
    // The refused attempt, then every event once, as they happened.
    expect(calls.map((c) => `${c.body.type} ${c.body.data?.to ?? ""}`.trim())).toEqual([
      "lead.created",
      "lead.created",
      "lead.assigned",
      "lead.status_changed contacted",
      "lead.status_changed qualified",
      "lead.status_changed won",
    ]);
  });

  it("assigning a lead to a named rep sends lead.assigned once, like PATCH ownerRepId", async () => {
    const ws = await seedWorkspace();
    const path = await endpoint(ws.id, ["lead.assigned"]);
    const lead = await apiLead(ws.key, "Hand over");
    const to = ws.reps.find((r) => r.id !== lead.ownerRepId)!.id;
    expect(
      (await call<LeadDetailJson>("POST", `/api/v1/leads/${lead.id}/assign`, { key: ws.key, body: { repId: to } }))
        .status,
    ).toBe(200);
    // The same again is no change: no second event.
    expect(
      (await call<LeadDetailJson>("POST", `/api/v1/leads/${lead.id}/assign`, { key: ws.key, body: { repId: to } }))
        .status,
    ).toBe(200);
    await tick(Date.now() + 60_000);
    const calls = await eventually(async () => {
      const got = await fakeCalls(path);
      expect(got).toHaveLength(2);
      return got;
    });
    expect(calls.map((c) => c.body.data)).toEqual([
      expect.objectContaining({ repId: lead.ownerRepId, previousRepId: null }),
      expect.objectContaining({ repId: to, previousRepId: lead.ownerRepId }),
    ]);
  });

  it("queued deliveries keep no secret: a rotated one signs the retry; a deactivated endpoint gets none", async () => {
    const ws = await seedWorkspace();
    const path = await endpoint(ws.id, ["lead.created"]);
    // The receiver is down for the first attempt, so the delivery waits in the outbox for a retry.
    await scriptFake(path, ["http_503"]);
    const lead = await apiLead(ws.key, "Queued");
    const row = await eventually(async () => {
      const rs = await testDb().execute({
        sql: `SELECT payload, state, attempts FROM outbox WHERE lead_id = ? AND kind = 'webhook'`,
        args: [lead.id],
      });
      expect(rs.rows[0]).toMatchObject({ state: "pending", attempts: 1 });
      return rs.rows[0]!;
    });
    expect(String(row.payload)).not.toContain(SECRET);

    const rotated = "whsec_rotated_abcdefabcdefabcdefabcdef";
    await testDb().execute({
      sql: `UPDATE webhook_endpoint SET secret = ? WHERE url LIKE ?`,
      args: [rotated, `%${path}`],
    });
    await tick(Date.now() + 3_600_000);
    const [failed, delivered] = await eventually(async () => {
      const got = await fakeCalls(path);
      expect(got).toHaveLength(2);
      return got;
    });
    expect(failed!.answered).toBe(503);
    expect(
      await verifyWebhookSignature(rotated, delivered!.raw!, delivered!.signature!, Math.floor(Date.now() / 1000)),
    ).toBe(true);
    expect(
      await verifyWebhookSignature(SECRET, delivered!.raw!, delivered!.signature!, Math.floor(Date.now() / 1000)),
    ).toBe(false);

    // Deactivated while a delivery waits: it is skipped, not sent.
    await scriptFake(path, ["http_503"]);
    const second = await apiLead(ws.key, "Second");
    await eventually(async () => expect((await fakeCalls(path)).length).toBe(3));
    await testDb().execute({ sql: `UPDATE webhook_endpoint SET active = 0 WHERE url LIKE ?`, args: [`%${path}`] });
    await tick(Date.now() + 3_600_000);
    const skipped = await testDb().execute({
      sql: `SELECT state, last_error FROM outbox WHERE lead_id = ? AND kind = 'webhook'`,
      args: [second.id],
    });
    expect(skipped.rows[0]).toMatchObject({ state: "skipped", last_error: expect.stringMatching(/deactivated/) });
    expect(await fakeCalls(path)).toHaveLength(3);
  });

  it("only the workspace's active endpoints subscribed get it; a re-inquiry sends no 2nd lead.created", async () => {
    const ws = await seedWorkspace();
    const other = await seedWorkspace();
    const path = await endpoint(ws.id, ["lead.created"]);
    const otherPath = await endpoint(other.id, ["lead.created", "lead.assigned"]);
    const inactivePath = await endpoint(ws.id, ["lead.created"]);
    await testDb().execute({
      sql: `UPDATE webhook_endpoint SET active = 0 WHERE url LIKE ?`,
      args: [`%${inactivePath}`],
    });
    const email = uniqueEmail();
    await call<LeadCreatedJson>("POST", "/api/v1/leads", { key: ws.key, body: { email } });
    await call<LeadCreatedJson>("POST", "/api/v1/leads", { key: ws.key, body: { email } });
    await tick(Date.now() + 60_000);
    await eventually(async () => expect(await fakeCalls(path)).toHaveLength(1));
    const [only] = await fakeCalls(path);
    expect(only!.body.type).toBe("lead.created");
    expect(only!.body.data.lead).not.toHaveProperty("notes");
    expect(await fakeCalls(otherPath)).toEqual([]);
    expect(await fakeCalls(inactivePath)).toEqual([]);
  });

  it("an endpoint added, or its events changed, after captures warmed the routing cache counts from the next lead", async () => {
    const ws = await seedWorkspace();
    const capture = async () =>
      (await call<LeadCreatedJson>("POST", "/api/v1/leads", { key: ws.key, body: { email: uniqueEmail() } })).json.lead;
    // Two captures: the second decides on the cached context, which has no endpoint.
    await capture();
    await capture();
    const path = await endpoint(ws.id, ["lead.created"]);
    const first = await capture();
    await testDb().execute({
      sql: `UPDATE webhook_endpoint SET events = '["lead.created","lead.assigned"]' WHERE url LIKE ?`,
      args: [`%${path}`],
    });
    const second = await capture();
    await tick(Date.now() + 60_000);
    const calls = await eventually(async () => {
      const got = await fakeCalls(path);
      expect(got).toHaveLength(3);
      return got;
    });
    expect(calls.map((c) => `${c.body.type} ${c.body.data.lead.id}`).sort()).toEqual(
      [`lead.assigned ${second.id}`, `lead.created ${first.id}`, `lead.created ${second.id}`].sort(),
    );
  });
});
