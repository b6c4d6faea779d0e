import { describe, expect, it } from "vitest";
import type { SequenceJson } from "../support/response-json";
import { call, submit, testDb } from "../support/workers/harness";
import { eventually, fakeCalls, scriptFake, tick } from "../support/workers/outbox-harness";
import {
  graphSendsTo,
  postWebhook,
  repOnWhatsapp,
  retarget,
  STATUS_FIXTURES,
  type TestNumber,
  uniqueSuffix,
  uniqueWaId,
  waFixture,
  waLeads,
  waOutbox,
  workspaceWithNumber,
} from "../support/workers/whatsapp-harness";

const HOUR = 3_600_000;

/** A prospect writes (opens the window, creates the lead); returns the lead and the auto-reply row once settled. */
async function prospectWrites(num: TestNumber, wa = uniqueWaId()) {
  const payload = retarget(await waFixture("message_text"), num, { waId: wa }, uniqueSuffix());
  expect((await postWebhook(num, payload)).status).toBe(200);
  const lead = (await waLeads(num.ws.id)).find((l) => l.whatsapp_id === wa)!;
  return { wa, lead };
}

async function autoReply(leadId: string) {
  return eventually(async () => {
    const row = (
      await testDb().execute({ sql: `SELECT * FROM outbox WHERE lead_id = ? AND kind = 'auto_reply'`, args: [leadId] })
    ).rows[0];
    // Settled: sent/failed/skipped, or pending after a recorded attempt (not while a send holds the lease).
    if (!row || (row.state === "pending" && (Number(row.attempts) === 0 || row.lease_until !== null)))
      throw new Error("auto-reply not settled yet");
    return row as Record<string, any>;
  });
}

