import { describe, expect, it } from "vitest";
import type { LeadDetailJson } from "../support/response-json";
import { call, testDb } from "../support/workers/harness";
import { eventually, scriptFake } from "../support/workers/outbox-harness";
import {
  deliver,
  eventsOf,
  leadsOf,
  leadWithAlert,
  sentTo,
  textFrom,
  workspaceWithBot,
} from "../support/workers/telegram-harness";
import {
  graphSendMatching,
  leadWithWhatsappReps,
  postWebhook,
  retarget,
  uniqueSuffix,
  waFixture,
  waLeads,
} from "../support/workers/whatsapp-harness";

/** Every outbox row to `recipient` has left `pending` (the bot's prompts after /start, say). */
const settledTo = (recipient: string) =>
  eventually(async () => {
    const rs = await testDb().execute({
      sql: `SELECT count(*) AS n FROM outbox WHERE recipient = ? AND state = 'pending'`,
      args: [recipient],
    });
    if (Number(rs.rows[0]!.n) > 0) throw new Error(`rows to ${recipient} still pending`);
  });

const replyRow = (leadId: string) =>
  eventually(async () => {
    const row = (
      await testDb().execute({ sql: `SELECT * FROM outbox WHERE lead_id = ? AND kind = 'rep_reply'`, args: [leadId] })
    ).rows[0];
    if (!row || row.state === "pending") throw new Error("reply not settled");
    return row as Record<string, any>;
  });

describe("a rep's reply that cannot be delivered", () => {
  it("Telegram 403 (blocked): failed, not a first response, on the timeline; the rep is told", async () => {
    const bot = await workspaceWithBot();
    const { user, lead, ownerChat, alertMessageId: alertId } = await leadWithAlert(bot);
    await settledTo(user);
    await scriptFake(user, ["telegram_403"]);
    const slaBefore = lead.sla_due_at;

    const reply = await textFrom(ownerChat, "Hi! When can I call you?", {
      reply_to_message: { message_id: alertId, date: 0, chat: { id: Number(ownerChat), type: "private" } },
    });
    await deliver(bot, reply);
    expect(await replyRow(lead.id)).toMatchObject({ state: "failed" });
    const after = (await leadsOf(bot.ws.id)).find((l) => l.id === lead.id)!;
    expect(after.first_response_at).toBeNull();
    expect(after.sla_due_at).toBe(slaBefore);
    const failed = (await eventsOf(lead.id)).filter((e) => e.type === "delivery_failed");
    expect(failed).toHaveLength(1);
    expect(JSON.parse(failed[0]!.data)).toMatchObject({
      channel: "telegram",
      text: "Hi! When can I call you?",
      error: expect.stringMatching(/blocked/),
    });
    const notice = (await sentTo(ownerChat, 2)).find((c) => /NOT delivered/.test(c.body.text ?? ""));
    expect(notice!.body.text).toMatch(/^Your reply to .+ was NOT delivered \(.*blocked.*\)/);
    const messages = (await call<LeadDetailJson>("GET", `/api/v1/leads/${lead.id}`, { key: bot.ws.key })).json.messages;
    expect(messages.find((m: any) => m.kind === "rep_reply")).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/blocked/),
    });

    // Redelivering the reply's update neither sends nor tells anything twice.
    await deliver(bot, reply);
    await settledTo(ownerChat);
    expect((await sentTo(ownerChat, 2)).filter((c) => /NOT delivered/.test(c.body.text ?? ""))).toHaveLength(1);
  });

  it("WhatsApp window closed and no template: skipped, not a first response, the rep on WhatsApp is told", async () => {
    const { num, wa, lead, owner } = await leadWithWhatsappReps();
    const alert = await eventually(async () => {
      const row = (
        await testDb().execute({
          sql: `SELECT * FROM outbox WHERE lead_id = ? AND kind = 'rep_alert' AND state = 'sent'`,
          args: [lead.id],
        })
      ).rows[0];
      if (!row) throw new Error("alert not sent yet");
      return row as Record<string, any>;
    });
    // The prospect's last message is 25 hours old.
    await testDb().execute({
      sql: `UPDATE whatsapp_window SET last_inbound_at = ? WHERE channel_id = ? AND address = ?`,
      args: [Date.now() - 25 * 3_600_000, num.channelId, wa],
    });
    const reply = retarget(await waFixture("message_reply"), num, { waId: owner }, uniqueSuffix());
    reply.entry[0].changes[0].value.messages[0].context.id = alert.provider_message_id;
    reply.entry[0].changes[0].value.messages[0].text.body = "Still interested?";
    expect((await postWebhook(num, reply)).status).toBe(200);

    expect(await replyRow(lead.id)).toMatchObject({ state: "skipped" });
    expect((await waLeads(num.ws.id)).find((l) => l.id === lead.id)!.first_response_at).toBeNull();
    const notice = await graphSendMatching(owner, (b) => /NOT delivered/.test(String(b.text?.body)));
    expect(notice.body.text.body).toMatch(/window/);
  });

  it("a delivered reply is the first response, from when the rep wrote it", async () => {
    const bot = await workspaceWithBot();
    const { lead, ownerChat, alertMessageId: alertId } = await leadWithAlert(bot);
    const before = Date.now();
    await deliver(
      bot,
      await textFrom(ownerChat, "Hello!", {
        reply_to_message: { message_id: alertId, date: 0, chat: { id: Number(ownerChat), type: "private" } },
      }),
    );
    const row = await replyRow(lead.id);
    expect(row.state).toBe("sent");
    const after = await eventually(async () => {
      const l = (await leadsOf(bot.ws.id)).find((x) => x.id === lead.id)!;
      if (l.first_response_at === null) throw new Error("no first response yet");
      return l;
    });
    expect(Number(after.first_response_at)).toBe(Number(row.created_at));
    expect(Number(after.first_response_at)).toBeGreaterThanOrEqual(before);
    expect(after.sla_due_at).toBeNull();
  });
});

describe("long texts", () => {
  it("a prospect's long WhatsApp message reaches the rep cut visibly, pointing to the lead", async () => {
    const { num, wa, lead, owner } = await leadWithWhatsappReps();
    const long = retarget(await waFixture("message_text"), num, { waId: wa }, uniqueSuffix());
    long.entry[0].changes[0].value.messages[0].text.body = `START ${"details ".repeat(600)}END`;
    expect((await postWebhook(num, long)).status).toBe(200);
    const relay = await graphSendMatching(owner, (b) => String(b.text?.body).startsWith("Message from"));
    const body = String(relay.body.text.body);
    expect(body.length).toBeLessThanOrEqual(4096);
    expect(body).toContain("START details");
    expect(body.endsWith(`…\n(cut at the chat limit; the full text is on lead ${lead.id})`)).toBe(true);
  });
});
