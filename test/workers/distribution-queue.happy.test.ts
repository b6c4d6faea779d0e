import { describe, expect, it } from "vitest";
import type { LeadDetailJson, RepJson, WorkspaceJson } from "../support/response-json";
import { call, type ErrorBody, seedWorkspace, testDb, uniqueEmail } from "../support/workers/harness";
import { addTelegramChannel, eventually, fakeCalls, tick, uniqueChatId } from "../support/workers/outbox-harness";
import { addRep, captureLead as capture, type CapturedLead as Lead } from "../support/workers/routing-harness";

async function ownerCounts(workspaceId: string, status = "'new'") {
  const rs = await testDb().execute({
    sql: `SELECT COALESCE(owner_rep_id, 'none') AS rep, count(*) AS n FROM lead WHERE workspace_id = ?
      AND status IN (${status}) GROUP BY 1`,
    args: [workspaceId],
  });
  return Object.fromEntries(rs.rows.map((r) => [String(r.rep), Number(r.n)]));
}

const setStatus = (key: string, id: string, status: string) =>
  call<LeadDetailJson>("PATCH", `/api/v1/leads/${id}`, { key, body: { status } });

describe("caps hold and the unassigned queue drains", () => {
  it("3 reps capped at 5, 40 captures 20 at a time: exactly 5 each, the rest queued, then drained as leads close", {
    timeout: 120_000,
  }, async () => {
    const ws = await seedWorkspace({ reps: [] });
    const reps = [
      await addRep(ws.key, { name: "A", maxOpenLeads: 5 }),
      await addRep(ws.key, { name: "B", maxOpenLeads: 5 }),
      await addRep(ws.key, { name: "C", maxOpenLeads: 5 }),
    ];
    const leads: Lead[] = [];
    for (let wave = 0; wave < 2; wave++)
      leads.push(...(await Promise.all(Array.from({ length: 20 }, () => capture(ws.key)))));

    const counts = await ownerCounts(ws.id);
    for (const rep of reps) expect(counts[rep], `rep ${rep}`).toBe(5);
    expect(counts.none).toBe(25);
    // Every queued lead says why on its timeline; none was alerted to a rep it does not belong to.
    const events = await testDb().execute({
      sql: `SELECT type, count(*) AS n FROM lead_event WHERE workspace_id = ? AND type IN ('assigned', 'unassigned')
        GROUP BY type`,
      args: [ws.id],
    });
    expect(Object.fromEntries(events.rows.map((r) => [r.type, Number(r.n)]))).toEqual({ assigned: 15, unassigned: 25 });

    // A closed lead frees a slot: the oldest queued lead takes it at once.
    const queued = (
      await testDb().execute({
        sql: `SELECT id FROM lead WHERE workspace_id = ? AND owner_rep_id IS NULL ORDER BY created_at, id LIMIT 1`,
        args: [ws.id],
      })
    ).rows[0]!.id;
    const aLead = leads.find((l) => l.ownerRepId === reps[0])!;
    expect((await setStatus(ws.key, aLead.id, "won")).status).toBe(200);
    const moved = await call<LeadDetailJson>("GET", `/api/v1/leads/${queued}`, { key: ws.key });
    expect(moved.json.lead.ownerRepId).toBe(reps[0]);
    expect(moved.json.events.at(-1)).toMatchObject({ type: "assigned", data: { repId: reps[0], reason: "queue" } });
    expect((await ownerCounts(ws.id))[reps[0]!]).toBe(5);

    // Raising a cap drains as many as now fit; never more.
    await call<RepJson>("PATCH", `/api/v1/reps/${reps[1]}`, { key: ws.key, body: { maxOpenLeads: 8 } });
    const after = await ownerCounts(ws.id);
    expect(after[reps[1]!]).toBe(8);
    expect(after.none).toBe(21);
  });

  it("a paused last resort is skipped; resuming a rep drains the queue, oldest first or hot first", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const rep = await addRep(ws.key, { name: "Only", paused: true });
    const boss = await addRep(ws.key, { name: "Boss", weight: 0, paused: true });
    await call<WorkspaceJson>("PATCH", "/api/v1/workspace", {
      key: ws.key,
      body: { ownerRepId: boss, queueHotFirst: true },
    });
    const cold = await capture(ws.key);
    const hot = await capture(ws.key, {
      phone: "+14155550199",
      name: "Hot",
      fields: { budget: "50000", timeline: "this month" },
    });
    expect([cold.ownerRepId, hot.ownerRepId]).toEqual([null, null]);
    const created = (await call<LeadDetailJson>("GET", `/api/v1/leads/${cold.id}`, { key: ws.key })).json.lead;
    expect(created.slaDueAt).toBe(created.createdAt + 15 * 60_000); // the SLA clock runs while it waits

    await call<RepJson>("PATCH", `/api/v1/reps/${rep}`, { key: ws.key, body: { paused: false, maxOpenLeads: 1 } });
    expect((await call<LeadDetailJson>("GET", `/api/v1/leads/${hot.id}`, { key: ws.key })).json.lead.ownerRepId).toBe(
      rep,
    );
    expect(
      (await call<LeadDetailJson>("GET", `/api/v1/leads/${cold.id}`, { key: ws.key })).json.lead.ownerRepId,
    ).toBeNull();
  });

  it("the owner is alerted once while a lead waits; the rep who takes it gets the hand-over alert", async () => {
    const ws = await seedWorkspace({ reps: [] });
    await addTelegramChannel(ws.id, {});
    const [repChat, bossChat] = [uniqueChatId(), uniqueChatId()];
    const rep = await addRep(ws.key, { name: "Rep", paused: true, telegramChatId: repChat });
    const boss = await addRep(ws.key, { name: "Boss", active: false, telegramChatId: bossChat });
    await call<WorkspaceJson>("PATCH", "/api/v1/workspace", { key: ws.key, body: { ownerRepId: boss } });
    const lead = await capture(ws.key, { name: "Wanda Wait" });
    expect(lead.ownerRepId).toBeNull();
    const bossTexts = async () => (await fakeCalls(bossChat)).map((c) => String(c.body.text));
    await eventually(async () => expect(await bossTexts()).toHaveLength(1));
    expect((await bossTexts())[0]).toMatch(/^Lead waiting: nobody can take it now.*\nWanda Wait \(api\)/);

    await tick(Date.now()); // the cron's drain finds nobody: no second alert
    await call<RepJson>("PATCH", `/api/v1/reps/${rep}`, { key: ws.key, body: { paused: false } });
    const repCalls = await eventually(async () => {
      const calls = await fakeCalls(repChat);
      expect(calls).toHaveLength(1);
      return calls;
    });
    expect(String(repCalls[0]!.body.text)).toMatch(/^Lead from the unassigned queue — now yours\nWanda Wait/);
    expect(JSON.stringify(repCalls[0]!.body.reply_markup)).toContain(lead.id); // the same one-tap buttons
    expect(await bossTexts()).toHaveLength(1);
  });

  it("a returning lead moved on from a deactivated owner alerts its new owner", async () => {
    const ws = await seedWorkspace({ reps: [] });
    await addTelegramChannel(ws.id, {});
    const chats = [uniqueChatId(), uniqueChatId()];
    const a = await addRep(ws.key, { name: "A", telegramChatId: chats[0] });
    const email = uniqueEmail();
    const first = await capture(ws.key, { email, name: "Ray Turner" });
    expect(first.ownerRepId).toBe(a);
    await testDb().execute({ sql: `UPDATE rep SET active = 0 WHERE id = ?`, args: [a] }); // gone without redistribution
    const b = await addRep(ws.key, { name: "B", telegramChatId: chats[1] });
    const back = await capture(ws.key, { email, name: "Ray Turner", message: "me again" });
    expect(back).toMatchObject({ id: first.id, ownerRepId: b });
    const calls = await eventually(async () => {
      const c = await fakeCalls(chats[1]!);
      expect(c).toHaveLength(1);
      return c;
    });
    expect(String(calls[0]!.body.text)).toMatch(/^Returning lead, its owner is away — now yours\nRay Turner/);
  });

  it("manual assign refuses an inactive rep, and a paused or at-cap rep unless forced", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const open = await addRep(ws.key, { name: "Open" });
    const gone = await addRep(ws.key, { name: "Gone", active: false });
    const paused = await addRep(ws.key, { name: "Paused", paused: true });
    const full = await addRep(ws.key, { name: "Full", maxOpenLeads: 0 });
    const lead = await capture(ws.key);
    expect(lead.ownerRepId).toBe(open);
    const assign = <T = LeadDetailJson>(body: Record<string, unknown>) =>
      call<T>("POST", `/api/v1/leads/${lead.id}/assign`, { key: ws.key, body });

    const inactive = await assign<ErrorBody>({ repId: gone, force: true });
    expect(inactive.status).toBe(422);
    expect(inactive.json.error.fields!.repId).toMatch(/deactivated/);
    const p = await assign<ErrorBody>({ repId: paused });
    expect(p.status).toBe(422);
    expect(p.json.error.fields!.repId).toMatch(/paused.*force/);
    const f = await assign<ErrorBody>({ repId: full });
    expect(f.status).toBe(422);
    expect(f.json.error.fields!.repId).toMatch(/cap of 0/);
    const patched = await call<ErrorBody>("PATCH", `/api/v1/leads/${lead.id}`, {
      key: ws.key,
      body: { ownerRepId: gone },
    });
    expect(patched.status).toBe(422);
    expect(patched.json.error.fields!.ownerRepId).toMatch(/deactivated/);
    expect((await call<LeadDetailJson>("GET", `/api/v1/leads/${lead.id}`, { key: ws.key })).json.lead.ownerRepId).toBe(
      open,
    );

    const forced = await assign({ repId: paused, force: true });
    expect(forced.status).toBe(200);
    expect(forced.json.lead.ownerRepId).toBe(paused);
  });

  it("a deactivated rep's open leads go to the others through the rotation, each new owner alerted", async () => {
    const ws = await seedWorkspace({ reps: [] });
    await addTelegramChannel(ws.id, {});
    const chats = [uniqueChatId(), uniqueChatId(), uniqueChatId()];
    const [a, b, c] = [
      await addRep(ws.key, { name: "A", telegramChatId: chats[0] }),
      await addRep(ws.key, { name: "B", telegramChatId: chats[1] }),
      await addRep(ws.key, { name: "C", telegramChatId: chats[2] }),
    ];
    const leads: Lead[] = [];
    for (let i = 0; i < 6; i++) leads.push(await capture(ws.key));
    const ofA = leads.filter((l) => l.ownerRepId === a);
    expect(ofA).toHaveLength(2);
    await setStatus(ws.key, ofA[1]!.id, "won"); // closed leads stay where they are

    await call<RepJson>("PATCH", `/api/v1/reps/${a}`, { key: ws.key, body: { active: false } });
    const moved = (await call<LeadDetailJson>("GET", `/api/v1/leads/${ofA[0]!.id}`, { key: ws.key })).json;
    expect([b, c]).toContain(moved.lead.ownerRepId);
    expect(moved.events.at(-1)).toMatchObject({ type: "reassigned", data: { from: a, reason: "deactivated" } });
    expect(
      (await call<LeadDetailJson>("GET", `/api/v1/leads/${ofA[1]!.id}`, { key: ws.key })).json.lead.ownerRepId,
    ).toBe(a);
    const to = chats[[a, b, c].indexOf(moved.lead.ownerRepId!)]!;
    await eventually(async () => {
      const texts = (await fakeCalls(to)).map((x) => String(x.body.text));
      expect(texts.filter((t) => t.startsWith("Lead of a deactivated rep — now yours"))).toHaveLength(1);
    });
  });
});
