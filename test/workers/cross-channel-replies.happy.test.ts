import { describe, expect, it } from "vitest";
import { testDb } from "../support/workers/harness";
import { eventually, tick } from "../support/workers/outbox-harness";
import {
  eventsOf,
  fixtureUpdate,
  leadsOf,
  linkRep,
  nextUpdateId,
  postUpdate,
  sentTo,
  retarget as tgRetarget,
  uniqueChatId,
  workspaceWithBot,
} from "../support/workers/telegram-harness";
import {
  graphSendMatching,
  postWebhook,
  repOnWhatsapp,
  uniqueSuffix,
  uniqueWaId,
  waFixture,
  retarget as waRetarget,
  workspaceWithNumber,
} from "../support/workers/whatsapp-harness";

/**
 * A workspace with both a Telegram bot and a WhatsApp number: a rep answers in the app they use, and the
 * answer reaches the prospect in the app the prospect used ("relayed to the prospect on the lead's channel").
 */

/** The sent alert of a lead, with the message id its app gave it (what a reply points at). */
const sentAlert = (leadId: string) =>
  eventually(async () => {
    const rs = await testDb().execute({
      sql: `SELECT sender, recipient, provider_message_id FROM outbox WHERE lead_id = ? AND kind = 'rep_alert'
        AND state = 'sent'`,
      args: [leadId],
    });
    if (rs.rows.length !== 1) throw new Error(`alerts sent: ${rs.rows.length}`);
    return rs.rows[0] as unknown as { sender: string; recipient: string; provider_message_id: string };
  });

describe("rep replies across channels", () => {
  it("a Telegram rep answers a WhatsApp prospect: sent on WhatsApp, recorded with both apps", async () => {
    const bot = await workspaceWithBot();
    const num = await workspaceWithNumber({}, bot.ws);
    for (const rep of bot.ws.reps) await linkRep(bot, rep.id);
    const wa = uniqueWaId();
    expect(
      (await postWebhook(num, waRetarget(await waFixture("message_text"), num, { waId: wa }, uniqueSuffix()))).status,
    ).toBe(200);
    const lead = (await leadsOf(bot.ws.id)).find((l) => l.whatsapp_id === wa)!;
    const alert = await sentAlert(lead.id);
    expect(alert.sender).toBe("telegram");

    const reply = tgRetarget(await fixtureUpdate("reply"), alert.recipient, nextUpdateId());
    reply.message.text = "Hello from Telegram, calling you at 3pm";
    reply.message.reply_to_message.message_id = Number(alert.provider_message_id);
    reply.message.reply_to_message.chat.id = Number(alert.recipient);
    expect((await postUpdate(bot, reply, bot.secret)).status).toBe(200);

    const toProspect = await graphSendMatching(wa, (b) => b.text?.body === "Hello from Telegram, calling you at 3pm");
    expect(toProspect.path).toBe(`/graph/${num.phoneNumberId}/messages`);
    const event = (await eventsOf(lead.id)).find((e) => e.type === "message" && e.actor_type === "rep")!;
    expect(JSON.parse(event.data)).toMatchObject({ channel: "whatsapp", via: "telegram", direction: "out" });
    // Recorded once the send's answer is stored, just after the fake API saw the send.
    await eventually(async () =>
      expect((await leadsOf(bot.ws.id)).find((l) => l.id === lead.id)!.first_response_at).not.toBeNull(),
    );
    // Redelivered by Telegram: no second message to the prospect.
    expect((await postUpdate(bot, reply, bot.secret)).status).toBe(200);
    await tick(Date.now());
    const rows = await testDb().execute({
      sql: `SELECT count(*) AS n FROM outbox WHERE lead_id = ? AND kind = 'rep_reply'`,
      args: [lead.id],
    });
    expect(Number(rows.rows[0]!.n)).toBe(1);
  });

  it("a rep on WhatsApp answers a Telegram prospect: the reply goes out through the bot", async () => {
    const bot = await workspaceWithBot();
    const num = await workspaceWithNumber({}, bot.ws);
    // Reps on WhatsApp only, each with an open 24-hour window (they wrote to the number), so alerts reach them.
    const phones = [await repOnWhatsapp(num, bot.ws.reps[0]!.id), await repOnWhatsapp(num, bot.ws.reps[1]!.id)];
    for (const p of phones)
      await postWebhook(num, waRetarget(await waFixture("message_text"), num, { waId: p }, uniqueSuffix()));
    const user = uniqueChatId();
    expect(
      (await postUpdate(bot, tgRetarget(await fixtureUpdate("start"), user, nextUpdateId()), bot.secret)).status,
    ).toBe(200);
    const lead = (await leadsOf(bot.ws.id)).find((l) => l.telegram_user_id === user)!;
    const alert = await sentAlert(lead.id);
    expect(alert.sender).toBe("whatsapp");

    const before = (await sentTo(user, 1)).length;
    const reply = waRetarget(await waFixture("message_reply"), num, { waId: alert.recipient }, uniqueSuffix());
    reply.entry[0].changes[0].value.messages[0].context.id = alert.provider_message_id;
    reply.entry[0].changes[0].value.messages[0].text.body = "Hello from WhatsApp";
    expect((await postWebhook(num, reply)).status).toBe(200);

    const sends = await sentTo(user, before + 1);
    expect(sends.at(-1)!.body.text).toBe("Hello from WhatsApp");
    expect(sends.at(-1)!.path).toContain(`/bot${bot.token}/`);
    const event = (await eventsOf(lead.id)).find((e) => e.type === "message" && e.actor_type === "rep")!;
    expect(JSON.parse(event.data)).toMatchObject({ channel: "telegram", via: "whatsapp", direction: "out" });
  });
});