describe("whatsapp sender: window, templates, Graph errors", () => {
  it("131047 from Meta (window closed after all) switches to the configured template; sent once", async () => {
    const num = await workspaceWithNumber({
      autoReplyText: "Hi {name}!",
      templates: { auto_reply: { name: "welcome_back", language: "en_US", parameters: ["{name}"] } },
    });
    const wa = uniqueWaId();
    await scriptFake(wa, ["wa_131047"]);
    const { lead } = await prospectWrites(num, wa);
    const sends = await graphSendsTo(wa, 2);
    expect(sends[0]).toMatchObject({ answered: 400, body: { type: "text" } });
    expect(sends[1]!.body).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: wa,
      type: "template",
      template: {
        name: "welcome_back",
        language: { code: "en_US" },
        components: [{ type: "body", parameters: [{ type: "text", text: "Dana Reyes" }] }],
      },
    });
    expect(await autoReply(lead.id)).toMatchObject({ state: "sent" });
  });

  it("131047 without a template: failed, recorded, never retried", async () => {
    const num = await workspaceWithNumber({ autoReplyText: "Hi!" });
    const wa = uniqueWaId();
    await scriptFake(wa, ["wa_131047"]);
    const { lead } = await prospectWrites(num, wa);
    const row = await autoReply(lead.id);
    expect(row).toMatchObject({ state: "failed" });
    expect(row.last_error).toMatch(/131047.*Re-engagement/);
    await tick(Date.now() + 2 * HOUR);
    expect((await fakeCalls(wa)).length).toBe(1);
  });

  it("131056 (pair rate limit) and 130429 (throughput) retried after the wait, not before; sent once", async () => {
    for (const [code, wait, pattern] of [
      ["wa_131056", 60_000, /pair rate limit: 131056/],
      ["wa_130429", 30_000, /rate limited: 130429/],
    ] as const) {
      const num = await workspaceWithNumber({ autoReplyText: "Hi!" });
      const wa = uniqueWaId();
      await scriptFake(wa, [code]);
      const before = Date.now();
      const { lead } = await prospectWrites(num, wa);
      const row = await autoReply(lead.id);
      expect(row, code).toMatchObject({ state: "pending" });
      expect(row.last_error, code).toMatch(pattern);
      expect(Number(row.due_at) - before, code).toBeGreaterThanOrEqual(wait);
      await tick(Number(row.due_at) - 1000);
      expect((await fakeCalls(wa)).length, code).toBe(1);
      await tick(Number(row.due_at) + 1000);
      expect((await autoReply(lead.id)).state, code).toBe("sent");
      await tick(Number(row.due_at) + HOUR);
      expect((await fakeCalls(wa)).length, code).toBe(2);
    }
  });

  it("a rejected token (401 / code 190) fails the row without retrying, so it does not hammer Meta", async () => {
    const num = await workspaceWithNumber({ autoReplyText: "Hi!" });
    const wa = uniqueWaId();
    await scriptFake(wa, ["wa_190"]);
    const { lead } = await prospectWrites(num, wa);
    const row = await autoReply(lead.id);
    expect(row).toMatchObject({ state: "failed" });
    expect(row.last_error).toMatch(/reconnect the number: 190/);
    await tick(Date.now() + 3 * HOUR);
    expect((await fakeCalls(wa)).length).toBe(1);
  });

  it("free text outside the window: skipped and recorded locally, never sent; a configured template goes", async () => {
    const num = await workspaceWithNumber();
    const seq = await call<SequenceJson>("POST", "/api/v1/sequences", {
      key: num.ws.key,
      body: {
        name: "Nudge",
        source: "whatsapp",
        quietStart: null,
        quietEnd: null,
        steps: [{ delayMinutes: 25 * 60, sender: "whatsapp", text: "Still interested, {name}?" }],
      },
    });
    expect(seq.status).toBe(201);
    const { wa, lead } = await prospectWrites(num);
    await tick(Date.now() + 26 * HOUR);
    const [followUp] = (await waOutbox(num.ws.id)).filter((r) => r.kind === "follow_up");
    expect(followUp).toMatchObject({
      state: "skipped",
      last_error: "outside the 24-hour window and the step has no template",
      lead_id: lead.id,
    });
    expect((await fakeCalls(wa)).length).toBe(0);

    // Same, on a number with a `follow_up` template: the step goes out as that template.
    const num2 = await workspaceWithNumber({
      templates: { follow_up: { name: "still_interested", language: "pt_BR", parameters: ["{name}", "{rep_name}"] } },
    });
    const seq2 = await call<SequenceJson>("POST", "/api/v1/sequences", {
      key: num2.ws.key,
      body: {
        name: "Nudge",
        source: "whatsapp",
        quietStart: null,
        quietEnd: null,
        steps: [{ delayMinutes: 25 * 60, sender: "whatsapp", text: "Still interested, {name}?" }],
      },
    });
    expect(seq2.status).toBe(201);
    const p2 = await prospectWrites(num2);
    await tick(Date.now() + 26 * HOUR);
    const [sent] = await graphSendsTo(p2.wa, 1);
    expect(sent!.body.type).toBe("template");
    expect(sent!.body.template.name).toBe("still_interested");
    expect(sent!.body.template.language).toEqual({ code: "pt_BR" });
    expect(sent!.body.template.components[0].parameters[0]).toEqual({ type: "text", text: "Dana Reyes" });
    // The owner when the step went out (the SLA sweep of that tick may have moved the lead).
    const owner = (await waLeads(num2.ws.id))[0]!.owner_rep_id;
    const repName = num2.ws.reps.find((r) => r.id === owner)!.name;
    expect(sent!.body.template.components[0].parameters[1]).toEqual({ type: "text", text: repName });
  });

  it("inside the window a follow-up goes as free text", async () => {
    const num = await workspaceWithNumber();
    await call<SequenceJson>("POST", "/api/v1/sequences", {
      key: num.ws.key,
      body: {
        name: "Soon",
        source: "whatsapp",
        quietStart: null,
        quietEnd: null,
        steps: [{ delayMinutes: 60, sender: "whatsapp", text: "Any questions, {name}?" }],
      },
    });
    const { wa } = await prospectWrites(num);
    await tick(Date.now() + 2 * HOUR);
    const [sent] = await graphSendsTo(wa, 1);
    expect(sent!.body).toMatchObject({ type: "text", text: { body: "Any questions, Dana Reyes?" } });
  });

  it("send-time window check: a free-text row that waited past the window is skipped, not sent", async () => {
    const num = await workspaceWithNumber({ autoReplyText: "Hi!" });
    const wa = uniqueWaId();
    await scriptFake(wa, ["wa_500"]);
    const { lead } = await prospectWrites(num, wa);
    expect((await autoReply(lead.id)).state).toBe("pending");
    await tick(Date.now() + 25 * HOUR);
    const row = await autoReply(lead.id);
    expect(row).toMatchObject({ state: "skipped" });
    expect(row.last_error).toMatch(/outside the WhatsApp 24-hour window and no "auto_reply" template/);
    expect((await fakeCalls(wa)).length).toBe(1);
  });

  it("a form lead's phone gets the number's auto_reply template (it never wrote, so only a template)", async () => {
    const num = await workspaceWithNumber({
      templates: { auto_reply: { name: "thanks_for_asking", language: "en_US", parameters: ["{name}", "{form}"] } },
    });
    const wa = uniqueWaId();
    expect(
      (
        await submit(num.ws.form.publicKey, {
          name: "Ada Form",
          phone: `+${wa}`,
          email: `ada-${uniqueSuffix()}@example.com`,
        })
      ).status,
    ).toBe(200);
    const [sent] = await graphSendsTo(wa, 1);
    expect(sent!.body.template).toEqual({
      name: "thanks_for_asking",
      language: { code: "en_US" },
      components: [
        {
          type: "body",
          parameters: [
            { type: "text", text: "Ada Form" },
            { type: "text", text: "Contact us" },
          ],
        },
      ],
    });
    const rows = (await waOutbox(num.ws.id)).filter((r) => r.kind === "auto_reply");
    expect(rows.map((r) => r.sender)).toEqual(["whatsapp"]);
  });

  it("a rep alert outside the rep's window uses the rep_alert template, its text in one line", async () => {
    const num = await workspaceWithNumber({
      templates: { rep_alert: { name: "new_lead", language: "en_US", parameters: ["{text}"] } },
    });
    const phones = [await repOnWhatsapp(num, num.ws.reps[0]!.id), await repOnWhatsapp(num, num.ws.reps[1]!.id)];
    const { lead } = await prospectWrites(num);
    const owner = phones[num.ws.reps.findIndex((r) => r.id === lead.owner_rep_id)]!;
    const [sent] = await graphSendsTo(owner, 1);
    expect(sent!.body.template.name).toBe("new_lead");
    const param = sent!.body.template.components[0].parameters[0].text as string;
    expect(param).not.toMatch(/\n/);
    expect(param).toContain("New lead (whatsapp): Dana Reyes");
    expect(param).toContain(" \u00b7 Message: Do you install garden lighting?");
  });
});

