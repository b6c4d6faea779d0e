import { describe, expect, it } from "vitest";
import type { LeadDetailJson, RepJson, SequenceJson } from "../support/response-json";
import { call, testDb } from "../support/workers/harness";
import { eventually, fakeCalls, tick } from "../support/workers/outbox-harness";
import {
  graphSendMatching,
  graphSendsTo,
  leadWithWhatsappReps,
  postWebhook,
  repOnWhatsapp,
  retarget,
  type TestNumber,
  uniqueSuffix,
  uniqueWaId,
  waEvents,
  waFixture,
  waLeads,
  waOutbox,
  waState,
  workspaceWithNumber,
} from "../support/workers/whatsapp-harness";

const setup = () => leadWithWhatsappReps();

/** The rep taps a reply button / list row (the fixture with our reply id). */
async function tap(num: TestNumber, from: string, fixture: string, replyId: string) {
  const p = retarget(await waFixture(fixture), num, { waId: from }, uniqueSuffix());
  const m = p.entry[0].changes[0].value.messages[0];
  if (m.interactive?.button_reply) m.interactive.button_reply.id = replyId;
  if (m.interactive?.list_reply) m.interactive.list_reply.id = replyId;
  expect((await postWebhook(num, p)).status).toBe(200);
}

const alertOf = async (leadId: string) =>
  eventually(async () => {
    const row = (
      await testDb().execute({
        sql: `SELECT * FROM outbox WHERE lead_id = ? AND kind = 'rep_alert' AND state = 'sent'`,
        args: [leadId],
      })
    ).rows[0];
    if (!row) throw new Error("alert not sent yet");
    return row as Record<string, any>;
  });

