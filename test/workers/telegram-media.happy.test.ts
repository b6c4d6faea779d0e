import { describe, expect, it } from "vitest";
import { call, dashboardSession, testDb } from "../support/workers/harness";
import { eventually, fakeCalls } from "../support/workers/outbox-harness";
import {
  deliver,
  eventsOf,
  fixtureUpdate,
  leadsOf,
  linkBothReps,
  messagesTo,
  nextUpdateId,
  postUpdate,
  retarget,
  startFrom,
  type TestBot,
  textFrom,
  uniqueChatId,
  workspaceWithBot,
} from "../support/workers/telegram-harness";

/** A prospect past the capture (every question skipped), their lead, and the owner's chat. */
async function capturedProspect(bot: TestBot) {
  const reps = await linkBothReps(bot);
  const user = await startFrom(bot);
  for (let i = 0; i < 3; i++) await deliver(bot, await textFrom(user, "Skip"));
  const [lead] = await leadsOf(bot.ws.id);
  const ownerChat = reps.chatOf(lead!.owner_rep_id);
  await messagesTo(ownerChat, 2); // the alert and the capture's summary
  return { user, lead: lead!, ownerChat };
}

const messages = async (leadId: string) =>
  (await eventsOf(leadId)).filter((e) => e.type === "message").map((e) => ({ ...e, data: JSON.parse(e.data) }));