describe("whatsapp statuses", () => {
  async function statusFor(num: TestNumber, fixture: string, messageId: string, wa: string) {
    const p = retarget(await waFixture(fixture), num, { waId: wa }, "x");
    p.entry[0].changes[0].value.statuses[0].id = messageId;
    return p;
  }

  it("sent / delivered / read, out of order and replayed, update the row; `sent` never downgrades `read`", async () => {
    const num = await workspaceWithNumber({ autoReplyText: "Hi!" });
    const { lead, wa } = await prospectWrites(num);
    const row = await autoReply(lead.id);
    const mid = String(row.provider_message_id);
    expect(mid).toMatch(/^wamid\./);
    for (const f of ["status_read", "status_delivered", "status_sent", "status_read"]) {
      expect((await postWebhook(num, await statusFor(num, f, mid, wa))).status).toBe(200);
    }
    const after = await autoReply(lead.id);
    expect(after).toMatchObject({ state: "sent", delivery_status: "read", delivery_error: null });
    const history = await testDb().execute({
      sql: `SELECT status FROM whatsapp_status WHERE channel_id = ? AND message_id = ? ORDER BY status`,
      args: [num.channelId, mid],
    });
    expect(history.rows.map((r) => r.status)).toEqual(["delivered", "read", "sent"]);
  });

  it("failed records Meta's errors on the row (and never goes back to delivered)", async () => {
    const num = await workspaceWithNumber({ autoReplyText: "Hi!" });
    const { lead, wa } = await prospectWrites(num);
    const mid = String((await autoReply(lead.id)).provider_message_id);
    await postWebhook(num, await statusFor(num, "status_failed", mid, wa));
    await postWebhook(num, await statusFor(num, "status_delivered", mid, wa));
    const row = await autoReply(lead.id);
    expect(row.delivery_status).toBe("failed");
    expect(JSON.parse(row.delivery_error)[0]).toMatchObject({ code: 131049 });
    expect(row.last_error).toMatch(/131049/);
  });

  it("a status that arrives before the send recorded its message id is applied when it does", async () => {
    const num = await workspaceWithNumber({ autoReplyText: "Hi!" });
    const wa = uniqueWaId();
    const mid = `wamid.EARLY${uniqueSuffix()}`;
    await scriptFake(wa, ["wa_500", `wamid:${mid}`]);
    const { lead } = await prospectWrites(num, wa);
    expect((await autoReply(lead.id)).state).toBe("pending");
    // Meta's `delivered` for the retry's message races ahead of our record of the send.
    expect((await postWebhook(num, await statusFor(num, "status_delivered", mid, wa))).status).toBe(200);
    await tick(Date.now() + HOUR);
    expect(await autoReply(lead.id)).toMatchObject({
      state: "sent",
      provider_message_id: mid,
      delivery_status: "delivered",
    });
  });

  it("every status fixture is accepted (played, group, with tracker; BSUID recipients)", async () => {
    const num = await workspaceWithNumber();
    for (const f of STATUS_FIXTURES) {
      const p = retarget(await waFixture(f), num, {}, uniqueSuffix());
      const res = await postWebhook(num, p);
      expect(res.status, f).toBe(200);
      expect(res.json.statuses, f).toBe(1);
    }
    const n = await testDb().execute({
      sql: `SELECT count(*) AS n FROM whatsapp_status WHERE channel_id = ?`,
      args: [num.channelId],
    });
    expect(Number(n.rows[0]!.n)).toBe(STATUS_FIXTURES.length);
  });
});
