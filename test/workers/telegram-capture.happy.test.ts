import { describe, expect, it } from "vitest";
import { submit, testDb, uniquePhone } from "../support/workers/harness";
import { eventually, fakeCalls } from "../support/workers/outbox-harness";
import {
  deliver,
  eventsOf,
  fixtureUpdate,
  leadsOf,
  linkBothReps,
  messagesTo,
  nextUpdateId,
  outboxOf,
  retarget,
  sentTo,
  startFrom,
  type TestBot,
  textFrom,
  uniqueChatId,
  workspaceWithBot,
} from "../support/workers/telegram-harness";

async function conversationOf(bot: TestBot, chat: string) {
  const rs = await testDb().execute({
    sql: `SELECT * FROM telegram_conversation WHERE channel_id = ? AND chat_id = ?`,
    args: [bot.channelId, chat],
  });
  return rs.rows[0] as Record<string, any> | undefined;
}

/** The prospect's own number, shared with the request_contact button (the fixture, re-addressed). */
async function contactFrom(user: string, phone: string) {
  const u = retarget(await fixtureUpdate("contact_own_phone"), user, nextUpdateId());
  u.message.contact.phone_number = phone.slice(1); // Telegram usually sends it without the "+"
  return u;
}

const kinds = (rows: Record<string, any>[]) => rows.map((r) => r.kind).sort();