describe("telegram: media from prospects", () => {
  it("a document (fixture) is stored with its file_id and copied to the owner with a header caption", async () => {
    const bot = await workspaceWithBot();
    const { user, lead, ownerChat } = await capturedProspect(bot);
    const doc = retarget(await fixtureUpdate("document"), user, nextUpdateId());
    await deliver(bot, doc);
    const [event] = await messages(lead.id);
    expect(event!.data).toMatchObject({
      channel: "telegram",
      text: "[document floor-plan.pdf]",
      messageId: doc.message.message_id,
      media: {
        type: "document",
        fileId: doc.message.document.file_id,
        fileName: "floor-plan.pdf",
        mimeType: "application/pdf",
      },
    });
    const copy = (await messagesTo(ownerChat, 3))[2]!;
    expect(copy.path).toMatch(/\/copyMessage$/);
    expect(copy.body).toEqual({
      chat_id: ownerChat,
      from_chat_id: user,
      message_id: doc.message.message_id,
      caption: `Document from Mira Solberg (${lead.id})`,
    });
  });

  it("a voice note with a caption: copied, caption under the header; the rep can reply to the copy", async () => {
    const bot = await workspaceWithBot();
    const { user, lead, ownerChat } = await capturedProspect(bot);
    const voice = retarget(await fixtureUpdate("voice"), user, nextUpdateId());
    voice.message.caption = "listen to this";
    await deliver(bot, voice);
    expect((await messages(lead.id))[0]!.data).toMatchObject({
      text: "[voice 7s] listen to this",
      media: { type: "voice", duration: 7 },
    });
    const copy = (await messagesTo(ownerChat, 3))[2]!;
    expect(copy.body.caption).toBe(`Voice message from Mira Solberg (${lead.id}):\nlisten to this`);

    // The copy's message id was kept: a reply to it reaches the prospect.
    const copyId = await eventually(async () => {
      const rs = await testDb().execute({
        sql: `SELECT provider_message_id FROM outbox WHERE lead_id = ? AND kind = 'relay' AND payload LIKE '%copyOf%'
          AND state = 'sent'`,
        args: [lead.id],
      });
      expect(rs.rows).toHaveLength(1);
      return Number(rs.rows[0]!.provider_message_id);
    });
    const before = (await fakeCalls(user)).length;
    await deliver(
      bot,
      await textFrom(ownerChat, "Got it, calling you now", {
        reply_to_message: { message_id: copyId, date: 0, chat: { id: Number(ownerChat), type: "private" } },
      }),
    );
    await eventually(async () => expect((await fakeCalls(user)).at(-1)?.body.text).toBe("Got it, calling you now"));
    expect((await fakeCalls(user)).length).toBe(before + 1);
  });

  it("a sticker gets its own header before the copy (no captions on stickers); a location is described", async () => {
    const bot = await workspaceWithBot();
    const { user, lead, ownerChat } = await capturedProspect(bot);
    // Derived from the private text fixture: the sticker and location shapes are the Bot API's.
    const sticker = await textFrom(user, "x");
    delete sticker.message.text;
    sticker.message.sticker = {
      file_id: "CAACAgIAAxkBAAIBX2Z",
      file_unique_id: "AgADXX",
      type: "regular",
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
      emoji: "\ud83d\udc4d",
    };
    await deliver(bot, sticker);
    const location = await textFrom(user, "x");
    delete location.message.text;
    location.message.location = { latitude: 52.52, longitude: 13.405 };
    await deliver(bot, location);

    expect((await messages(lead.id)).map((m) => m.data.text)).toEqual([
      "[sticker \ud83d\udc4d]",
      "[location] 52.52, 13.405",
    ]);
    const sent = (await messagesTo(ownerChat, 5)).slice(2);
    const texts = sent.filter((c) => c.path.endsWith("/sendMessage")).map((c) => c.body.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        `Sticker from Mira Solberg (${lead.id}):\n\ud83d\udc4d`,
        `Location from Mira Solberg (${lead.id}):\nhttps://maps.google.com/?q=52.52,13.405`,
      ]),
    );
    const copies = sent.filter((c) => c.path.endsWith("/copyMessage"));
    expect(copies.map((c) => c.body)).toEqual([
      { chat_id: ownerChat, from_chat_id: user, message_id: sticker.message.message_id },
    ]);
  });

  it("a photo as the very first message makes the lead (described) and the rep gets the photo itself", async () => {
    const bot = await workspaceWithBot();
    const reps = await linkBothReps(bot);
    const user = uniqueChatId();
    const photo = await textFrom(user, "x");
    delete photo.message.text;
    photo.message.photo = [
      { file_id: "small", file_unique_id: "s", width: 90, height: 90 },
      { file_id: "large", file_unique_id: "l", width: 1280, height: 1280 },
    ];
    photo.message.caption = "this one, in blue";
    await deliver(bot, photo);
    const [lead] = await leadsOf(bot.ws.id);
    expect(lead).toMatchObject({ message: "[photo] this one, in blue" });
    expect((await messages(lead!.id))[0]!.data.media).toMatchObject({ type: "photo", fileId: "large" });
    const ownerChat = reps.chatOf(lead!.owner_rep_id);
    const sent = await messagesTo(ownerChat, 2);
    expect(sent.find((c) => c.path.endsWith("/copyMessage"))!.body.caption).toBe(
      `Photo from Jonas (${lead!.id}):\nthis one, in blue`,
    );
    // The capture starts (the photo was the inquiry): the name is asked.
    await eventually(async () =>
      expect((await fakeCalls(user)).map((c) => c.body.text)).toEqual([expect.stringMatching(/What's your name\?/)]),
    );
  });
});

describe("telegram: edited messages", () => {
  it("an edit (fixture) is stored as an edit and relayed once, marked as edited", async () => {
    const bot = await workspaceWithBot();
    const { user, lead, ownerChat } = await capturedProspect(bot);
    const original = await textFrom(user, "Original text");
    await deliver(bot, original);
    const edit = retarget(await fixtureUpdate("edited_message"), user, nextUpdateId());
    edit.edited_message.message_id = original.message.message_id;
    await deliver(bot, edit);
    // Telegram redelivers; nothing doubles.
    await testDb().execute({
      sql: `DELETE FROM telegram_update WHERE channel_id = ? AND update_id = ?`,
      args: [bot.channelId, edit.update_id],
    });
    expect((await postUpdate(bot, edit, bot.secret)).status).toBe(200);

    const events = await messages(lead.id);
    expect(events.map((e) => e.data)).toEqual([
      { channel: "telegram", text: "Original text", messageId: original.message.message_id },
      {
        channel: "telegram",
        text: "Actually, Sunday works better",
        messageId: original.message.message_id,
        edited: true,
      },
    ]);
    const relays = (await messagesTo(ownerChat, 4)).slice(2).map((c) => c.body.text);
    expect(relays).toEqual([
      `Message from Mira Solberg (${lead.id}):\nOriginal text`,
      `Edited message from Mira Solberg (${lead.id}):\nActually, Sunday works better`,
    ]);
    const rows = await testDb().execute({
      sql: `SELECT count(*) AS n FROM outbox WHERE lead_id = ? AND kind = 'relay'`,
      args: [lead.id],
    });
    expect(Number(rows.rows[0]!.n)).toBe(3); // the capture's summary, the message, the edit
    // The lead page shows both, the edit marked.
    const { cookie } = await dashboardSession(bot.ws.key);
    const page = await call("GET", `/app/leads/${lead.id}`, { headers: { cookie } });
    expect(page.text).toContain("from the prospect: “Original text”");
    expect(page.text).toContain("from the prospect: “Actually, Sunday works better” (edited)");
  });

  it("an edit from someone with no lead changes nothing", async () => {
    const bot = await workspaceWithBot();
    const edit = retarget(await fixtureUpdate("edited_message"), uniqueChatId(), nextUpdateId());
    await deliver(bot, edit);
    expect(await leadsOf(bot.ws.id)).toEqual([]);
  });
});
