import { describe, expect, it } from "vitest";
import type { LeadCreatedJson, LeadDetailJson, PoolJson, RepJson, WorkspaceJson } from "../support/response-json";
import { call, seedWorkspace, testDb, uniqueEmail } from "../support/workers/harness";
import { addTelegramChannel, eventually, fakeCalls, tick, uniqueChatId } from "../support/workers/outbox-harness";

const MIN = 60_000;

/**
 * The sweep takes the oldest due leads of every workspace, 50 a tick. Leads other test files left
 * behind share this database and would fill those slots, so each SLA test clears every other
 * workspace's deadlines first (test files run one after another).
 */
async function onlyThisWorkspaceDue(workspaceId: string) {
  await testDb().execute({
    sql: `UPDATE lead SET sla_due_at = NULL WHERE workspace_id <> ? AND sla_due_at IS NOT NULL`,
    args: [workspaceId],
  });
}

async function leadWithEvents(key: string, id: string) {
  const { json } = await call<LeadDetailJson>("GET", `/api/v1/leads/${id}`, { key });
  return json as {
    lead: Record<string, any>;
    events: { type: string; actorType: string; data: Record<string, any> }[];
  };
}

async function setup() {
  const ws = await seedWorkspace({ reps: [] });
  const rep = async (body: Record<string, unknown>) =>
    (await call<RepJson>("POST", "/api/v1/reps", { key: ws.key, body })).json.id as string;
  const [a, b, c] = [await rep({ name: "A" }), await rep({ name: "B" }), await rep({ name: "C" })];
  // The owner is not in the rotation (weight 0) but available: escalations land with them.
  const boss = await rep({ name: "Boss", weight: 0 });
  await call<WorkspaceJson>("PATCH", "/api/v1/workspace", { key: ws.key, body: { ownerRepId: boss } });
  await onlyThisWorkspaceDue(ws.id);
  return { ws, a: a!, b: b!, c: c!, boss };
}

