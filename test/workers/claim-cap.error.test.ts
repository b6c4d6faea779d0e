import { describe, expect, it } from "vitest";
import type { LeadDetailJson } from "../support/response-json";
import { call, isErrorShape, seedWorkspace, testDb } from "../support/workers/harness";
import { addRep, captureLead as capture } from "../support/workers/routing-harness";

const claim = (key: string, leadId: string, repId: string) =>
  call<LeadDetailJson>("POST", `/api/v1/leads/${leadId}/claim`, { key, body: { repId } });

async function openCount(repId: string): Promise<number> {
  const rs = await testDb().execute({
    sql: `SELECT count(*) AS n FROM lead WHERE owner_rep_id = ? AND status IN ('new', 'contacted', 'qualified')`,
    args: [repId],
  });
  return Number(rs.rows[0]!.n);
}

describe("claiming an unowned lead respects the rep's cap", () => {
  it("422 naming repId at cap, the lead untouched; a free slot lets the claim through", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const rep = await addRep(ws.key, { name: "Capped", maxOpenLeads: 1, paused: true });
    const [a, b] = [await capture(ws.key), await capture(ws.key)];
    expect([a.ownerRepId, b.ownerRepId]).toEqual([null, null]);
    expect((await claim(ws.key, a.id, rep)).status).toBe(200);

    const refused = await claim(ws.key, b.id, rep);
    expect(refused.status).toBe(422);
    expect(isErrorShape(refused.json)).toBe(true);
    expect(refused.text).toContain("repId");
    expect(refused.text).toContain("cap");
    const lead = (await call<LeadDetailJson>("GET", `/api/v1/leads/${b.id}`, { key: ws.key })).json;
    expect(lead.lead).toMatchObject({ ownerRepId: null, claimedAt: null });
    expect(lead.events.map((e: { type: string }) => e.type)).not.toContain("claimed");

    // Claiming the lead they already own is fine at cap; closing one frees the slot for the other.
    expect((await claim(ws.key, a.id, rep)).status).toBe(200);
    await call<LeadDetailJson>("PATCH", `/api/v1/leads/${a.id}`, { key: ws.key, body: { status: "won" } });
    expect((await claim(ws.key, b.id, rep)).status).toBe(200);
    expect(await openCount(rep)).toBe(1);
  });

  it("10 concurrent claims of unowned leads by a rep capped at 3: exactly 3 succeed", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const rep = await addRep(ws.key, { name: "Racer", maxOpenLeads: 3, paused: true });
    const leads = await Promise.all(Array.from({ length: 10 }, () => capture(ws.key)));
    const answers = await Promise.all(leads.map((l) => claim(ws.key, l.id, rep)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 422)).toHaveLength(7);
    expect(await openCount(rep)).toBe(3);
  });
});
