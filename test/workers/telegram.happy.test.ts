import { describe, expect, it } from "vitest";
import type { TelegramChannel } from "../../workers/domain/channels/telegram-channels";
import type { createRepTelegramInvite } from "../../workers/domain/team/rep-invites";
import type { ListJson, RepJson } from "../support/response-json";
import { call, dashboardSession, testDb, uniquePhone } from "../support/workers/harness";
import { eventually, fakeCalls } from "../support/workers/outbox-harness";
import {
  deliver,
  eventsOf,
  fixtureUpdate,
  leadsOf,
  leadWithLinkedReps,
  nextUpdateId,
  postUpdate,
  retarget,
  sentTo,
  textFrom,
  uniqueChatId,
  workspaceWithBot,
} from "../support/workers/telegram-harness";

/** A rep's one-time Telegram link. */
type RepInvite = Awaited<ReturnType<typeof createRepTelegramInvite>>;

describe("telegram: connecting a bot", () => {
  it("getMe and setWebhook (URL with the channel id, a random secret); stores botInfo, lists the bot", async () => {
    const bot = await workspaceWithBot();
    const calls = await fakeCalls(`bot${bot.botId}`);
    expect(calls.map((c) => c.path.split("/").pop())).toEqual(["getMe", "setWebhook"]);
    const setWebhook = calls[1]!.body;
    expect(setWebhook.url).toBe(`https://leadrelay.test/hooks/telegram/${bot.channelId}`);
    expect(setWebhook.secret_token).toBe(bot.secret);
    expect(bot.secret).toMatch(/^[A-Za-z0-9]{48}$/);
    const list = await call<ListJson<TelegramChannel>>("GET", "/api/v1/channels/telegram", { key: bot.ws.key });
    expect(list.json.data[0]).toMatchObject({
      id: bot.channelId,
      botUsername: `leaddesk_${bot.botId}_bot`,
      webhookUrl: setWebhook.url,
    });

    // Updates do not call getMe again (botInfo is cached on the channel).
    const update = retarget(await fixtureUpdate("private_text"), uniqueChatId(), nextUpdateId());
    expect((await postUpdate(bot, update, bot.secret)).status).toBe(200);
    expect((await fakeCalls(`bot${bot.botId}`)).length).toBe(2);
  });
});