describe("SLA: claim or pass, driven by the scheduled handler with a controlled clock", () => {
  it("reassigns a lead nobody acted on, never to a rep who let it lapse; then escalates to the owner", async () => {
    const { ws, a, b, c, boss } = await setup();
    const created = (
      await call<LeadCreatedJson>("POST", "/api/v1/leads", { key: ws.key, body: { email: uniqueEmail() } })
    ).json.lead;
    expect(created.ownerRepId).toBe(a);
    const t0 = created.createdAt as number;
    expect(created.slaDueAt).toBe(t0 + 15 * MIN); // the implicit default pool: 15 minutes

    await tick(t0 + 10 * MIN);
    expect((await leadWithEvents(ws.key, created.id)).lead.ownerRepId).toBe(a);

    await tick(t0 + 16 * MIN);
    let now = await leadWithEvents(ws.key, created.id);
    expect(now.lead).toMatchObject({ ownerRepId: b, reassignCount: 1, passedRepIds: [a], slaDueAt: t0 + 31 * MIN });
    expect(now.events.at(-1)).toMatchObject({
      type: "reassigned",
      actorType: "system",
      data: { from: a, to: b, reason: "sla" },
    });

    await tick(t0 + 32 * MIN);
    now = await leadWithEvents(ws.key, created.id);
    expect(now.lead).toMatchObject({ ownerRepId: c, reassignCount: 2, passedRepIds: [a, b] });

    // The pool allows 2 reassignments: the third lapse goes to the owner.
    await tick(t0 + 48 * MIN);
    now = await leadWithEvents(ws.key, created.id);
    expect(now.lead).toMatchObject({ ownerRepId: boss, slaDueAt: null, passedRepIds: [a, b, c] });
    expect(now.lead.escalatedAt).toBe(t0 + 48 * MIN);
    expect(now.events.at(-1)).toMatchObject({ type: "escalated", data: { from: c, to: boss } });

    await tick(t0 + 120 * MIN);
    const types = (await leadWithEvents(ws.key, created.id)).events.map((e) => e.type);
    expect(types).toEqual(["created", "assigned", "reassigned", "reassigned", "escalated"]);
  });

  it("each move is announced once in the new owner's Telegram chat, the escalation in the owner's", async () => {
    const { ws, a, b, c, boss } = await setup();
    await addTelegramChannel(ws.id, {});
    const chats: Record<string, string> = {};
    for (const rep of [a, b, c, boss]) {
      chats[rep] = uniqueChatId();
      await call<RepJson>("PATCH", `/api/v1/reps/${rep}`, { key: ws.key, body: { telegramChatId: chats[rep] } });
    }
    const created = (
      await call<LeadCreatedJson>("POST", "/api/v1/leads", {
        key: ws.key,
        body: { name: "Rita Lapse", email: uniqueEmail() },
      })
    ).json.lead;
    const t0 = created.createdAt as number;
    for (const minutes of [16, 16, 32, 48, 48]) await tick(t0 + minutes * MIN); // repeated ticks must not resend

    const texts = async (rep: string) => (await fakeCalls(chats[rep]!)).map((call) => String(call.body.text));
    await eventually(async () => expect(await texts(a)).toHaveLength(1)); // the new-lead alert
    expect((await texts(b))[0]).toMatch(/^Lead not picked up in time — now yours\nRita Lapse \(api\)/);
    expect(await texts(b)).toHaveLength(1);
    expect(await texts(c)).toHaveLength(1);
    const bossTexts = await texts(boss);
    expect(bossTexts).toHaveLength(1);
    expect(bossTexts[0]).toMatch(/^Escalated to you: first response missed 3 times\nRita Lapse/);
  });

  it("a claimed or contacted lead is left alone; a pool's own SLA applies", async () => {
    const { ws, a } = await setup();
    await call<PoolJson>("POST", "/api/v1/pools", {
      key: ws.key,
      body: { name: "Slow", isDefault: true, slaMinutes: 60 },
    });
    const claimed = (
      await call<LeadCreatedJson>("POST", "/api/v1/leads", { key: ws.key, body: { email: uniqueEmail() } })
    ).json.lead;
    expect(claimed.slaDueAt).toBe(claimed.createdAt + 60 * MIN);
    const contacted = (
      await call<LeadCreatedJson>("POST", "/api/v1/leads", { key: ws.key, body: { email: uniqueEmail() } })
    ).json.lead;
    await call<LeadDetailJson>("POST", `/api/v1/leads/${claimed.id}/claim`, {
      key: ws.key,
      body: { repId: claimed.ownerRepId },
    });
    await call<LeadDetailJson>("PATCH", `/api/v1/leads/${contacted.id}`, {
      key: ws.key,
      body: { status: "contacted" },
    });

    await tick(claimed.createdAt + 3 * 60 * MIN);
    for (const id of [claimed.id, contacted.id]) {
      const { lead, events } = await leadWithEvents(ws.key, id);
      expect(lead.reassignCount).toBe(0);
      expect(events.map((e) => e.type)).not.toContain("reassigned");
    }
    expect(claimed.ownerRepId).toBe(a);
  });

  it("two overlapping ticks move a lapsed lead once", async () => {
    const { ws, a, b } = await setup();
    const created = (
      await call<LeadCreatedJson>("POST", "/api/v1/leads", { key: ws.key, body: { email: uniqueEmail() } })
    ).json.lead;
    await Promise.all([tick(created.createdAt + 16 * MIN), tick(created.createdAt + 16 * MIN)]);
    const { lead, events } = await leadWithEvents(ws.key, created.id);
    expect(lead).toMatchObject({ ownerRepId: b, reassignCount: 1, passedRepIds: [a] });
    expect(events.filter((e) => e.type === "reassigned")).toHaveLength(1);
  });
});
