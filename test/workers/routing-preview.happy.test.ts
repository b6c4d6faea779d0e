import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { RepLoad } from "../../workers/domain/routing/rep-load";
import type { RoutingPreview } from "../../workers/domain/routing/routing-preview";
import type { LeadDetailJson, ListJson, PoolJson, RepJson, RuleJson } from "../support/response-json";
import { call, type ErrorBody, seedWorkspace, testDb } from "../support/workers/harness";
import { addTelegramChannel, eventually, fakeCalls, tick, uniqueChatId } from "../support/workers/outbox-harness";
import { addRep, captureLead as capture } from "../support/workers/routing-harness";

const MIN = 60_000;

async function addPool(key: string, body: Record<string, unknown>): Promise<string> {
  const res = await call<PoolJson>("POST", "/api/v1/pools", { key, body });
  expect(res.status, res.text).toBe(201);
  return res.json.id;
}

const lead = async (key: string, id: string) =>
  (await call<LeadDetailJson>("GET", `/api/v1/leads/${id}`, { key })).json;

describe("routing preview, strategies, per-rep load", () => {
  it("preview names pool, rule, rep and skipped reps, and does not advance the rotation", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const [a, b, p, other] = [
      await addRep(ws.key, { name: "A" }),
      await addRep(ws.key, { name: "B" }),
      await addRep(ws.key, { name: "P", paused: true }),
      await addRep(ws.key, { name: "Other" }),
    ];
    const solar = await addPool(ws.key, { name: "Solar", repIds: [a, b, p] });
    await addPool(ws.key, { name: "General", repIds: [other], isDefault: true });
    const rule = (
      await call<RuleJson>("POST", "/api/v1/routing-rules", {
        key: ws.key,
        body: { name: "Solar interest", match: { fields: { product: ["solar"] } }, poolId: solar },
      })
    ).json;

    const preview = <T = RoutingPreview>(body: Record<string, unknown>) =>
      call<T>("POST", "/api/v1/routing/preview", { key: ws.key, body });
    const first = await preview({ fields: { product: "Solar" } });
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({
      pool: { id: solar, name: "Solar" },
      rule: { id: rule.id, name: "Solar interest" },
      rep: { id: a, name: "A" },
      reason: "rotation",
      skipped: [{ repId: p, name: "P", reason: "paused" }],
      slaMinutes: 15,
    });
    expect((await preview({ fields: { product: "solar" } })).json.rep!.id).toBe(a); // nothing advanced
    expect((await capture(ws.key, { fields: { product: "solar" } })).ownerRepId).toBe(a); // the real capture agrees
    expect((await preview({ fields: { product: "solar" } })).json.rep!.id).toBe(b);
    expect((await preview({ fields: { product: "wind" }, hot: true })).json).toMatchObject({
      pool: { name: "General" },
      rule: null,
      rep: { id: other },
      slaMinutes: 5,
    });

    const bad = await preview<ErrorBody>({ phone: "not a phone" });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields!.phone).toBeTruthy();
    const counts = await testDb().execute({
      sql: `SELECT count(*) AS n FROM lead WHERE workspace_id = ?`,
      args: [ws.id],
    });
    expect(counts.rows[0]!.n).toBe(1);
  });

  it("least-loaded pool: the rep with the fewest open leads, ties by rotation; /routing/load counts", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const a = await addRep(ws.key, { name: "A" });
    const b = await addRep(ws.key, { name: "B" });
    await addPool(ws.key, { name: "Fair", isDefault: true, strategy: "least-loaded" });
    const l1 = await capture(ws.key);
    const l2 = await capture(ws.key);
    expect([l1.ownerRepId, l2.ownerRepId]).toEqual([a, b]);
    await call<LeadDetailJson>("PATCH", `/api/v1/leads/${l2.id}`, { key: ws.key, body: { status: "won" } });
    expect((await capture(ws.key)).ownerRepId).toBe(b); // B has 0 open, A has 1
    expect((await capture(ws.key)).ownerRepId).toBe(a); // 1 each: A was assigned least recently
    await call<RepJson>("PATCH", `/api/v1/reps/${a}`, { key: ws.key, body: { maxOpenLeads: 2 } });

    const load = await call<ListJson<RepLoad>>("GET", "/api/v1/routing/load", { key: ws.key });
    expect(load.status, load.text).toBe(200);
    expect(load.json.data).toEqual([
      { repId: a, name: "A", open: 2, assignedToday: 2, assignedThisWeek: 2, maxOpenLeads: 2, atCap: true },
      { repId: b, name: "B", open: 1, assignedToday: 2, assignedThisWeek: 2, maxOpenLeads: null, atCap: false },
    ]);
  });

  it("an SLA escalation follows the pool's chain to the first available rep, never the one who missed", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const a = await addRep(ws.key, { name: "A" });
    const away = await addRep(ws.key, { name: "Away", paused: true, weight: 0 });
    const lead2 = await addRep(ws.key, { name: "Lead", weight: 0 });
    await addPool(ws.key, {
      name: "Main",
      isDefault: true,
      repIds: [a],
      maxReassignments: 0,
      escalationRepIds: [away, lead2],
    });
    const first = await capture(ws.key);
    expect(first.ownerRepId).toBe(a);
    await testDb().execute({
      sql: `UPDATE lead SET sla_due_at = NULL WHERE workspace_id <> ? AND sla_due_at IS NOT NULL`,
      args: [ws.id],
    });
    await tick(first.createdAt + 16 * MIN);
    expect((await lead(ws.key, first.id)).lead).toMatchObject({ ownerRepId: lead2, passedRepIds: [a] });

    // Only the rep who missed it in the chain, no workspace owner: it waits unowned instead of going back.
    await call(
      "PATCH",
      `/api/v1/pools/${(await call<ListJson<PoolJson>>("GET", "/api/v1/pools", { key: ws.key })).json.data[0]!.id}`,
      {
        key: ws.key,
        body: { escalationRepIds: [a] },
      },
    );
    await call<RepJson>("PATCH", `/api/v1/reps/${lead2}`, { key: ws.key, body: { active: false } });
    const second = await capture(ws.key);
    expect(second.ownerRepId).toBe(a);
    await tick(second.createdAt + 16 * MIN);
    const after = (await lead(ws.key, second.id)).lead;
    expect(after).toMatchObject({ ownerRepId: null, passedRepIds: [a], slaDueAt: null });
  });

  it("the SLA deadline fires from the workspace's timer alarm, not the cron minute; next rep alerted", async () => {
    const ws = await seedWorkspace({ reps: [] });
    await addTelegramChannel(ws.id, {});
    const chats = [uniqueChatId(), uniqueChatId()];
    const a = await addRep(ws.key, { name: "A", telegramChatId: chats[0] });
    const b = await addRep(ws.key, { name: "B", telegramChatId: chats[1] });
    const created = await capture(ws.key, { name: "Tina Timer" });
    expect(created.ownerRepId).toBe(a);
    const stub = env.SLA_TIMER.get(env.SLA_TIMER.idFromName(ws.id));
    // The capture armed the alarm at the lead's deadline.
    await eventually(async () =>
      expect(await runInDurableObject(stub, (_o, state) => state.storage.getAlarm())).toBe(created.slaDueAt),
    );

    const past = Date.now() - 1_000;
    await testDb().execute({ sql: `UPDATE lead SET sla_due_at = ? WHERE id = ?`, args: [past, created.id] });
    // An alarm set in the past fires at once.
    await stub.arm(ws.id, past);
    await runDurableObjectAlarm(stub);
    await eventually(async () =>
      expect((await lead(ws.key, created.id)).lead).toMatchObject({ ownerRepId: b, reassignCount: 1 }),
    );
    await eventually(async () => {
      const texts = (await fakeCalls(chats[1]!)).map((c) => String(c.body.text));
      expect(texts.some((t) => t.startsWith("Lead not picked up in time — now yours\nTina Timer"))).toBe(true);
    });
    // Re-armed for B's new deadline.
    const next = (await lead(ws.key, created.id)).lead.slaDueAt;
    expect(await runInDurableObject(stub, (_o, state) => state.storage.getAlarm())).toBe(next);
  });

  it("one workspace with many lapsed leads does not hold up another's in the cron sweep", {
    timeout: 60_000,
  }, async () => {
    const busy = await seedWorkspace({ reps: ["A", "B"] });
    const quiet = await seedWorkspace({ reps: ["C", "D"] });
    const now = Date.now();
    const db = testDb();
    await db.execute({
      sql: `UPDATE lead SET sla_due_at = NULL WHERE workspace_id NOT IN (?, ?) AND sla_due_at IS NOT NULL`,
      args: [busy.id, quiet.id],
    });
    // 150 lapsed leads in the busy workspace, all older than the quiet one's.
    await db.execute({
      sql: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150)
            INSERT INTO lead (id, workspace_id, source, status, fields, owner_rep_id, sla_due_at, last_inbound_at,
              created_at, updated_at)
            SELECT 'lead_busy' || ? || '_' || i, ?, 'api', 'new', '{}', ?, ? - 3600000 + i, ?, ?, ? FROM n`,
      args: [now, busy.id, busy.reps[0]!.id, now, now, now, now],
    });
    const q = await capture(quiet.key);
    await db.execute({ sql: `UPDATE lead SET sla_due_at = ? WHERE id = ?`, args: [now - MIN, q.id] });
    await tick(now);
    expect((await lead(quiet.key, q.id)).lead.reassignCount).toBe(1);
    const moved = await db.execute({
      sql: `SELECT count(*) AS n FROM lead WHERE workspace_id = ? AND reassign_count > 0`,
      args: [busy.id],
    });
    expect(Number(moved.rows[0]!.n)).toBe(10);
  });
});