describe("whatsapp: reps without Telegram", () => {
  it("the alert has 3 reply buttons; a tap acts like the Telegram buttons; More actions lists all 7", async () => {
    const { num, lead, owner, ownerRep } = await setup();
    // (Each rep's first message got the help text; the alert is the interactive message.)
    const alert = await graphSendMatching(owner, (b) => b.type === "interactive");
    expect(alert.body.interactive.type).toBe("button");
    expect(alert.body.interactive.body.text).toMatch(/New lead \(whatsapp\): Dana Reyes/);
    expect(alert.body.interactive.action.buttons.map((b: any) => [b.reply.id, b.reply.title])).toEqual([
      [`l:claim:${lead.id}`, "Claim"],
      [`l:contacted:${lead.id}`, "Contacted"],
      [`l:more:${lead.id}`, "More actions"],
    ]);

    await tap(num, owner, "interactive_button_reply", `l:contacted:${lead.id}`);
    const after = (await waLeads(num.ws.id)).find((l) => l.id === lead.id)!;
    expect(after.status).toBe("contacted");
    expect(after.first_response_at).not.toBeNull();
    expect((await waEvents(lead.id)).find((e) => e.type === "status_changed")).toMatchObject({
      actor_type: "rep",
      actor_id: ownerRep.id,
    });
    await graphSendMatching(owner, (b) => b.text?.body === "Contacted \u2713 Dana Reyes \u00b7 status: contacted");

    await tap(num, owner, "interactive_button_reply", `l:more:${lead.id}`);
    const list = (await graphSendMatching(owner, (b) => b.interactive?.type === "list")).body.interactive;
    expect(list.type).toBe("list");
    expect(list.action.sections[0].rows.map((r: any) => r.title)).toEqual([
      "Claim",
      "Contacted",
      "Qualified",
      "Won",
      "Lost",
      "Snooze 1h",
      "Pass",
    ]);
    expect(list.action.sections[0].rows.every((r: any) => r.title.length <= 24 && r.id.length <= 200)).toBe(true);

    await tap(num, owner, "interactive_list_reply", `l:won:${lead.id}`);
    expect((await waLeads(num.ws.id)).find((l) => l.id === lead.id)!.status).toBe("won");

    await tap(num, owner, "interactive_list_reply", `l:snooze:${lead.id}`);
    const reminder = (await waOutbox(num.ws.id)).find((r) => r.kind === "reminder")!;
    expect(reminder).toMatchObject({ sender: "whatsapp", recipient: owner, state: "pending" });
  });

  it("another rep's tap changes nothing and is told why", async () => {
    const { num, lead, other } = await setup();
    await tap(num, other, "interactive_button_reply", `l:qualified:${lead.id}`);
    expect((await waLeads(num.ws.id)).find((l) => l.id === lead.id)!.status).toBe("new");
    await graphSendMatching(other, (b) => b.text?.body === "Qualified: not done. This lead belongs to another rep.");
  });

  it("a rep's reply to the alert (context.id) reaches the prospect, is recorded, is the first response", async () => {
    const { num, wa, lead, owner, ownerRep } = await setup();
    const alert = await alertOf(lead.id);
    const reply = retarget(await waFixture("message_reply"), num, { waId: owner }, uniqueSuffix());
    reply.entry[0].changes[0].value.messages[0].context.id = alert.provider_message_id;
    reply.entry[0].changes[0].value.messages[0].text.body = "Hi! I can call you at 3pm {name}.";
    expect((await postWebhook(num, reply)).status).toBe(200);
    const toProspect = await graphSendMatching(wa, (b) => String(b.text?.body).startsWith("Hi! I can call"));
    expect(toProspect.body.text.body).toBe("Hi! I can call you at 3pm {name}.");
    const event = (await waEvents(lead.id)).find((e) => e.type === "message" && e.actor_type === "rep")!;
    expect(event).toMatchObject({ actor_id: ownerRep.id });
    expect(event.data).toMatchObject({ channel: "whatsapp", direction: "out" });
    // The first response is recorded once the send's answer is stored, just after the fake API saw the send.
    const after = await eventually(async () => {
      const row = (await waLeads(num.ws.id)).find((l) => l.id === lead.id)!;
      expect(row.first_response_at).not.toBeNull();
      return row;
    });
    expect(after.sla_due_at).toBeNull();
    // Anything else from a rep gets the help text.
    await postWebhook(num, retarget(await waFixture("message_image"), num, { waId: owner }, uniqueSuffix()));
    // Once for the rep's first message (setup), once for the image.
    await eventually(async () =>
      expect(
        (await fakeCalls(owner)).filter((c) => String(c.body.text?.body).startsWith("Tap the buttons of a lead alert"))
          .length,
      ).toBe(2),
    );
  });

  it("a lead the owner hands to a named rep alerts that rep on WhatsApp, with the buttons", async () => {
    const { num, lead, other } = await setup();
    const to = num.ws.reps.find((r) => r.id !== lead.owner_rep_id)!;
    expect(
      (
        await call<LeadDetailJson>("POST", `/api/v1/leads/${lead.id}/assign`, {
          key: num.ws.key,
          body: { repId: to.id },
        })
      ).status,
    ).toBe(200);
    const alert = await graphSendMatching(
      other,
      (b) => b.type === "interactive" && /now yours/.test(String(b.interactive?.body?.text)),
    );
    expect(alert.body.interactive.action.buttons[0].reply.id).toBe(`l:claim:${lead.id}`);
  });

  it("a rep with a linked Telegram chat is alerted on Telegram only", async () => {
    const num = await workspaceWithNumber();
    const { uniqueChatId, addTelegramChannel } = await import("../support/workers/outbox-harness");
    await addTelegramChannel(num.ws.id, {});
    for (const r of num.ws.reps) {
      await repOnWhatsapp(num, r.id);
      await call<RepJson>("PATCH", `/api/v1/reps/${r.id}`, {
        key: num.ws.key,
        body: { telegramChatId: uniqueChatId() },
      });
    }
    await postWebhook(num, retarget(await waFixture("message_text"), num, { waId: uniqueWaId() }, uniqueSuffix()));
    const alerts = (await waOutbox(num.ws.id)).filter((r) => r.kind === "rep_alert");
    expect(alerts.map((a) => a.sender)).toEqual(["telegram"]);
  });
});

