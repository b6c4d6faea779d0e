import { describe, expect, it } from "vitest";
import type { LeadCreatedJson } from "../support/response-json";
import { call, dashboardSession, seedWorkspace, testDb, uniqueEmail } from "../support/workers/harness";
import { eventually, fakeCalls } from "../support/workers/outbox-harness";

const ORIGIN = "https://leadrelay.test";

async function post(path: string, cookie: string, form: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
  return call("POST", path, {
    rawBody: body.toString(),
    headers: { cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
  });
}

async function apiLead(key: string, name: string) {
  const res = await call<LeadCreatedJson>("POST", "/api/v1/leads", { key, body: { name, email: uniqueEmail() } });
  return res.json.lead as { id: string; email: string; status: string; ownerRepId: string | null };
}

const events = async (leadId: string) =>
  (await testDb().execute({ sql: `SELECT type FROM lead_event WHERE lead_id = ?`, args: [leadId] })).rows.map((r) =>
    String(r.type),
  );

describe("console forms", () => {
  it("answers bad input next to its control with a 4xx and writes nothing", async () => {
    const ws = await seedWorkspace();
    const { cookie } = await dashboardSession(ws.key);
    const lead = await apiLead(ws.key, "Bad Input");
    const before = await events(lead.id);

    const status = await post(`/app/leads/${lead.id}/status`, cookie, { status: "archived" });
    expect(status.status).toBe(422);
    expect(status.text).toContain('id="status-error"');
    expect(status.text).toContain("Choose a status from the list.");
    const note = await post(`/app/leads/${lead.id}/note`, cookie, { text: "   " });
    expect(note.status).toBe(422);
    expect(note.text).toContain("A note needs some text.");
    // A forged owner (a rep of no one's choosing) is refused like one the page never offered.
    const owner = await post(`/app/leads/${lead.id}/owner`, cookie, { repId: "rep_forged" });
    expect(owner.status).toBe(422);
    expect(owner.text).toContain("That rep cannot take this lead now.");
    const reply = await post(`/app/leads/${lead.id}/reply`, cookie, { text: "hi", nonce: "x" });
    expect(reply.status).toBe(422);
    expect(await events(lead.id)).toEqual(before);
  });

  it("replies to an email lead by email, once per form submission", async () => {
    const ws = await seedWorkspace();
    const { cookie } = await dashboardSession(ws.key);
    const lead = await apiLead(ws.key, "Mail Only");
    const page = await call("GET", `/app/leads/${lead.id}`, { headers: { cookie } });
    expect(page.text).toContain("Reply on email");
    const nonce = "n0nce1234567";
    for (let i = 0; i < 2; i++) {
      const res = await post(`/app/leads/${lead.id}/reply`, cookie, { text: "Thanks, we will call you today.", nonce });
      expect(res.status).toBe(303);
    }
    const sent = await eventually(async () => {
      const calls = (await fakeCalls(lead.email)).filter(
        (c) => c.api === "email" && c.body.text === "Thanks, we will call you today.",
      );
      if (calls.length === 0) throw new Error("no email yet");
      return calls;
    });
    expect(sent).toHaveLength(1);
    const rows = await testDb().execute({
      sql: `SELECT count(*) AS n FROM outbox WHERE lead_id = ? AND kind = 'rep_reply'`,
      args: [lead.id],
    });
    expect(Number(rows.rows[0]!.n)).toBe(1);
  });

  it("never lets one workspace act on another's leads or messages", async () => {
    const a = await seedWorkspace();
    const b = await seedWorkspace();
    const { cookie } = await dashboardSession(b.key);
    const lead = await apiLead(a.key, "Tenant A");
    const before = await events(lead.id);
    for (const action of ["status", "note", "claim", "snooze", "owner", "reply"]) {
      const res = await post(`/app/leads/${lead.id}/${action}`, cookie, {
        status: "won",
        text: "x",
        hours: "1",
        repId: a.reps[0]!.id,
        nonce: "n0nce1234567",
      });
      expect(res.status, action).toBe(404);
    }
    expect((await call("GET", `/app/leads/${lead.id}`, { headers: { cookie } })).status).toBe(404);
    const bulk = await post("/app/leads/bulk", cookie, { ids: [lead.id], status: "won", repId: b.reps[0]!.id });
    expect(decodeURIComponent(bulk.headers.get("location") ?? "")).toContain("0 leads changed. 1 could not be changed");
    const obx = await testDb().execute({ sql: `SELECT id FROM outbox WHERE workspace_id = ? LIMIT 1`, args: [a.id] });
    if (obx.rows[0])
      expect((await post(`/app/queues/deliveries/${String(obx.rows[0].id)}/retry`, cookie, {})).status).toBe(404);
    expect((await post(`/app/queues/deliveries/obx_nope/retry`, cookie, {})).status).toBe(404);
    expect(await events(lead.id)).toEqual(before);
  });
});
