import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { rotationName } from "../../workers/routing/rotation-service";
import type { LeadDetailJson, ListJson, PoolJson, RepJson, RuleJson, WorkspaceJson } from "../support/response-json";
import { call, seedWorkspace, testDb, uniqueEmail } from "../support/workers/harness";
import { captureLead as capture, type CapturedLead as Lead } from "../support/workers/routing-harness";

async function addReps(key: string, reps: Record<string, unknown>[]) {
  const ids: string[] = [];
  for (const body of reps) {
    const res = await call<RepJson>("POST", "/api/v1/reps", { key, body });
    expect(res.status, res.text).toBe(201);
    ids.push(res.json.id);
  }
  return ids;
}

/** `n` captures, all in flight at once. */
const captureConcurrently = (key: string, n: number) => Promise.all(Array.from({ length: n }, () => capture(key)));

function tally(leads: Lead[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const l of leads) counts[l.ownerRepId ?? "none"] = (counts[l.ownerRepId ?? "none"] ?? 0) + 1;
  return counts;
}

async function eventsOf(key: string, id: string) {
  return (await call<LeadDetailJson>("GET", `/api/v1/leads/${id}`, { key })).json.events as {
    type: string;
    data: Record<string, unknown>;
  }[];
}

describe("lead distribution", () => {
  it("1,000 leads captured concurrently over 5 equal reps: 200 ± 1 each, none unassigned, none assigned twice", {
    timeout: 240_000,
  }, async () => {
    const ws = await seedWorkspace({ reps: [] });
    const reps = await addReps(
      ws.key,
      ["A", "B", "C", "D", "E"].map((name) => ({ name })),
    );
    const leads = await captureConcurrently(ws.key, 1000);

    const counts = tally(leads);
    expect(counts.none).toBeUndefined();
    for (const rep of reps) expect(Math.abs((counts[rep] ?? 0) - 200), `rep ${rep}`).toBeLessThanOrEqual(1);

    // Exactly one assignment per lead, in the database and in the rotation.
    const db = testDb();
    const rs = await db.execute({
      sql: `SELECT count(*) AS n, count(DISTINCT lead_id) AS leads FROM lead_event WHERE workspace_id = ?
        AND type = 'assigned'`,
      args: [ws.id],
    });
    expect(rs.rows[0]).toMatchObject({ n: 1000, leads: 1000 });
    const stub = env.ROTATION.get(env.ROTATION.idFromName(rotationName(ws.id, null)));
    const doCounts = await stub.counts();
    expect(Object.values(doCounts).reduce((a, b) => a + b, 0)).toBe(1000);
    for (const rep of reps) expect(doCounts[rep]).toBe(counts[rep]);
  });

  it("weights 3:1:1 are honoured within ±1 over 500 leads", { timeout: 180_000 }, async () => {
    const ws = await seedWorkspace({ reps: [] });
    const [heavy, b, c] = await addReps(ws.key, [{ name: "Heavy", weight: 3 }, { name: "B" }, { name: "C" }]);
    const leads = await captureConcurrently(ws.key, 500);
    const counts = tally(leads);
    expect(Math.abs(counts[heavy!]! - 300)).toBeLessThanOrEqual(1);
    expect(Math.abs(counts[b!]! - 100)).toBeLessThanOrEqual(1);
    expect(Math.abs(counts[c!]! - 100)).toBeLessThanOrEqual(1);
  });

  it("skips paused, off-hours, on-vacation and at-cap reps; records who was skipped", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const now = Date.now();
    const [open, paused, offHours, away, capped] = await addReps(ws.key, [
      { name: "Open" },
      { name: "Paused", paused: true },
      // No working day at all: never inside working hours.
      { name: "Off", workingHours: {} },
      { name: "Away", vacations: [{ from: now - 60_000, to: now + 86_400_000 }] },
      { name: "Capped", maxOpenLeads: 1 },
    ]);
    const leads = [];
    for (let i = 0; i < 6; i++) leads.push(await capture(ws.key));
    const counts = tally(leads);
    // The capped rep takes one lead, then only "Open" is left.
    expect(counts).toEqual({ [open!]: 5, [capped!]: 1 });
    const events = await eventsOf(ws.key, leads[5]!.id);
    expect(events[1]).toMatchObject({
      type: "assigned",
      data: {
        repId: open,
        reason: "rotation",
        skipped: { [paused!]: "paused", [offHours!]: "off-hours", [away!]: "on-vacation", [capped!]: "at-cap" },
      },
    });
    // Resuming a rep brings them straight back into the rotation.
    await call<RepJson>("PATCH", `/api/v1/reps/${paused}`, { key: ws.key, body: { paused: false } });
    const next = [await capture(ws.key), await capture(ws.key)];
    expect(next.map((l) => l.ownerRepId).sort()).toEqual([open, paused].sort());
  });

  it("nobody eligible: the available last resort gets the lead, else it waits unassigned with the reason", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const [paused, boss] = await addReps(ws.key, [
      { name: "Paused", paused: true },
      { name: "Boss", active: false },
    ]);
    const none = await capture(ws.key);
    expect(none.ownerRepId).toBeNull();
    expect((await eventsOf(ws.key, none.id))[1]).toMatchObject({
      type: "unassigned",
      data: { reason: "none", skipped: { [paused!]: "paused" } },
    });

    // A deactivated owner is no last resort; an available one (weight 0: outside the rotation) is.
    await call<WorkspaceJson>("PATCH", "/api/v1/workspace", { key: ws.key, body: { ownerRepId: boss } });
    expect((await capture(ws.key)).ownerRepId).toBeNull();
    await call<RepJson>("PATCH", `/api/v1/reps/${boss}`, { key: ws.key, body: { active: true, weight: 0 } });
    const toOwner = await capture(ws.key);
    expect(toOwner.ownerRepId).toBe(boss);
    expect((await eventsOf(ws.key, toOwner.id))[1]).toMatchObject({ type: "assigned", data: { reason: "fallback" } });
  });

  it("the rotation is idempotent per lead id: a retry returns the same rep and does not advance", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const stub = env.ROTATION.get(env.ROTATION.idFromName(rotationName(ws.id, null)));
    const candidates = [
      { repId: "r1", weight: 1 },
      { repId: "r2", weight: 1 },
    ];
    const first = await stub.pick({ assignmentKey: "lead_x", candidates });
    const again = await stub.pick({ assignmentKey: "lead_x", candidates });
    expect(again).toEqual({ repId: first.repId, replay: true });
    expect(await stub.counts()).toEqual({ [first.repId!]: 1, [first.repId === "r1" ? "r2" : "r1"]: 0 });
    const next = await stub.pick({ assignmentKey: "lead_y", candidates });
    expect(next.repId).not.toBe(first.repId);
    // State lives in the object's SQLite storage.
    await runInDurableObject(stub, async (_instance, state) => {
      expect(state.storage.sql.exec("SELECT count(*) AS n FROM assignment").one().n).toBe(2);
    });
  });

  it("sticky owner: a returning lead goes back to its owner while eligible, else to the rotation", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const [a, b] = await addReps(ws.key, [{ name: "A" }, { name: "B" }]);
    const email = uniqueEmail();
    const first = await capture(ws.key, { email });
    expect(first.ownerRepId).toBe(a);
    await capture(ws.key); // B's turn goes to someone else
    const back = await capture(ws.key, { email });
    expect(back.id).toBe(first.id);
    expect(back.ownerRepId).toBe(a);

    await call<RepJson>("PATCH", `/api/v1/reps/${a}`, { key: ws.key, body: { paused: true } });
    const moved = await capture(ws.key, { email });
    expect(moved.ownerRepId).toBe(b);
    const types = (await eventsOf(ws.key, first.id)).map((e) => e.type);
    expect(types).toEqual(["created", "assigned", "re-inquiry", "re-inquiry", "reassigned"]);
  });

  it("rules send leads to their pool's reps; the first match wins; unmatched go to the default pool", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const [sol, es, gen] = await addReps(ws.key, [{ name: "Solar" }, { name: "Spanish" }, { name: "General" }]);
    const pool = async (name: string, repIds: string[], isDefault = false) =>
      (await call<PoolJson>("POST", "/api/v1/pools", { key: ws.key, body: { name, repIds, isDefault } })).json
        .id as string;
    const solarPool = await pool("Solar", [sol!]);
    const spanishPool = await pool("Spanish", [es!]);
    await pool("General", [gen!], true);
    const rule = async (body: Record<string, unknown>) =>
      expect((await call<RuleJson>("POST", "/api/v1/routing-rules", { key: ws.key, body })).status).toBe(201);
    await rule({ name: "Spanish speakers", match: { fields: { language: ["es"] } }, poolId: spanishPool });
    await rule({ name: "Solar interest", match: { fields: { product: ["solar"] } }, poolId: solarPool });
    await rule({ name: "Mexico", match: { countries: ["MX"] }, poolId: spanishPool });

    expect((await capture(ws.key, { fields: { product: "Solar" } })).ownerRepId).toBe(sol);
    expect((await capture(ws.key, { fields: { product: "solar", language: "es" } })).ownerRepId).toBe(es);
    expect((await capture(ws.key, { phone: "+52 55 1234 5678" })).ownerRepId).toBe(es);
    const other = await capture(ws.key, { fields: { product: "wind" } });
    expect(other.ownerRepId).toBe(gen);
    expect(
      (await call<LeadDetailJson>("GET", `/api/v1/leads/${other.id}`, { key: ws.key })).json.lead.poolId,
    ).toBeTypeOf("string");
    const rules = (await call<ListJson<RuleJson>>("GET", "/api/v1/routing-rules", { key: ws.key })).json.data;
    expect(rules.map((r: { name: string }) => r.name)).toEqual(["Spanish speakers", "Solar interest", "Mexico"]);
  });

  it("claim stops the SLA clock; pass reassigns at once and never back; manual assign records its actor", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const [a, b, c] = await addReps(ws.key, [{ name: "A" }, { name: "B" }, { name: "C" }]);
    const lead = await capture(ws.key);
    expect(lead.ownerRepId).toBe(a);

    const wrong = await call<LeadDetailJson>("POST", `/api/v1/leads/${lead.id}/claim`, {
      key: ws.key,
      body: { repId: b },
    });
    expect(wrong.status).toBe(409);
    const claimed = await call<LeadDetailJson>("POST", `/api/v1/leads/${lead.id}/claim`, {
      key: ws.key,
      body: { repId: a },
    });
    expect(claimed.json.lead).toMatchObject({ slaDueAt: null, ownerRepId: a });
    expect(claimed.json.lead.claimedAt).toBeTypeOf("number");

    const passed = await call<LeadDetailJson>("POST", `/api/v1/leads/${lead.id}/pass`, {
      key: ws.key,
      body: { repId: a },
    });
    expect(passed.status).toBe(200);
    expect(passed.json.lead.ownerRepId).not.toBe(a);
    expect(passed.json.lead.passedRepIds).toEqual([a]);
    const second = passed.json.lead.ownerRepId;
    const again = await call<LeadDetailJson>("POST", `/api/v1/leads/${lead.id}/pass`, {
      key: ws.key,
      body: { repId: second },
    });
    expect(again.json.lead.ownerRepId).toBe([b, c].find((r) => r !== second));

    const manual = await call<LeadDetailJson>("POST", `/api/v1/leads/${lead.id}/assign`, {
      key: ws.key,
      body: { repId: a },
    });
    expect(manual.json.lead.ownerRepId).toBe(a);
    const last = manual.json.events.at(-1)!;
    expect(last).toMatchObject({ type: "reassigned", actorType: "api", data: { to: a, reason: "manual" } });
    expect(last.actorId).toMatch(/^key_/);
    expect(manual.json.events.filter((e: { type: string }) => e.type === "passed")).toHaveLength(2);
  });
});