describe("whatsapp: STOP and the consent ledger", () => {
  it("STOP opts out everywhere and confirms, later sends skipped; START opts back in; replays no-op", async () => {
    const num = await workspaceWithNumber();
    await call<SequenceJson>("POST", "/api/v1/sequences", {
      key: num.ws.key,
      body: {
        name: "Nudge",
        source: "whatsapp",
        quietStart: null,
        quietEnd: null,
        steps: [{ delayMinutes: 60, sender: "whatsapp", text: "Still there?" }],
      },
    });
    const wa = uniqueWaId();
    await postWebhook(num, retarget(await waFixture("message_text"), num, { waId: wa }, uniqueSuffix()));
    const [lead] = await waLeads(num.ws.id);
    const stop = retarget(await waFixture("message_text"), num, { waId: wa }, uniqueSuffix());
    stop.entry[0].changes[0].value.messages[0].text.body = " Stop. ";
    expect((await postWebhook(num, stop)).status).toBe(200);

    const ledger = async () =>
      (
        await testDb().execute({
          sql: `SELECT action, source, address, message_id, text FROM consent_event WHERE lead_id = ?
            ORDER BY created_at, id`,
          args: [lead!.id],
        })
      ).rows;
    expect(await ledger()).toEqual([
      {
        action: "opt_out",
        source: "whatsapp",
        address: wa,
        message_id: stop.entry[0].changes[0].value.messages[0].id,
        text: " Stop. ",
      },
    ]);
    expect((await waLeads(num.ws.id))[0]!.opted_out_at).not.toBeNull();
    const enrol = await testDb().execute({
      sql: `SELECT state, stop_reason FROM sequence_enrollment WHERE lead_id = ?`,
      args: [lead!.id],
    });
    expect(enrol.rows[0]).toMatchObject({ state: "stopped", stop_reason: "opted_out" });
    expect((await graphSendsTo(wa, 1)).at(-1)!.body.text.body).toMatch(/^You are unsubscribed/);

    // Replayed three times: one ledger row, one confirmation.
    const before = await waState(num);
    for (let i = 0; i < 3; i++) expect((await postWebhook(num, stop)).status).toBe(200);
    expect(await waState(num)).toEqual(before);

    // A follow-up to the prospect now is skipped, not sent.
    await testDb().execute({
      sql: `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload,
            idempotency_key, state, attempts, due_at, created_at, updated_at)
            VALUES (?, ?, ?, 'follow_up', 'whatsapp', ?, ?, '{"text":"Hello?"}', ?, 'pending', 0, ?, ?, ?)`,
      args: [
        `obx_t${uniqueSuffix()}`,
        num.ws.id,
        lead!.id,
        num.channelId,
        wa,
        `t:${uniqueSuffix()}`,
        Date.now(),
        Date.now(),
        Date.now(),
      ],
    });
    await tick(Date.now() + 1000);
    expect((await waOutbox(num.ws.id)).find((r) => r.kind === "follow_up")).toMatchObject({
      state: "skipped",
      last_error: "prospect opted out",
    });

    const start = retarget(await waFixture("message_text"), num, { waId: wa }, uniqueSuffix());
    start.entry[0].changes[0].value.messages[0].text.body = "START";
    await postWebhook(num, start);
    expect((await ledger()).map((r) => r.action)).toEqual(["opt_out", "opt_in"]);
    expect((await waLeads(num.ws.id))[0]!.opted_out_at).toBeNull();
  });

  it("the template's Unsubscribe quick-reply button opts out", async () => {
    const num = await workspaceWithNumber();
    const wa = uniqueWaId();
    await postWebhook(num, retarget(await waFixture("message_text"), num, { waId: wa }, uniqueSuffix()));
    expect(
      (await postWebhook(num, retarget(await waFixture("button_unsubscribe"), num, { waId: wa }, uniqueSuffix())))
        .status,
    ).toBe(200);
    const [lead] = await waLeads(num.ws.id);
    expect(lead!.opted_out_at).not.toBeNull();
    const rows = await testDb().execute({
      sql: `SELECT action, text FROM consent_event WHERE lead_id = ?`,
      args: [lead!.id],
    });
    expect(rows.rows).toEqual([{ action: "opt_out", text: "Unsubscribe" }]);
  });

  it("STOP as the very first message: the lead is recorded and opted out, and gets no auto-reply", async () => {
    const num = await workspaceWithNumber({ autoReplyText: "Hi!" });
    const wa = uniqueWaId();
    const stop = retarget(await waFixture("message_text"), num, { waId: wa }, uniqueSuffix());
    stop.entry[0].changes[0].value.messages[0].text.body = "STOP";
    expect((await postWebhook(num, stop)).status).toBe(200);
    await tick(Date.now() + 1000);
    const auto = (await waOutbox(num.ws.id)).find((r) => r.kind === "auto_reply")!;
    expect(auto).toMatchObject({ state: "skipped", last_error: "prospect opted out" });
    const sends = await graphSendsTo(wa, 1);
    expect(sends.map((c) => c.body.text.body)).toEqual([expect.stringMatching(/^You are unsubscribed/)]);
  });
});
