import { describe, expect, it } from "vitest";
import { call, seedWorkspace, testDb } from "../support/workers/harness";
import { addRep, type CapturedLead, captureLead } from "../support/workers/routing-harness";

/** Each rep of the workspace: the kept count (null when the row is missing) beside a count of their open leads. */
async function keptAndCounted(workspaceId: string): Promise<{ kept: number | null; counted: number }[]> {
  const rs = await testDb().execute({
    sql: `SELECT o.open_leads AS kept, (SELECT count(*) FROM lead l WHERE l.owner_rep_id = r.id
            AND l.status IN ('new', 'contacted', 'qualified')) AS counted
          FROM rep r LEFT JOIN rep_open_leads o ON o.rep_id = r.id WHERE r.workspace_id = ? ORDER BY r.id`,
    args: [workspaceId],
  });
  return rs.rows.map((r) => ({ kept: r.kept === null ? null : Number(r.kept), counted: Number(r.counted) }));
}

async function expectInStep(workspaceId: string, step: string) {
  const rows = await keptAndCounted(workspaceId);
  expect(
    rows.map((r) => r.kept),
    step,
  ).toEqual(rows.map((r) => r.counted));
  return rows.map((r) => r.counted);
}

describe("each rep's kept open-lead count", () => {
  it("follows captures, closes, reassignments, claims and SQL writes", async () => {
    const ws = await seedWorkspace({ reps: ["Ana", "Ben"] });
    const [ana, ben] = ws.reps.map((r) => r.id) as [string, string];
    const leads: CapturedLead[] = [];
    for (let i = 0; i < 4; i++) leads.push(await captureLead(ws.key));
    // Captured into the rotation: every lead counted once, for its owner.
    expect((await expectInStep(ws.id, "captured")).reduce((a, n) => a + n, 0)).toBe(4);

    const [first, second, third, fourth] = leads as [CapturedLead, CapturedLead, CapturedLead, CapturedLead];
    expect((await call("PATCH", `/api/v1/leads/${first.id}`, { key: ws.key, body: { status: "won" } })).status).toBe(
      200,
    );
    expect((await expectInStep(ws.id, "closed")).reduce((a, n) => a + n, 0)).toBe(3);
    // Open again (won → contacted), then moved to the other rep by hand.
    expect(
      (await call("PATCH", `/api/v1/leads/${first.id}`, { key: ws.key, body: { status: "contacted" } })).status,
    ).toBe(200);
    await expectInStep(ws.id, "reopened");
    const to = second.ownerRepId === ana ? ben : ana;
    expect((await call("POST", `/api/v1/leads/${second.id}/assign`, { key: ws.key, body: { repId: to } })).status).toBe(
      200,
    );
    await expectInStep(ws.id, "reassigned");

    // Writers outside the API are counted too: an owner cleared, a lead deleted, a status set in SQL.
    const db = testDb();
    await db.execute({ sql: `UPDATE lead SET owner_rep_id = NULL WHERE id = ?`, args: [third.id] });
    await expectInStep(ws.id, "owner cleared");
    await db.execute({ sql: `DELETE FROM lead WHERE id = ?`, args: [fourth.id] });
    await expectInStep(ws.id, "deleted");
    await db.execute({ sql: `UPDATE lead SET status = 'lost' WHERE workspace_id = ?`, args: [ws.id] });
    expect(await expectInStep(ws.id, "all lost")).toEqual([0, 0]);

    // The unowned lead, open again, claimed by a rep added later.
    await db.execute({ sql: `UPDATE lead SET status = 'new' WHERE id = ?`, args: [third.id] });
    const cara = await addRep(ws.key, { name: "Cara" });
    expect((await call("POST", `/api/v1/leads/${third.id}/claim`, { key: ws.key, body: { repId: cara } })).status).toBe(
      200,
    );
    const after = await keptAndCounted(ws.id);
    expect(after).toHaveLength(3);
    expect(after.map((r) => r.kept)).toEqual(after.map((r) => r.counted));
    expect(after.map((r) => r.counted).reduce((a, n) => a + n, 0)).toBe(1);
  });
});

describe("the kept count is the figure the API answers with", () => {
  interface Load {
    repId: string;
    open: number;
    assignedToday: number;
    atCap: boolean;
  }
  const load = async (key: string) =>
    (await call<{ data: Load[] }>("GET", "/api/v1/routing/load", { key })).json.data.map((l) => ({
      repId: l.repId,
      open: l.open,
      assignedToday: l.assignedToday,
      atCap: l.atCap,
    }));

  it("routing load and rep removal read each rep's kept row, the count their caps are checked against", async () => {
    const ws = await seedWorkspace({ reps: ["Ana", "Ben"] });
    const [ana, ben] = ws.reps.map((r) => r.id) as [string, string];
    for (let i = 0; i < 3; i++) await captureLead(ws.key);
    const counted = await expectInStep(ws.id, "captured");
    const byId = new Map((await keptAndCounted(ws.id)).map((r, i) => [[ana, ben].sort()[i]!, r.counted]));
    expect(counted.reduce((a, n) => a + n, 0)).toBe(3);
    expect(await load(ws.key)).toEqual([
      { repId: ana, open: byId.get(ana), assignedToday: byId.get(ana), atCap: false },
      { repId: ben, open: byId.get(ben), assignedToday: byId.get(ben), atCap: false },
    ]);

    // Ben's leads closed: his kept row says 0 and removal goes through the same row. When that row says otherwise
    // (written here by hand) both follow it, so the answer and the cap check cannot disagree.
    const db = testDb();
    await db.execute({ sql: `UPDATE lead SET status = 'won' WHERE owner_rep_id = ?`, args: [ben] });
    await db.execute({ sql: `UPDATE rep_open_leads SET open_leads = 7 WHERE rep_id = ?`, args: [ben] });
    await call("PATCH", `/api/v1/reps/${ben}`, { key: ws.key, body: { maxOpenLeads: 7 } });
    expect((await load(ws.key)).find((l) => l.repId === ben)).toMatchObject({ open: 7, atCap: true });
    expect((await call("DELETE", `/api/v1/reps/${ben}`, { key: ws.key })).status).toBe(409);
    await db.execute({ sql: `UPDATE rep_open_leads SET open_leads = 0 WHERE rep_id = ?`, args: [ben] });
    expect((await load(ws.key)).find((l) => l.repId === ben)).toMatchObject({ open: 0, atCap: false });
    expect((await call("DELETE", `/api/v1/reps/${ben}`, { key: ws.key })).status).toBe(204);
  });
});
