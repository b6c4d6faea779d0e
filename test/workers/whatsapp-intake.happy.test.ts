import { describe, expect, it } from "vitest";
import type { ListJson } from "../support/response-json";
import { libsqlRequests, testDb } from "../support/workers/harness";
import { eventually, fakeCalls } from "../support/workers/outbox-harness";
import {
  graphSendsTo,
  MESSAGE_FIXTURES,
  postWebhook,
  repOnWhatsapp,
  retarget,
  SentOutboxPoller,
  uniqueSuffix,
  uniqueWaId,
  type WhatsappChannelJson,
  waEvents,
  waFixture,
  waLeads,
  waState,
  workspaceWithNumber,
} from "../support/workers/whatsapp-harness";

describe("whatsapp intake: every message type of the fixtures", () => {
  it("the first message makes the lead, the second is recorded on it with its type, text and raw message", async () => {
    const num = await workspaceWithNumber();
    for (const [name, type, text] of MESSAGE_FIXTURES) {
      const wa = uniqueWaId();
      const fixture = await waFixture(name);
      const first = retarget(fixture, num, { waId: wa }, uniqueSuffix());
      const second = retarget(fixture, num, { waId: wa }, uniqueSuffix());
      expect((await postWebhook(num, first)).status, name).toBe(200);
      expect((await postWebhook(num, second)).status, name).toBe(200);
      const leads = (await waLeads(num.ws.id)).filter((l) => l.whatsapp_id === wa);
      expect(leads, name).toHaveLength(1);
      const events = await waEvents(leads[0]!.id);
      const created = events.find((e) => e.type === "created")!;
      const message = events.find((e) => e.type === "message")!;
      const firstMsg = first.entry[0].changes[0].value.messages[0];
      expect(created.dedup_key, name).toBe(`wa:${firstMsg.id}`);
      expect(created.data.channelData, name).toMatchObject({ type, raw: firstMsg });
      expect(message, name).toMatchObject({
        actor_type: "prospect",
        dedup_key: `wa:${second.entry[0].changes[0].value.messages[0].id}`,
      });
      expect(message.data.type, name).toBe(type);
      if (typeof text === "string") expect(message.data.text, name).toContain(text);
      else expect(message.data.text, name).toMatch(text);
      expect(leads[0]!.source, name).toBe("whatsapp");
    }
  });

  it("keeps media ids (image, document, audio) on the event", async () => {
    const num = await workspaceWithNumber();
    for (const [name, id, mime] of [
      ["message_image", "880011223344", "image/jpeg"],
      ["message_document", "880011223355", "application/pdf"],
    ] as const) {
      const wa = uniqueWaId();
      await postWebhook(num, retarget(await waFixture(name), num, { waId: wa }, uniqueSuffix()));
      const lead = (await waLeads(num.ws.id)).find((l) => l.whatsapp_id === wa)!;
      const created = (await waEvents(lead.id)).find((e) => e.type === "created")!;
      expect(created.data.channelData.media, name).toMatchObject({ id, mimeType: mime });
    }
    const wa = uniqueWaId();
    const audio = await waFixture("message_audio");
    await postWebhook(num, retarget(audio, num, { waId: wa }, uniqueSuffix()));
    const lead = (await waLeads(num.ws.id)).find((l) => l.whatsapp_id === wa)!;
    const created = (await waEvents(lead.id)).find((e) => e.type === "created")!;
    expect(created.data.channelData.media.id).toBe(audio.entry[0].changes[0].value.messages[0].audio.id);
  });

  it("a click-to-WhatsApp ad is the lead's source: campaign, headline, URL and ctwa_clid", async () => {
    const num = await workspaceWithNumber();
    const wa = uniqueWaId();
    const payload = retarget(await waFixture("message_from_ad"), num, { waId: wa }, uniqueSuffix());
    expect((await postWebhook(num, payload)).status).toBe(200);
    const [lead] = await waLeads(num.ws.id);
    expect(lead).toMatchObject({
      name: "Dana Reyes",
      utm_source: "whatsapp",
      utm_medium: "ctwa_ad",
      utm_campaign: "120200000000000042",
      utm_content: "Book a garden visit",
      referrer: "https://fb.me/greenleafSpring",
      message: "Is the spring offer still on?",
    });
    expect(JSON.parse(lead!.fields).ctwa_clid).toBe("ARAkLgreenleafCtwaClid0001");
  });

  it("an empty wa_id with only a BSUID is a lead by BSUID; the number seen later is the same lead", async () => {
    const num = await workspaceWithNumber();
    const bsuid = `US.${uniqueSuffix()}`;
    const first = retarget(await waFixture("message_username_only"), num, { userId: bsuid }, uniqueSuffix());
    expect(first.entry[0].changes[0].value.contacts[0].wa_id).toBe("");
    expect((await postWebhook(num, first)).status).toBe(200);
    let leads = await waLeads(num.ws.id);
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({
      whatsapp_id: null,
      whatsapp_user_id: bsuid,
      phone: null,
      name: "Priya Natarajan",
      message: "Do you have this planter in oak?",
    });

    // The same user, now with a wa_id (message_text carries both).
    const wa = uniqueWaId();
    const later = retarget(await waFixture("message_text"), num, { waId: wa, userId: bsuid }, uniqueSuffix());
    expect((await postWebhook(num, later)).status).toBe(200);
    leads = await waLeads(num.ws.id);
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({ whatsapp_id: wa, whatsapp_user_id: bsuid });
    expect((await waEvents(leads[0]!.id)).map((e) => e.type)).toContain("message");
  });

  it("a WhatsApp message from a form lead's phone is that lead (dedup by phone), not a new one", async () => {
    const num = await workspaceWithNumber();
    const wa = uniqueWaId();
    const { submit } = await import("../support/workers/harness");
    expect((await submit(num.ws.form.publicKey, { name: "Form Person", phone: `+${wa}` })).status).toBe(200);
    await postWebhook(num, retarget(await waFixture("message_text"), num, { waId: wa }, uniqueSuffix()));
    const leads = await waLeads(num.ws.id);
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({ source: "form", name: "Form Person", whatsapp_id: wa });
    expect((await waEvents(leads[0]!.id)).map((e) => e.type)).toContain("re-inquiry");
  });

  it("a batched delivery (entries, contacts, messages, statuses) is handled in order, each message once", async () => {
    const num = await workspaceWithNumber({ autoReplyText: "Thanks!" });
    const [a, b] = [uniqueWaId(), uniqueWaId()];
    const text = await waFixture("message_text");
    const image = await waFixture("message_image");
    const location = await waFixture("message_location");
    const status = await waFixture("status_delivered");
    const parts = [
      retarget(text, num, { waId: a }, uniqueSuffix()),
      retarget(image, num, { waId: a }, uniqueSuffix()),
      retarget(location, num, { waId: b }, uniqueSuffix()),
      retarget(status, num, { waId: b }, uniqueSuffix()),
    ];
    // Two entries; the first holds two changes.
    const batched = {
      object: "whatsapp_business_account",
      entry: [
        { id: "1", changes: [...parts[0]!.entry[0].changes, ...parts[1]!.entry[0].changes] },
        { id: "2", changes: [...parts[2]!.entry[0].changes, ...parts[3]!.entry[0].changes] },
      ],
    };
    const res = await postWebhook(num, batched);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ handled: 3, duplicates: 0, statuses: 1 });
    const leads = await waLeads(num.ws.id);
    expect(leads.map((l) => l.whatsapp_id).sort()).toEqual([a, b].sort());
    const leadA = leads.find((l) => l.whatsapp_id === a)!;
    expect(
      (await waEvents(leadA.id))
        .filter((e) => e.type === "created" || e.type === "message")
        .map((e) => e.data.type ?? e.data.channelData?.type),
    ).toEqual(["text", "image"]);
    await graphSendsTo(a, 1);
    await graphSendsTo(b, 1);
    expect(await waState(num)).toMatchObject({ leads: 2, inbound: 3, statuses: 1 });
  });

  it("40 new contacts side by side, each a lead once; one contact's 5 messages stay in order", async () => {
    const num = await workspaceWithNumber({ autoReplyText: "Thanks!" });
    const text = await waFixture("message_text");
    const talker = uniqueWaId();
    const changes = [];
    for (let i = 0; i < 40; i++) {
      // The talker's messages are spread through the batch, between other contacts' first messages.
      if (i % 8 === 0) {
        const p = retarget(text, num, { waId: talker }, uniqueSuffix());
        p.entry[0].changes[0].value.messages[0].text.body = `part ${i / 8 + 1}`;
        changes.push(...p.entry[0].changes);
      }
      changes.push(...retarget(text, num, { waId: uniqueWaId() }, uniqueSuffix()).entry[0].changes);
    }
    const res = await postWebhook(num, { object: "whatsapp_business_account", entry: [{ id: "1", changes }] });
    expect(res.status).toBe(200);
    const contacts = new Set(changes.map((c: any) => c.value.messages[0].from)).size;
    expect(res.json).toMatchObject({ handled: 45, duplicates: 0, dropped: 0 });
    expect(await waState(num)).toMatchObject({ leads: contacts, inbound: 45 });
    const lead = (await waLeads(num.ws.id)).find((l) => l.whatsapp_id === talker)!;
    const said = (await waEvents(lead.id))
      .filter((e) => e.type === "created" || e.type === "message")
      .map((e) => e.data.text ?? lead.message);
    expect(said).toEqual(["part 1", "part 2", "part 3", "part 4", "part 5"]);
    // Redelivered whole: nothing new.
    expect(
      (await postWebhook(num, { object: "whatsapp_business_account", entry: [{ id: "1", changes }] })).json,
    ).toMatchObject({ handled: 0, duplicates: 45 });
  });

  it("changes for another number of the same app, and non-message fields, are acknowledged and ignored", async () => {
    const num = await workspaceWithNumber();
    const other = retarget(
      await waFixture("message_text"),
      { phoneNumberId: "999999999" },
      { waId: uniqueWaId() },
      uniqueSuffix(),
    );
    for (const p of [
      other,
      await waFixture("account_deleted"),
      await waFixture("template_status_approved"),
      await waFixture("message_echo_text"),
      await waFixture("group_settings_update"),
    ]) {
      expect((await postWebhook(num, p)).status).toBe(200);
    }
    expect(await waState(num)).toMatchObject({ leads: 0, events: 0, outbox: 0, inbound: 0 });
  });

  it("an out-of-band error (value.errors, 130429) is kept on the channel and shown in its listing", async () => {
    const num = await workspaceWithNumber();
    const payload = retarget(await waFixture("errors_rate_limit"), num, {}, uniqueSuffix());
    expect((await postWebhook(num, payload)).status).toBe(200);
    const { call } = await import("../support/workers/harness");
    const list = await call<ListJson<WhatsappChannelJson>>("GET", "/api/v1/channels/whatsapp", { key: num.ws.key });
    expect(list.json.data[0]!.lastError).toMatchObject({ code: 130429, title: "Rate limit hit" });
  });

  it("a later message is relayed to the owner rep on WhatsApp (no Telegram) and on the timeline", async () => {
    const num = await workspaceWithNumber();
    const repPhones = [await repOnWhatsapp(num, num.ws.reps[0]!.id), await repOnWhatsapp(num, num.ws.reps[1]!.id)];
    const wa = uniqueWaId();
    await postWebhook(num, retarget(await waFixture("message_text"), num, { waId: wa }, uniqueSuffix()));
    const [lead] = await waLeads(num.ws.id);
    const ownerPhone = repPhones[num.ws.reps.findIndex((r) => r.id === lead!.owner_rep_id)]!;
    // The rep's alert: interactive reply buttons (3 at most), sent outside the rep's window only as a template,
    // so the rep writes first (as a rep who just joined would).
    const [alert] = await eventually(async () => {
      const rows = (
        await testDb().execute({
          sql: `SELECT state, last_error FROM outbox WHERE lead_id = ? AND kind = 'rep_alert'`,
          args: [lead!.id],
        })
      ).rows;
      expect(rows).toHaveLength(1);
      // Inserted pending by the capture; the send that follows it marks it skipped.
      expect(rows[0]).toMatchObject({ state: "skipped" });
      return rows;
    });
    expect(String(alert!.last_error)).toMatch(/24-hour window.*"rep_alert" template/);
    // The rep writes to the number (opens their window), then the prospect's next message is relayed.
    await postWebhook(num, retarget(await waFixture("message_text"), num, { waId: ownerPhone }, uniqueSuffix()));
    const next = retarget(await waFixture("message_image"), num, { waId: wa }, uniqueSuffix());
    await postWebhook(num, next);
    const sends = await graphSendsTo(ownerPhone, 2);
    const relay = sends.find((c) => c.body.type === "text" && String(c.body.text.body).startsWith("Message from"))!;
    expect(relay.body.text.body).toBe(`Message from Dana Reyes (${lead!.id}):\n[image] Our backyard today`);
    expect((await fakeCalls(ownerPhone)).every((c) => c.path === `/graph/${num.phoneNumberId}/messages`)).toBe(true);
  });
});

