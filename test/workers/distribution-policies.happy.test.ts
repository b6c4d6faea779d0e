import { describe, expect, it } from "vitest";
import type {
  LeadDetailJson,
  LeadJson,
  ListJson,
  RepJson,
  SequenceJson,
  WorkspaceJson,
} from "../support/response-json";
import { call, seedWorkspace, submit, testDb, uniqueEmail } from "../support/workers/harness";
import {
  addTelegramChannel,
  enrollmentsFor,
  eventually,
  fakeCalls,
  scriptFake,
  tick,
  uniqueChatId,
} from "../support/workers/outbox-harness";
import { addRep, captureLead as capture } from "../support/workers/routing-harness";

const MIN = 60_000;

const setStatus = (key: string, id: string, status: string) =>
  call<LeadDetailJson>("PATCH", `/api/v1/leads/${id}`, { key, body: { status } });

describe("re-inquiry of a closed lead", () => {
  it("reopens a won lead by default: back to new, SLA from now, owner alerted, event on the timeline", async () => {
    const ws = await seedWorkspace({ reps: [] });
    await addTelegramChannel(ws.id, {});
    const chat = uniqueChatId();
    const rep = await addRep(ws.key, { name: "Rita", telegramChatId: chat });
    expect((await call<WorkspaceJson>("GET", "/api/v1/workspace", { key: ws.key })).json).toMatchObject({
      reInquiryPolicy: "reopen",
      failedStepPolicy: "stop",
    });
    const email = uniqueEmail();
    const first = await capture(ws.key, { email, name: "Wes Won" });
    expect(first.ownerRepId).toBe(rep);
    await eventually(async () => expect(await fakeCalls(chat)).toHaveLength(1)); // the new-lead alert
    expect((await setStatus(ws.key, first.id, "won")).status).toBe(200);

    const before = Date.now();
    const back = await capture(ws.key, { email, name: "Wes Won", message: "we need a second site" });
    expect(back.id).toBe(first.id);
    const read = (await call<LeadDetailJson>("GET", `/api/v1/leads/${first.id}`, { key: ws.key })).json;
    expect(read.lead).toMatchObject({ status: "new", ownerRepId: rep });
    // A returning prospect is hot: the pool's hot SLA, counted from this inquiry.
    expect(read.lead.slaDueAt).toBeGreaterThanOrEqual(before + 5 * MIN);
    const reopened = read.events.find((e: { type: string }) => e.type === "reopened");
    expect(reopened).toMatchObject({ data: { fromStatus: "won", fromRepId: rep, repId: rep } });
    const calls = await eventually(async () => {
      const c = await fakeCalls(chat);
      expect(c).toHaveLength(2);
      return c;
    });
    expect(String(calls[1]!.body.text)).toMatch(
      /^Closed lead wrote again — reopened as a new inquiry, now yours\nWes Won/,
    );
    expect(JSON.stringify(calls[1]!.body.reply_markup)).toContain(first.id);

    // The same delivery replayed or an open lead writing again reopens nothing more.
    await capture(ws.key, { email, message: "and again" });
    const events = await testDb().execute({
      sql: `SELECT count(*) AS n FROM lead_event WHERE lead_id = ? AND type = 'reopened'`,
      args: [first.id],
    });
    expect(Number(events.rows[0]!.n)).toBe(1);
  });

  it("a reopened lead whose owner is at cap waits in the queue and the workspace owner hears of it", async () => {
    const ws = await seedWorkspace({ reps: [] });
    await addTelegramChannel(ws.id, {});
    const bossChat = uniqueChatId();
    const rep = await addRep(ws.key, { name: "Capped", maxOpenLeads: 1 });
    const boss = await addRep(ws.key, { name: "Boss", active: false, telegramChatId: bossChat });
    await call<WorkspaceJson>("PATCH", "/api/v1/workspace", { key: ws.key, body: { ownerRepId: boss } });
    const email = uniqueEmail();
    const first = await capture(ws.key, { email, name: "Lou Lost" });
    await setStatus(ws.key, first.id, "lost");
    expect((await capture(ws.key)).ownerRepId).toBe(rep); // the rep's one slot is taken again
    const back = await capture(ws.key, { email, name: "Lou Lost" });
    expect(back).toMatchObject({ id: first.id, ownerRepId: null });
    const lead = (await call<LeadDetailJson>("GET", `/api/v1/leads/${first.id}`, { key: ws.key })).json.lead;
    expect(lead.status).toBe("new");
    const texts = await eventually(async () => {
      const c = await fakeCalls(bossChat);
      expect(c).toHaveLength(1);
      return c.map((x) => String(x.body.text));
    });
    expect(texts[0]).toMatch(/^Lead waiting: nobody can take it now.*\nLou Lost/);
    await tick(Date.now()); // the cron's drain finds nobody either: still one alert
    expect(await fakeCalls(bossChat)).toHaveLength(1);
  });

  it("a reopened lead nobody can take alerts the workspace owner in the reopen's own words", async () => {
    const ws = await seedWorkspace({ reps: [] });
    await addTelegramChannel(ws.id, {});
    const bossChat = uniqueChatId();
    const rep = await addRep(ws.key, { name: "Soon paused" });
    const boss = await addRep(ws.key, { name: "Boss", active: false, telegramChatId: bossChat });
    await call<WorkspaceJson>("PATCH", "/api/v1/workspace", { key: ws.key, body: { ownerRepId: boss } });
    const email = uniqueEmail();
    const first = await capture(ws.key, { email, name: "Pat Paused" });
    await setStatus(ws.key, first.id, "won");
    await call<RepJson>("PATCH", `/api/v1/reps/${rep}`, { key: ws.key, body: { paused: true } });
    expect(await capture(ws.key, { email, name: "Pat Paused" })).toMatchObject({ id: first.id, ownerRepId: null });
    const texts = await eventually(async () => {
      const c = await fakeCalls(bossChat);
      expect(c).toHaveLength(1);
      return c.map((x) => String(x.body.text));
    });
    expect(texts[0]).toMatch(/^Closed lead wrote again and waits.*\nPat Paused/);
  });

  it("`keep` leaves a closed lead closed and alerts nobody; a bad policy is a 422 naming the field", async () => {
    const ws = await seedWorkspace({ reps: [] });
    await addTelegramChannel(ws.id, {});
    const chat = uniqueChatId();
    await addRep(ws.key, { name: "Kim", telegramChatId: chat });
    const bad = await call<WorkspaceJson>("PATCH", "/api/v1/workspace", {
      key: ws.key,
      body: { reInquiryPolicy: "maybe" },
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("reInquiryPolicy");
    const ok = await call<WorkspaceJson>("PATCH", "/api/v1/workspace", {
      key: ws.key,
      body: { reInquiryPolicy: "keep" },
    });
    expect(ok.json.reInquiryPolicy).toBe("keep");
    const email = uniqueEmail();
    const first = await capture(ws.key, { email, name: "Kay Kept" });
    await setStatus(ws.key, first.id, "won");
    await eventually(async () => expect(await fakeCalls(chat)).toHaveLength(1));
    await capture(ws.key, { email, message: "thanks again" });
    const read = (await call<LeadDetailJson>("GET", `/api/v1/leads/${first.id}`, { key: ws.key })).json;
    expect(read.lead.status).toBe("won");
    expect(read.events.map((e: { type: string }) => e.type)).toContain("re-inquiry");
    expect(read.events.map((e: { type: string }) => e.type)).not.toContain("reopened");
    await tick(Date.now());
    expect(await fakeCalls(chat)).toHaveLength(1);
  });
});

async function twoStepSequence(ws: Awaited<ReturnType<typeof seedWorkspace>>) {
  const seq = await call<SequenceJson>("POST", "/api/v1/sequences", {
    key: ws.key,
    body: {
      name: "Two steps",
      formId: ws.form.id,
      quietStart: null,
      quietEnd: null,
      steps: [
        { delayMinutes: 0, sender: "email", text: "Step one", subject: "One" },
        { delayMinutes: 60, sender: "email", text: "Step two" },
      ],
    },
  });
  expect(seq.status).toBe(201);
}

async function leadIdByEmail(key: string, email: string): Promise<string> {
  return (await call<ListJson<LeadJson>>("GET", `/api/v1/leads?q=${encodeURIComponent(email)}`, { key })).json.data[0]!
    .id;
}

describe("a failed sequence step", () => {
  it("stops the enrolment by default, recorded as step_failed; later steps never go out", async () => {
    const ws = await seedWorkspace();
    await twoStepSequence(ws);
    const email = uniqueEmail();
    await scriptFake(email, ["http_410"]);
    await submit(ws.form.publicKey, { name: "Fay", email });
    const lead = await leadIdByEmail(ws.key, email);
    const t0 = Date.now();
    await tick(t0 + MIN);
    expect(await enrollmentsFor(lead)).toMatchObject([{ state: "stopped", stop_reason: "step_failed" }]);
    await tick(t0 + 62 * MIN);
    const texts = (await fakeCalls(email)).map((c) => c.body.text);
    expect(texts).not.toContain("Step two");
  });

  it("with `skip` goes on to the next step", async () => {
    const ws = await seedWorkspace();
    const patched = await call<WorkspaceJson>("PATCH", "/api/v1/workspace", {
      key: ws.key,
      body: { failedStepPolicy: "skip" },
    });
    expect(patched.json.failedStepPolicy).toBe("skip");
    await twoStepSequence(ws);
    const email = uniqueEmail();
    await scriptFake(email, ["http_410"]);
    await submit(ws.form.publicKey, { name: "Sam", email });
    const lead = await leadIdByEmail(ws.key, email);
    const t0 = Date.now();
    await tick(t0 + MIN);
    expect(await enrollmentsFor(lead)).toMatchObject([{ state: "active", next_position: 2 }]);
    await tick(t0 + 62 * MIN);
    const texts = (await fakeCalls(email)).map((c) => c.body.text);
    expect(texts).toContain("Step two");
    expect(await enrollmentsFor(lead)).toMatchObject([{ state: "done" }]);
  });
});