describe("telegram: conversational capture", () => {
  it("a sentence given as the name is the inquiry: kept as the message, the name asked again or taken", async () => {
    const bot = await workspaceWithBot();
    await linkBothReps(bot);
    const user = await startFrom(bot);
    const [created] = await leadsOf(bot.ws.id);
    await deliver(bot, await textFrom(user, "I need pricing for 100 units"));
    const again = (await sentTo(user, 2)).at(-1)!.body.text as string;
    expect(again).toMatch(/^Thanks, noted\. .*What's your name\?/);
    let lead = (await leadsOf(bot.ws.id)).find((l) => l.id === created!.id)!;
    expect(lead).toMatchObject({ name: created!.name, message: "I need pricing for 100 units" });
    expect((await conversationOf(bot, user))!.step).toBe("name");
    await deliver(bot, await textFrom(user, "Sam Lee"));
    // The need question is not asked: the sentence answered it. Next is the phone.
    expect((await conversationOf(bot, user))!.step).toBe("phone");
    lead = (await leadsOf(bot.ws.id)).find((l) => l.id === created!.id)!;
    expect(lead).toMatchObject({ name: "Sam Lee", message: "I need pricing for 100 units" });

    // "I'm Sam and I need …": the name and the inquiry in one answer.
    const other = await startFrom(bot);
    await deliver(bot, await textFrom(other, "Hello, I'm Sam and I need pricing for 100 units"));
    const second = (await leadsOf(bot.ws.id)).find((l) => l.telegram_user_id === other)!;
    expect(second).toMatchObject({ name: "Sam", message: "Hello, I'm Sam and I need pricing for 100 units" });
    expect((await conversationOf(bot, other))!.step).toBe("phone");
  });
  it("/start makes the lead; name, need, phone enrich it; the rep is alerted once, gets the answers", async () => {
    const bot = await workspaceWithBot({ autoReplyText: "Hi {name}, thanks for writing!" });
    const reps = await linkBothReps(bot);
    const user = await startFrom(bot);

    // No lead waits for the questions: created, routed and alerted on /start.
    const [created] = await leadsOf(bot.ws.id);
    expect(created).toMatchObject({
      name: "Mira Solberg",
      utm_campaign: "lead_src-ig_spring26",
      message: null,
      phone: null,
    });
    const ownerChat = reps.chatOf(created!.owner_rep_id);
    expect((await sentTo(ownerChat, 1))[0]!.body.text).toMatch(/^New lead \(telegram\): Mira Solberg/);
    expect(await conversationOf(bot, user)).toMatchObject({
      lead_id: created!.id,
      step: "name",
      later: JSON.stringify(["need", "phone"]),
    });

    await deliver(bot, await textFrom(user, "Jane Doe"));
    expect((await sentTo(user, 3)).at(-1)!.body).toMatchObject({
      text: "What can we help you with? A sentence or two is perfect.",
      reply_markup: { keyboard: [["Skip"]] },
    });
    await deliver(bot, await textFrom(user, "A quote for 20 office chairs"));
    const phoneQuestion = (await sentTo(user, 4)).at(-1)!.body;
    expect(phoneQuestion.reply_markup.keyboard).toEqual([
      [{ text: "Share my phone number", request_contact: true }],
      ["Skip"],
    ]);
    const phone = uniquePhone();
    await deliver(bot, await contactFrom(user, phone));
    expect((await sentTo(user, 5)).at(-1)!.body).toMatchObject({
      text: expect.stringMatching(/^Thank you!/),
      reply_markup: { remove_keyboard: true },
    });

    const leads = await leadsOf(bot.ws.id);
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({
      id: created!.id,
      name: "Jane Doe",
      message: "A quote for 20 office chairs",
      phone,
      owner_rep_id: created!.owner_rep_id,
    });
    expect((await conversationOf(bot, user))!.step).toBeNull();
    // Every answer went through captureLead (a re-inquiry each); none was relayed as a message.
    const events = await eventsOf(created!.id);
    expect(
      events
        .filter((e) => e.type === "re-inquiry")
        .map((e) => JSON.parse(e.data))
        .map((d) => d.phone ?? d.message ?? d.name),
    ).toEqual(["Jane Doe", "A quote for 20 office chairs", phone]);
    expect(events.filter((e) => ["created", "assigned"].includes(e.type))).toHaveLength(2);
    expect(events.some((e) => e.type === "message")).toBe(false);
    // One auto-reply, one alert; the owner gets the answers once, as a relay they can reply to.
    const outbox = await outboxOf(bot.ws.id);
    expect(kinds(outbox.filter((o) => o.kind !== "bot_reply"))).toEqual(["auto_reply", "relay", "rep_alert"]);
    const summary = (await sentTo(ownerChat, 2))[1]!.body.text;
    expect(summary).toBe(
      `Telegram answers from Jane Doe (${created!.id}):\nNeeds: A quote for 20 office chairs\nPhone: ${phone}`,
    );

    // After the capture, a text is a message: stored and relayed.
    await deliver(bot, await textFrom(user, "Are you open on Saturdays?"));
    expect((await sentTo(ownerChat, 3))[2]!.body.text).toBe(
      `Message from Jane Doe (${created!.id}):\nAre you open on Saturdays?`,
    );
    expect((await eventsOf(created!.id)).filter((e) => e.type === "message")).toHaveLength(1);
    expect(reps.otherThan(created!.owner_rep_id)).not.toBe(ownerChat);
    expect(await fakeCalls(reps.otherThan(created!.owner_rep_id))).toEqual([]);
  });

  it("every question can be skipped (button text or /skip); the lead stays as /start made it", async () => {
    const bot = await workspaceWithBot();
    const user = await startFrom(bot);
    for (const skip of ["Skip", "/skip", "SKIP"]) await deliver(bot, await textFrom(user, skip));
    const [lead] = await leadsOf(bot.ws.id);
    expect(lead).toMatchObject({ name: "Mira Solberg", message: null, phone: null });
    expect((await eventsOf(lead!.id)).map((e) => e.type).sort()).toEqual(["assigned", "created"]);
    const sends = await sentTo(user, 4);
    expect(sends.map((s) => s.body.text.slice(0, 20))).toEqual([
      "A few quick question",
      "What can we help you",
      "Would you like a cal",
      "Thank you! Someone f",
    ]);
    // /skip with no open question does nothing.
    await deliver(bot, await textFrom(user, "/skip"));
    expect((await fakeCalls(user)).length).toBe(4);
  });

  it("a first message without /start is the inquiry: the need is not asked again", async () => {
    const bot = await workspaceWithBot();
    const user = uniqueChatId();
    const first = retarget(await fixtureUpdate("private_text_2"), user, nextUpdateId());
    await deliver(bot, first);
    const [lead] = await leadsOf(bot.ws.id);
    expect(lead).toMatchObject({ message: first.message.text });
    expect(await conversationOf(bot, user)).toMatchObject({ step: "name", later: JSON.stringify(["phone"]) });
    await deliver(bot, await textFrom(user, "Sam"));
    expect((await sentTo(user, 2)).at(-1)!.body.text).toMatch(/^Would you like a call back\?/);
  });

  it("a typed phone: unreadable → asked again; readable → stored", async () => {
    const bot = await workspaceWithBot();
    const user = await startFrom(bot);
    await deliver(bot, await textFrom(user, "Skip"));
    await deliver(bot, await textFrom(user, "Skip"));
    await deliver(bot, await textFrom(user, "call me maybe"));
    expect((await sentTo(user, 4)).at(-1)!.body.text).toMatch(
      /^That does not look like a phone number\. Would you like a call back\?/,
    );
    expect((await conversationOf(bot, user))!.step).toBe("phone");
    const phone = uniquePhone();
    await deliver(bot, await textFrom(user, `(${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}`));
    expect((await leadsOf(bot.ws.id))[0]).toMatchObject({ phone });
    expect((await conversationOf(bot, user))!.step).toBeNull();
  });

  it("a returning prospect's /start asks again but skips the phone the lead already has", async () => {
    const bot = await workspaceWithBot();
    const user = await startFrom(bot);
    await deliver(bot, await contactFrom(user, uniquePhone()));
    await startFrom(bot, user);
    expect(await conversationOf(bot, user)).toMatchObject({ step: "name", later: JSON.stringify(["need"]) });
    expect(await leadsOf(bot.ws.id)).toHaveLength(1);
  });

  it("each update counts once: a redelivered answer (already applied) neither advances nor asks again", async () => {
    const bot = await workspaceWithBot();
    const user = await startFrom(bot);
    const name = await textFrom(user, "Jane Doe");
    await deliver(bot, name);
    // Simulates the redelivery of an update whose effects were stored but whose id was not recorded.
    await testDb().execute({
      sql: `DELETE FROM telegram_update WHERE channel_id = ? AND update_id = ?`,
      args: [bot.channelId, name.update_id],
    });
    await deliver(bot, name);
    expect(await conversationOf(bot, user)).toMatchObject({ step: "need" });
    expect((await eventsOf((await leadsOf(bot.ws.id))[0]!.id)).filter((e) => e.type === "re-inquiry")).toHaveLength(1);
    expect((await sentTo(user, 2)).length).toBe(2);
  });
});

describe("telegram: a shared phone that is another lead's", () => {
  it("merges the Telegram lead into the form lead: one lead, with chat, history and the owner's alert", async () => {
    const bot = await workspaceWithBot();
    const reps = await linkBothReps(bot);
    const phone = uniquePhone();
    expect(
      (await submit(bot.ws.form.publicKey, { name: "Jane Form", phone, message: "Price list please" })).status,
    ).toBeLessThan(300);
    const [formLead] = await leadsOf(bot.ws.id);

    const user = await startFrom(bot);
    const telegramLead = (await leadsOf(bot.ws.id)).find((l) => l.id !== formLead!.id)!;
    await deliver(bot, await textFrom(user, "Skip"));
    await deliver(bot, await textFrom(user, "Chairs, 20 of them"));
    await deliver(bot, await contactFrom(user, phone));

    const leads = await leadsOf(bot.ws.id);
    expect(leads).toHaveLength(1);
    // The form lead keeps its attribution, name, message and owner, and gains the Telegram identity.
    expect(leads[0]).toMatchObject({
      id: formLead!.id,
      source: "form",
      name: "Jane Form",
      message: "Price list please",
      phone,
      telegram_user_id: user,
      owner_rep_id: formLead!.owner_rep_id,
    });
    expect(JSON.parse(leads[0]!.fields)).toMatchObject({ start: "lead_src-ig_spring26" });
    const events = await eventsOf(formLead!.id);
    expect(events.find((e) => e.type === "merged")).toMatchObject({ actor_type: "prospect" });
    expect(JSON.parse(events.find((e) => e.type === "merged")!.data).from).toBe(telegramLead.id);
    // What the prospect sent on Telegram moved over (the first contact now a re-inquiry); nothing of it was lost.
    const inquiries = events.filter((e) => e.type === "re-inquiry").map((e) => JSON.parse(e.data));
    expect(inquiries.map((d) => d.message ?? d.phone ?? null)).toEqual(
      expect.arrayContaining(["Chairs, 20 of them", phone]),
    );
    expect(inquiries.some((d) => d.utm?.campaign === "lead_src-ig_spring26")).toBe(true);
    expect(await eventsOf(telegramLead.id)).toEqual([]);

    // The form lead's owner is told, with the buttons; the conversation now belongs to that lead.
    const formOwnerChat = reps.chatOf(formLead!.owner_rep_id);
    const alert = (await sentTo(formOwnerChat, 2)).find((c) => /now also writes on Telegram/.test(c.body.text))!;
    expect(alert.body.reply_markup.inline_keyboard.flat().map((b: any) => b.callback_data)).toContain(
      `l:claim:${formLead!.id}`,
    );
    expect((await conversationOf(bot, user))!.lead_id).toBe(formLead!.id);
    await deliver(bot, await textFrom(user, "Any news?"));
    expect(
      (await eventsOf(formLead!.id)).filter((e) => e.type === "message").map((e) => JSON.parse(e.data).text),
    ).toEqual(["Any news?"]);
    await eventually(async () =>
      expect((await messagesTo(formOwnerChat, 1)).map((c) => c.body.text)).toContain(
        `Message from Jane Form (${formLead!.id}):\nAny news?`,
      ),
    );
  });

  it("a typed number that is another lead's is not trusted: no merge, kept on the chat's lead as typed", async () => {
    const bot = await workspaceWithBot();
    const phone = uniquePhone();
    await submit(bot.ws.form.publicKey, { name: "Jane Form", phone });
    const user = await startFrom(bot);
    await deliver(bot, await textFrom(user, "Skip"));
    await deliver(bot, await textFrom(user, "Skip"));
    await deliver(bot, await textFrom(user, phone));
    const leads = await leadsOf(bot.ws.id);
    expect(leads).toHaveLength(2);
    const telegramLead = leads.find((l) => l.telegram_user_id === user)!;
    expect(telegramLead.phone).toBeNull();
    expect(JSON.parse(telegramLead.fields).phone_typed).toBe(phone);
    expect(leads.find((l) => l.phone === phone)!.telegram_user_id).toBeNull();
  });
});