describe("whatsapp intake: libSQL round trips without the inbound queue", () => {
  it("a new prospect's message: at most 4 libSQL requests from the webhook to the sent auto-reply", async () => {
    const num = await workspaceWithNumber({ autoReplyText: "Thanks {name}!" });
    const sent = new SentOutboxPoller(num.ws.id, "auto_reply");
    const replySent = async (wa: string) => expect(await sent.until(wa, 1)).toBe(1);
    // Warm: the isolate caches this workspace's routing and scoring rules, as for any lead after the first.
    const warm = uniqueWaId();
    await postWebhook(num, retarget(await waFixture("message_text"), num, { waId: warm }, uniqueSuffix()));
    await replySent(warm);

    const wa = uniqueWaId();
    let answered = 0;
    // Only the Worker's requests are counted, not the test's own polls (libsqlRequests).
    const used = await libsqlRequests(async (soFar) => {
      const res = await postWebhook(num, retarget(await waFixture("message_text"), num, { waId: wa }, uniqueSuffix()));
      expect(res.status).toBe(200);
      // Stored when answered: the channel with the delivery's reads, then the capture's batch (window, handled mark).
      expect(res.json).toMatchObject({ ok: true, handled: 1 });
      answered = await soFar();
      await replySent(wa);
    });
    // The send after the answer may have begun by the time the answer is read: at most its claim.
    expect(answered).toBeGreaterThanOrEqual(2);
    expect(answered).toBeLessThanOrEqual(3);
    // With the send: its claim and its outcome.
    expect(used).toBeGreaterThanOrEqual(3);
    expect(used).toBeLessThanOrEqual(4);
    expect((await waLeads(num.ws.id)).filter((l) => l.whatsapp_id === wa)).toHaveLength(1);
  });
});
