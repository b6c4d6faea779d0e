import { describe, expect, it } from "vitest";
import { dailyDigest } from "../../workers/cron/daily-digest";
import { optOutLead } from "../../workers/domain/capture/opt-out";
import { createSenders } from "../../workers/outbox/senders";
import type { LeadDetailJson, LeadJson, ListJson, SequenceJson } from "../support/response-json";
import { call, seedWorkspace, submit, testDb, uniqueEmail } from "../support/workers/harness";
import {
  addTelegramChannel,
  domainContext,
  enrollmentsFor,
  fakeCalls,
  tick,
  uniqueChatId,
} from "../support/workers/outbox-harness";

const HOUR = 3_600_000;

describe("cron jobs", () => {
  it("sends one daily digest per workspace and local day to the owner's chat", async () => {
    const ws = await seedWorkspace(); // America/New_York
    const ownerChat = uniqueChatId();
    await addTelegramChannel(ws.id, { ownerChatId: ownerChat });
    await submit(ws.form.publicKey, { name: "Dee", email: uniqueEmail() });

    // Tomorrow 15:00 UTC is 10:00 or 11:00 in New York: past the digest hour.
    const morning = new Date(Date.now() + 24 * HOUR);
    morning.setUTCHours(15, 0, 0, 0);
    await tick(morning.getTime());
    await tick(morning.getTime() + HOUR);
    await tick(morning.getTime() + 5 * HOUR);
    const calls = await fakeCalls(ownerChat);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body.text).toMatch(
      new RegExp(
        String.raw`^LeadRelay daily digest \(\d{4}-\d{2}-\d{2}\): \d+ new leads in the last 24 h, ` +
          String.raw`1 still waiting for a first response, 0 won\.$`,
      ),
    );
    const rows = await testDb().execute({
      sql: `SELECT idempotency_key FROM outbox WHERE workspace_id = ? AND kind = 'digest'`,
      args: [ws.id],
    });
    expect(rows.rows.map((r) => r.idempotency_key)).toEqual([
      `digest:${ws.id}:${calls[0]!.body.text.match(/\((.+?)\)/)[1]}`,
    ]);
  });

  it("the digest job runs alone and is idempotent: a second run the same day writes nothing", async () => {
    const ws = await seedWorkspace();
    await addTelegramChannel(ws.id, { ownerChatId: uniqueChatId() });
    const at = new Date(Date.now() + 2 * 24 * HOUR);
    at.setUTCHours(16, 0, 0, 0);
    const ctx = domainContext(() => at.getTime());
    const senders = createSenders(ctx.config, ctx.channels);
    await dailyDigest.run({ ctx, senders });
    await dailyDigest.run({ ctx, senders });
    const rows = await testDb().execute({
      sql: `SELECT state FROM outbox WHERE workspace_id = ? AND kind = 'digest'`,
      args: [ws.id],
    });
    expect(rows.rows.map((r) => r.state)).toEqual(["pending"]);
  });

  it("an opt-out stops the lead's sequence before its next step", async () => {
    const ws = await seedWorkspace();
    await call<SequenceJson>("POST", "/api/v1/sequences", {
      key: ws.key,
      body: {
        name: "S",
        quietStart: null,
        quietEnd: null,
        steps: [{ delayMinutes: 5, sender: "email", text: "Hi {name}" }],
      },
    });
    const email = uniqueEmail();
    await submit(ws.form.publicKey, { name: "Otto", email });
    const lead = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key })).json.data[0]!;
    const scope = { ctx: domainContext(), workspace: { id: ws.id, defaultCountry: "US" } };
    const first = await optOutLead(scope, lead.id);
    expect(await optOutLead(scope, lead.id)).toBe(first);
    await tick(Date.now() + 10 * 60_000);
    expect(await fakeCalls(email)).toHaveLength(0);
    expect(await enrollmentsFor(lead.id)).toMatchObject([{ state: "stopped", stop_reason: "opted_out" }]);
    expect((await call<LeadDetailJson>("GET", `/api/v1/leads/${lead.id}`, { key: ws.key })).json.lead.optedOutAt).toBe(
      first,
    );
  });

  it("runs the SLA sweep in the tick: a lead nobody picked up moves on instead of failing the tick", async () => {
    const ws = await seedWorkspace();
    // Other files' leads share this database and would take the sweep's 50 slots first.
    await testDb().execute({
      sql: `UPDATE lead SET sla_due_at = NULL WHERE workspace_id <> ? AND sla_due_at IS NOT NULL`,
      args: [ws.id],
    });
    const email = uniqueEmail();
    await submit(ws.form.publicKey, { name: "Sly", email });
    const lead = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key })).json.data[0]!;
    expect(lead.ownerRepId).not.toBeNull();
    await tick(Date.now() + 7 * 24 * HOUR); // long past any SLA deadline
    const detail = await call<LeadDetailJson>("GET", `/api/v1/leads/${lead.id}`, { key: ws.key });
    expect(
      detail.json.events
        .map((e: { type: string }) => e.type)
        .some((t: string) => t === "reassigned" || t === "escalated"),
    ).toBe(true);
  });
});