describe("telegram: prospect intake", () => {
  it("a text that looks like a command the bot does not know is the prospect's message, not dropped", async () => {
    const bot = await workspaceWithBot();
    const user = uniqueChatId();
    const price = retarget(await fixtureUpdate("private_text"), user, nextUpdateId());
    price.message.text = "/price for 3 rooms?";
    expect((await postUpdate(bot, price, bot.secret)).status).toBe(200);
    const [lead, ...rest] = await leadsOf(bot.ws.id);
    expect(rest).toHaveLength(0);
    expect(lead).toMatchObject({ telegram_user_id: user, source: "telegram", message: "/price for 3 rooms?" });
    // "/start" typed without Telegram's command entity (the docs' own fixture) is not lost either.
    const other = uniqueChatId();
    expect(
      (await postUpdate(bot, retarget(await fixtureUpdate("start"), other, nextUpdateId()), bot.secret)).status,
    ).toBe(200);
    expect((await leadsOf(bot.ws.id)).map((l) => l.telegram_user_id)).toContain(other);
  });

  it("a deep-link /start captures the lead (campaign, profile name, owner), asks the first question", async () => {
    const bot = await workspaceWithBot({ autoReplyText: "Hi {name}, thanks for writing!" });
    const user = uniqueChatId();
    const update = retarget(await fixtureUpdate("start_deeplink"), user, nextUpdateId());
    const res = await postUpdate(bot, update, bot.secret);
    expect(res.status).toBe(200);

    const [lead, ...rest] = await leadsOf(bot.ws.id);
    expect(rest).toHaveLength(0);
    expect(lead).toMatchObject({
      source: "telegram",
      telegram_user_id: user,
      name: "Mira Solberg",
      utm_source: "telegram",
      utm_campaign: "lead_src-ig_spring26",
    });
    expect(JSON.parse(lead!.fields)).toEqual({ start: "lead_src-ig_spring26" });
    expect(lead!.owner_rep_id).toMatch(/^rep_/);
    const events = await eventsOf(lead!.id);
    // Update ids are counted per bot: the event's dedup key names the bot.
    expect(events.find((e) => e.type === "created")?.dedup_key).toBe(`tg:${bot.channelId}:${update.update_id}`);

    // Auto-reply (the channel's text) and the first question of the capture, both through the outbox.
    const sends = await sentTo(user, 2);
    const prompt = sends.find((c) => c.body.reply_markup)!;
    expect(prompt.body.text).toMatch(/What's your name\? \(Skip keeps “Mira Solberg”\.\)$/);
    expect(prompt.body.reply_markup.keyboard).toEqual([["Skip"]]);
    expect(sends.map((c) => c.body.text)).toContain("Hi Mira Solberg, thanks for writing!");
    const outbox = await testDb().execute({
      sql: `SELECT kind, state FROM outbox WHERE lead_id = ? AND recipient = ? ORDER BY kind`,
      args: [lead!.id, user],
    });
    expect(outbox.rows.map((r) => r.kind)).toEqual(["auto_reply", "bot_reply"]);
  });

  it("a payload that is not a valid deep-link parameter is not recorded as a campaign", async () => {
    const bot = await workspaceWithBot();
    const user = uniqueChatId();
    const update = retarget(await fixtureUpdate("start_deeplink"), user, nextUpdateId());
    update.message.text = `/start ${"x".repeat(65)}`;
    expect((await postUpdate(bot, update, bot.secret)).status).toBe(200);
    const [lead] = await leadsOf(bot.ws.id);
    expect(lead).toMatchObject({ telegram_user_id: user, utm_campaign: null });
  });

  it("a contact shared with the request_contact button adds the phone to the same lead", async () => {
    const bot = await workspaceWithBot();
    const user = uniqueChatId();
    await postUpdate(bot, retarget(await fixtureUpdate("start_deeplink"), user, nextUpdateId()), bot.secret);
    // The fixture's +1 555 123 4567 is a fictional number (area code 555): refused politely, nothing stored.
    const fictional = retarget(await fixtureUpdate("contact_own_phone"), user, nextUpdateId());
    expect((await postUpdate(bot, fictional, bot.secret)).status).toBe(200);
    expect((await sentTo(user, 2)).at(-1)!.body.text).toMatch(/could not read that phone number/);
    expect((await leadsOf(bot.ws.id))[0]!.phone).toBeNull();

    const phone = uniquePhone();
    const contact = retarget(await fixtureUpdate("contact_own_phone"), user, nextUpdateId());
    contact.message.contact.phone_number = phone.slice(1); // Telegram often sends it without the "+"
    expect((await postUpdate(bot, contact, bot.secret)).status).toBe(200);

    const leads = await leadsOf(bot.ws.id);
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({ telegram_user_id: user, phone });
    expect((await eventsOf(leads[0]!.id)).map((e) => e.type)).toContain("re-inquiry");
    // The phone is answered whenever it is shared; the open question (the name) is asked again.
    const sends = await sentTo(user, 3);
    expect(sends.at(-1)!.body.text).toMatch(/^Thanks, we have your number\. A few quick questions.*What's your name\?/);
  });

  it("someone else's contact card is not taken as the prospect's phone", async () => {
    const bot = await workspaceWithBot();
    const user = uniqueChatId();
    await postUpdate(bot, retarget(await fixtureUpdate("start_deeplink"), user, nextUpdateId()), bot.secret);
    const contact = retarget(await fixtureUpdate("contact_own_phone"), user, nextUpdateId());
    contact.message.contact.user_id = 42;
    expect((await postUpdate(bot, contact, bot.secret)).status).toBe(200);
    expect((await leadsOf(bot.ws.id))[0]!.phone).toBeNull();
  });

  it("a replayed update is acknowledged and changes nothing", async () => {
    const bot = await workspaceWithBot({ autoReplyText: "Hi!" });
    const user = uniqueChatId();
    const update = retarget(await fixtureUpdate("start_deeplink"), user, nextUpdateId());
    expect((await postUpdate(bot, update, bot.secret)).status).toBe(200);
    await sentTo(user, 2);
    const count = async () =>
      (
        await testDb().execute({
          sql: `SELECT (SELECT count(*) FROM lead WHERE workspace_id = :ws) || '/' || (SELECT count(*) FROM lead_event
                     WHERE workspace_id = :ws)
                     || '/' || (SELECT count(*) FROM outbox WHERE workspace_id = :ws) AS n`,
          args: { ws: bot.ws.id },
        })
      ).rows[0]!.n;
    const before = await count();
    for (let i = 0; i < 3; i++) expect((await postUpdate(bot, update, bot.secret)).status).toBe(200);
    expect(await count()).toBe(before);
    expect((await fakeCalls(user)).length).toBe(2);
  });

  it("a later text message is stored on the lead and relayed to the owner rep", async () => {
    const bot = await workspaceWithBot();
    const { user, lead, ownerChat } = await leadWithLinkedReps(bot);

    // The capture's questions skipped (name, need, phone): texts from now on are messages.
    for (const skip of ["Skip", "/skip", "skip"]) await deliver(bot, await textFrom(user, skip));
    const text = retarget(await fixtureUpdate("private_text"), user, nextUpdateId());
    expect((await postUpdate(bot, text, bot.secret)).status).toBe(200);
    const message = (await eventsOf(lead!.id)).find((e) => e.type === "message");
    expect(message).toMatchObject({ actor_type: "prospect", dedup_key: `tg:${bot.channelId}:${text.update_id}` });
    expect(JSON.parse(message!.data).text).toBe("hello, are you open on Saturdays?");
    // The alert (with buttons), the capture's summary and then the relay.
    const sends = await sentTo(ownerChat, 3);
    expect(sends[0]!.body.reply_markup.inline_keyboard.flat().map((b: any) => b.callback_data)).toContain(
      `l:claim:${lead!.id}`,
    );
    expect(sends[2]!.body.text).toBe(`Message from Mira Solberg (${lead!.id}):\nhello, are you open on Saturdays?`);
  });

  it("a first message without /start is itself the inquiry", async () => {
    const bot = await workspaceWithBot();
    const user = uniqueChatId();
    const text = retarget(await fixtureUpdate("private_text_2"), user, nextUpdateId());
    expect((await postUpdate(bot, text, bot.secret)).status).toBe(200);
    const leads = await leadsOf(bot.ws.id);
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({ telegram_user_id: user, message: text.message.text });
  });
});

describe("telegram: blocked bot", () => {
  it("my_chat_member kicked suppresses the chat (later sends skipped, not tried); member lifts it", async () => {
    const bot = await workspaceWithBot();
    const user = uniqueChatId();
    await postUpdate(bot, retarget(await fixtureUpdate("start_deeplink"), user, nextUpdateId()), bot.secret);
    await sentTo(user, 1);
    const blocked = retarget(await fixtureUpdate("bot_blocked"), user, nextUpdateId());
    expect((await postUpdate(bot, blocked, bot.secret)).status).toBe(200);
    const suppressed = async () =>
      (
        await testDb().execute({
          sql: `SELECT reason FROM suppression WHERE workspace_id = ? AND sender = 'telegram' AND address = ?`,
          args: [bot.ws.id, user],
        })
      ).rows;
    expect((await suppressed()).map((r) => r.reason)).toEqual(["blocked"]);

    // The prospect's next message (sent before the block reached us, say) gets no reply attempt.
    const before = (await fakeCalls(user)).length;
    const start = retarget(await fixtureUpdate("start_deeplink"), user, nextUpdateId());
    expect((await postUpdate(bot, start, bot.secret)).status).toBe(200);
    await eventually(async () => {
      const rows = await testDb().execute({
        sql: `SELECT state FROM outbox WHERE recipient = ? AND idempotency_key LIKE ?`,
        args: [user, `tg:${bot.channelId}:${start.update_id}:%`],
      });
      expect(rows.rows.map((r) => r.state)).toEqual(["skipped"]);
    });
    expect((await fakeCalls(user)).length).toBe(before);

    const back = structuredClone(blocked);
    back.update_id = nextUpdateId();
    back.my_chat_member.old_chat_member.status = "kicked";
    back.my_chat_member.new_chat_member.status = "member";
    expect((await postUpdate(bot, back, bot.secret)).status).toBe(200);
    expect(await suppressed()).toEqual([]);
  });
});

describe("telegram: reps", () => {
  it("an owner's invite links the rep's chat once; the code cannot be reused", async () => {
    const bot = await workspaceWithBot();
    const rep = bot.ws.reps[0]!;
    const invite = await call<RepInvite>("POST", `/api/v1/reps/${rep.id}/telegram-invite`, {
      key: bot.ws.key,
      body: {},
    });
    expect(invite.status).toBe(201);
    expect(invite.json.deepLink).toBe(`https://t.me/leaddesk_${bot.botId}_bot?start=rep_${invite.json.code}`);
    const stored = await testDb().execute({ sql: `SELECT code_hash FROM rep_invite WHERE rep_id = ?`, args: [rep.id] });
    expect(stored.rows[0]!.code_hash).not.toContain(invite.json.code);

    const chat = uniqueChatId();
    const start = retarget(await fixtureUpdate("start"), chat, nextUpdateId());
    start.message.text = `/start rep_${invite.json.code}`;
    start.message.entities = [{ offset: 0, length: 6, type: "bot_command" }];
    start.message.chat.type = "private";
    expect((await postUpdate(bot, start, bot.secret)).status).toBe(200);
    expect((await call<RepJson>("GET", `/api/v1/reps/${rep.id}`, { key: bot.ws.key })).json.telegramChatId).toBe(chat);
    expect((await sentTo(chat, 1))[0]!.body.text).toMatch(/^Linked: you are Ana\./);
    // No lead was made of the rep.
    expect(await leadsOf(bot.ws.id)).toHaveLength(0);

    // The same code from another chat: refused, the link stays.
    const other = uniqueChatId();
    const again = retarget(start, other, nextUpdateId());
    expect((await postUpdate(bot, again, bot.secret)).status).toBe(200);
    expect((await sentTo(other, 1))[0]!.body.text).toMatch(/invalid, expired or already used/);
    expect((await call<RepJson>("GET", `/api/v1/reps/${rep.id}`, { key: bot.ws.key })).json.telegramChatId).toBe(chat);
  });

  it("invites need a connected bot and a rep of the workspace", async () => {
    const bot = await workspaceWithBot();
    expect((await call("POST", `/api/v1/reps/rep_nope/telegram-invite`, { key: bot.ws.key, body: {} })).status).toBe(
      404,
    );
    const { seedWorkspace } = await import("../support/workers/harness");
    const bare = await seedWorkspace();
    expect(
      (await call("POST", `/api/v1/reps/${bare.reps[0]!.id}/telegram-invite`, { key: bare.key, body: {} })).status,
    ).toBe(409);
    expect(
      (await call("POST", `/api/v1/reps/${bare.reps[0]!.id}/telegram-invite`, { key: bot.ws.key, body: {} })).status,
    ).toBe(404);
  });

  it("a tap on an alert button updates the lead, answers the callback and edits the alert", async () => {
    const bot = await workspaceWithBot();
    const { lead, ownerIdx, ownerChat, otherChat } = await leadWithLinkedReps(bot);
    const [alert] = await sentTo(ownerChat, 1);

    const tap = async (action: string, chat = ownerChat) => {
      const u = retarget(await fixtureUpdate("callback_query"), chat, nextUpdateId());
      u.callback_query.id = `cbq${u.update_id}`;
      u.callback_query.data = `l:${action}:${lead!.id}`;
      u.callback_query.message.text = alert!.body.text;
      u.callback_query.message.reply_markup = alert!.body.reply_markup;
      const res = await postUpdate(bot, u, bot.secret);
      expect(res.status).toBe(200);
      return u.callback_query.id as string;
    };

    const cb = await tap("contacted");
    const after = (await leadsOf(bot.ws.id))[0]!;
    expect(after.status).toBe("contacted");
    expect(after.first_response_at).not.toBeNull();
    const changed = (await eventsOf(lead!.id)).find((e) => e.type === "status_changed");
    expect(changed).toMatchObject({ actor_type: "rep", actor_id: lead!.owner_rep_id });
    const answered = await fakeCalls(cb);
    expect(answered.map((c) => c.path.split("/").pop())).toEqual(["answerCallbackQuery"]);
    const edits = (await fakeCalls(ownerChat)).filter((c) => c.path.endsWith("/editMessageText"));
    expect(edits).toHaveLength(1);
    const ownerName = bot.ws.reps[ownerIdx]!.name;
    expect(edits[0]!.body.text).toBe(
      `${alert!.body.text}\n\n\u2014 Contacted by ${ownerName} \u00b7 status: contacted`,
    );
    expect(edits[0]!.body.reply_markup.inline_keyboard).toHaveLength(3);

    await tap("won");
    expect((await leadsOf(bot.ws.id))[0]!.status).toBe("won");
    const lastEdit = (await fakeCalls(ownerChat)).filter((c) => c.path.endsWith("/editMessageText")).at(-1)!;
    expect(lastEdit.body.text).toBe(`${alert!.body.text}\n\n\u2014 Won by ${ownerName} \u00b7 status: won`);
    expect(lastEdit.body.reply_markup).toBeUndefined();

    // The other rep cannot work this lead: told so, nothing changes.
    const refused = await tap("lost", otherChat);
    expect((await leadsOf(bot.ws.id))[0]!.status).toBe("won");
    expect((await fakeCalls(refused))[0]!.body).toMatchObject({
      show_alert: true,
      text: "This lead belongs to another rep.",
    });
  });

  it("a rep's reply to an alert goes to the prospect, is recorded and counts as the first response", async () => {
    const bot = await workspaceWithBot();
    const { user, lead, ownerIdx, ownerChat, otherChat } = await leadWithLinkedReps(bot);
    const alertId = await eventually(async () => {
      const rs = await testDb().execute({
        sql: `SELECT provider_message_id FROM outbox WHERE lead_id = ? AND kind = 'rep_alert' AND state = 'sent'`,
        args: [lead!.id],
      });
      expect(rs.rows).toHaveLength(1);
      return Number(rs.rows[0]!.provider_message_id);
    });
    const before = (await fakeCalls(user)).length;

    const reply = retarget(await fixtureUpdate("reply"), ownerChat, nextUpdateId());
    reply.message.text = "Hi! I can call you at 3pm, does that work?";
    reply.message.reply_to_message.message_id = alertId;
    reply.message.reply_to_message.chat.id = Number(ownerChat);
    expect((await postUpdate(bot, reply, bot.secret)).status).toBe(200);
    const sends = await sentTo(user, before + 1);
    expect(sends.at(-1)!.body.text).toBe("Hi! I can call you at 3pm, does that work?");
    // The first response is recorded once the send's answer is stored, just after the fake API saw the send.
    const after = await eventually(async () => {
      const row = (await leadsOf(bot.ws.id))[0]!;
      expect(row.first_response_at).not.toBeNull();
      return row;
    });
    expect(after.sla_due_at).toBeNull();
    const out = (await eventsOf(lead!.id)).find((e) => e.type === "message" && e.actor_type === "rep");
    expect(JSON.parse(out!.data)).toMatchObject({ direction: "out", text: reply.message.text });
    // The owner sees the conversation on the lead's dashboard page.
    const { cookie } = await dashboardSession(bot.ws.key);
    const page = await call("GET", `/app/leads/${lead!.id}`, { headers: { cookie } });
    expect(page.text).toContain(
      `${bot.ws.reps[ownerIdx]!.name}</span> to the prospect: “Hi! I can call you at 3pm, does that work?”`,
    );

    // The other rep replying to their own (unrelated) message reaches nobody.
    const stray = retarget(reply, otherChat, nextUpdateId());
    stray.message.reply_to_message.message_id = alertId;
    expect((await postUpdate(bot, stray, bot.secret)).status).toBe(200);
    expect((await sentTo(otherChat, 1)).at(-1)!.body.text).toMatch(/Reply to one of your own lead alerts/);
    expect((await fakeCalls(user)).length).toBe(before + 1);
  });

  it("/pause, /resume and /leads from a linked rep", async () => {
    const bot = await workspaceWithBot();
    const { lead, ownerChat } = await leadWithLinkedReps(bot);
    const command = async (text: string) => {
      const u = retarget(await fixtureUpdate("start"), ownerChat, nextUpdateId());
      u.message.text = text;
      u.message.entities = [{ offset: 0, length: text.length, type: "bot_command" }];
      u.message.chat.type = "private";
      expect((await postUpdate(bot, u, bot.secret)).status).toBe(200);
    };
    const repState = async () =>
      (await call<RepJson>("GET", `/api/v1/reps/${lead!.owner_rep_id}`, { key: bot.ws.key })).json.paused;
    await sentTo(ownerChat, 1); // the alert
    await command("/pause");
    expect(await repState()).toBe(true);
    expect((await sentTo(ownerChat, 2)).at(-1)!.body.text).toMatch(/^Paused/);
    await command("/resume");
    expect(await repState()).toBe(false);
    await command("/leads");
    const list = (await sentTo(ownerChat, 4)).at(-1)!.body.text as string;
    expect(list).toContain(`Mira Solberg \u00b7 new (${lead!.id})`);
    // Nobody else gets to pause a rep: a prospect's /pause does nothing to reps.
    expect(await leadsOf(bot.ws.id)).toHaveLength(1);
  });

  it("Snooze 1h schedules a reminder; Claim stops the SLA clock", async () => {
    const bot = await workspaceWithBot();
    const { lead, ownerChat } = await leadWithLinkedReps(bot);
    for (const action of ["claim", "snooze"]) {
      const u = retarget(await fixtureUpdate("callback_query"), ownerChat, nextUpdateId());
      u.callback_query.data = `l:${action}:${lead!.id}`;
      expect((await postUpdate(bot, u, bot.secret)).status).toBe(200);
    }
    const claimed = (await leadsOf(bot.ws.id))[0]!;
    expect(claimed.claimed_at).not.toBeNull();
    expect(claimed.sla_due_at).toBeNull();
    const reminders = await testDb().execute({
      sql: `SELECT due_at, recipient FROM outbox WHERE lead_id = ? AND kind = 'reminder'`,
      args: [lead!.id],
    });
    expect(reminders.rows).toHaveLength(1);
    expect(reminders.rows[0]!.recipient).toBe(ownerChat);
    expect(Number(reminders.rows[0]!.due_at)).toBeGreaterThan(Date.now() + 50 * 60_000);
  });

  it("a tap from a chat that is not a linked rep changes nothing", async () => {
    const bot = await workspaceWithBot();
    const user = uniqueChatId();
    await postUpdate(bot, retarget(await fixtureUpdate("start_deeplink"), user, nextUpdateId()), bot.secret);
    const [lead] = await leadsOf(bot.ws.id);
    const u = retarget(await fixtureUpdate("callback_query"), user, nextUpdateId());
    u.callback_query.data = `l:won:${lead!.id}`;
    expect((await postUpdate(bot, u, bot.secret)).status).toBe(200);
    expect((await leadsOf(bot.ws.id))[0]!.status).toBe("new");
    await eventually(async () => expect((await fakeCalls(u.callback_query.id)).at(-1)?.body.show_alert).toBe(true));
  });
});
