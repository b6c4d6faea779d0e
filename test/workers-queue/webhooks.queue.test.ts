import {
  createExecutionContext,
  createMessageBatch,
  env,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../workers/config";
import { createApp } from "../../workers/http/create-app";
import { SAFETY_NET_DELAY_S, SMALL_DELIVERY } from "../../workers/inbound/accept-delivery";
import { INBOUND_DEAD_LETTERS, INBOUND_QUEUE, type InboundMessage } from "../../workers/inbound/inbound-message";
import worker, { CHANNELS } from "../../workers/index";
import { setDatabase } from "../support/workers/fault";
import { libsqlStats, testDb } from "../support/workers/harness";
import { eventually, fakeCalls, tick } from "../support/workers/outbox-harness";
import {
  deliver,
  fixtureUpdate,
  leadsOf,
  linkBothReps,
  nextUpdateId,
  postUpdate,
  retarget as retargetUpdate,
  type TestBot,
  textFrom,
  uniqueChatId,
  workspaceWithBot,
} from "../support/workers/telegram-harness";
import {
  graphSendsTo,
  type Payload,
  postWebhook,
  retarget,
  SentOutboxPoller,
  sign,
  type TestNumber,
  uniqueSuffix,
  uniqueWaId,
  waEvents,
  waFixture,
  waLeads,
  waOutbox,
  workspaceWithNumber,
} from "../support/workers/whatsapp-harness";

/** A bot with both reps linked (their alerts go there) and a WhatsApp number with an auto-reply, one workspace. */
async function numberWithLinkedReps(): Promise<{ bot: TestBot; num: TestNumber; chatOf: (rep: string) => string }> {
  const bot = await workspaceWithBot({ autoReplyText: "Hi from the bot" });
  const { chatOf } = await linkBothReps(bot);
  const num = await workspaceWithNumber({ autoReplyText: "Thanks {name}!" }, bot.ws);
  return { bot, num, chatOf };
}

/** A text from `wa` to the number; `texts` become that many messages of one delivery, in order. */
async function textsFrom(num: TestNumber, wa: string, texts: string[]): Promise<Payload> {
  const payload = retarget(await waFixture("message_text"), num, { waId: wa }, uniqueSuffix());
  const value = payload.entry[0].changes[0].value;
  const [first] = value.messages;
  value.messages = texts.map((body, i) => ({ ...first, id: `${first.id}.${i}`, text: { body } }));
  return payload;
}

/** Once the delivery's messages are all recorded as handled: the consumer is done with it. */
function handled(num: TestNumber, payload: Payload) {
  const ids: string[] = payload.entry.flatMap((e: any) =>
    e.changes.flatMap((c: any) => c.value.messages.map((m: any) => m.id)),
  );
  return eventually(async () => {
    const rs = await testDb().execute({
      sql: `SELECT count(*) AS n FROM whatsapp_inbound
            WHERE channel_id = ? AND message_id IN (SELECT value FROM json_each(?))`,
      args: [num.channelId, JSON.stringify(ids)],
    });
    expect(Number(rs.rows[0]!.n)).toBe(ids.length);
  }, 100);
}

async function sendsOfKind(leadId: string, kind: string) {
  return (await waOutbox((await leadOf(leadId)).workspace_id)).filter((r) => r.lead_id === leadId && r.kind === kind);
}

async function leadOf(leadId: string) {
  const rs = await testDb().execute({ sql: `SELECT * FROM lead WHERE id = ?`, args: [leadId] });
  return rs.rows[0] as Record<string, any>;
}

describe("inbound queue: libSQL round trips", () => {
  // First in the file: no earlier delivery's delayed copy can reach the consumer while requests are counted.
  it("a new prospect's message: at most 4 libSQL requests from the hook to the sent auto-reply and alert", async () => {
    const { num } = await numberWithLinkedReps();
    // Both the auto-reply and the alert are sent. The test's own polls are not counted (libsqlStats).
    const sent = new SentOutboxPoller(num.ws.id);
    const bothSent = async (wa: string) => expect(await sent.until(wa, 2)).toBe(2);
    // Warm, and settled: the isolate's caches (scoring rules) hold this workspace, as for any lead after the first,
    // and the warm lead's own sends are over before counting starts.
    const warmWa = uniqueWaId();
    await postWebhook(num, await textsFrom(num, warmWa, ["warm"]));
    await bothSent(warmWa);
    const wa = uniqueWaId();
    const before = (await libsqlStats()).pipelineRequests;
    expect((await postWebhook(num, await textsFrom(num, wa, ["How much?"]))).status).toBe(200);
    await bothSent(wa);
    const used = (await libsqlStats()).pipelineRequests - before;
    // Hook: the channel with the delivery's reads. After the 200: the capture's batch (the window and the handled
    // mark ride in it). Sends: claim with their context, outcomes. The delayed copy comes after this test.
    expect(used).toBeGreaterThanOrEqual(3);
    expect(used).toBeLessThanOrEqual(4);
  });

  it("a new prospect's Telegram message: at most 4 libSQL requests from the hook to the sent alert and replies", async () => {
    const bot = await workspaceWithBot({ autoReplyText: "Hi from the bot" });
    await linkBothReps(bot);
    // The owner's alert, the auto-reply and the first question: all three sent.
    const sent = new SentOutboxPoller(bot.ws.id, undefined, "telegram_user_id");
    const allSent = async (user: string) => expect(await sent.until(user, 3)).toBe(3);
    // Warm and settled, as for the WhatsApp count above.
    const warm = uniqueChatId();
    await deliver(bot, await textFrom(warm, "warm"));
    await allSent(warm);
    const user = uniqueChatId();
    const before = (await libsqlStats()).pipelineRequests;
    await deliver(bot, await textFrom(user, "How much for a quote?"));
    await allSent(user);
    const used = (await libsqlStats()).pipelineRequests - before;
    // Hook: the bot with the update's reads (seen, the chat's rep, the prospect's state). After the 200: the
    // capture's batch, holding the conversation, its first question and the update's mark. Sends: one claim of all
    // three with their context, one batch of outcomes.
    expect(used).toBeGreaterThanOrEqual(3);
    expect(used).toBeLessThanOrEqual(4);
    // Claimed together, the prospect's two messages still reach the chat in the order they were written.
    const texts = (await fakeCalls(user)).filter((c) => c.path.endsWith("/sendMessage")).map((c) => c.body.text);
    expect(texts).toEqual(["Hi from the bot", expect.stringContaining("What's your name?")]);
  });
});

describe("inbound queue: WhatsApp", () => {
  it("answers 200 at once; the lead is stored, alerted and auto-replied exactly once", async () => {
    const { num, chatOf } = await numberWithLinkedReps();
    const wa = uniqueWaId();
    const payload = await textsFrom(num, wa, ["Do you install garden lighting?"]);
    const res = await postWebhook(num, payload);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true, queued: true });

    await handled(num, payload);
    const [lead, ...more] = await waLeads(num.ws.id);
    expect(more).toHaveLength(0);
    expect(lead).toMatchObject({ source: "whatsapp", whatsapp_id: wa, message: "Do you install garden lighting?" });
    const [reply] = await graphSendsTo(wa, 1);
    expect(reply!.body.text.body).toBe("Thanks Dana Reyes!");
    const chat = chatOf(String(lead!.owner_rep_id));
    const alerts = await eventually(async () => {
      const calls = (await fakeCalls(chat)).filter((c) => c.path.endsWith("/sendMessage"));
      expect(calls).toHaveLength(1);
      return calls;
    }, 100);
    expect(JSON.stringify(alerts[0]!.body)).toContain(String(lead!.id));
    // Both rows sent, each once.
    await eventually(async () => {
      expect((await sendsOfKind(lead!.id, "auto_reply")).map((r) => r.state)).toEqual(["sent"]);
      expect((await sendsOfKind(lead!.id, "rep_alert")).map((r) => r.state)).toEqual(["sent"]);
    }, 100);
    expect(await graphSendsTo(wa, 1)).toHaveLength(1);
  });

  it("a redelivery (at-least-once) goes through the queue twice and changes nothing the second time", async () => {
    const { num } = await numberWithLinkedReps();
    const wa = uniqueWaId();
    const payload = await textsFrom(num, wa, ["Hello?"]);
    expect((await postWebhook(num, payload)).status).toBe(200);
    await handled(num, payload);
    expect((await postWebhook(num, payload)).status).toBe(200);
    // Each copy is handled right after its 200; the second is done once a later delivery of another prospect is.
    const later = await textsFrom(num, uniqueWaId(), ["Another prospect"]);
    expect((await postWebhook(num, later)).status).toBe(200);
    await handled(num, later);

    const leads = (await waLeads(num.ws.id)).filter((l) => l.whatsapp_id === wa);
    expect(leads).toHaveLength(1);
    expect((await waEvents(leads[0]!.id)).filter((e) => e.type === "created" || e.type === "message")).toHaveLength(1);
    expect(await sendsOfKind(leads[0]!.id, "auto_reply")).toHaveLength(1);
    expect(await sendsOfKind(leads[0]!.id, "rep_alert")).toHaveLength(1);
    expect(await graphSendsTo(wa, 1)).toHaveLength(1);
  });

  it("keeps a contact's order: within one delivery, and across deliveries posted one after another", async () => {
    const { num } = await numberWithLinkedReps();
    const wa = uniqueWaId();
    const first = await textsFrom(num, wa, ["one", "two", "three"]);
    const second = await textsFrom(num, wa, ["four"]);
    const third = await textsFrom(num, wa, ["five", "six"]);
    for (const p of [first, second, third]) expect((await postWebhook(num, p)).status).toBe(200);
    await handled(num, third);
    await handled(num, first);

    const [lead, ...more] = await waLeads(num.ws.id);
    expect(more).toHaveLength(0);
    const texts = (await waEvents(lead!.id))
      .filter((e) => e.type === "created" || e.type === "message")
      .map((e) => e.data.message ?? e.data.text);
    expect(texts).toEqual(["one", "two", "three", "four", "five", "six"]);
  });

  it("a consumer that meets a storage failure is retried, and the lead is stored and answered once", async () => {
    const { num } = await numberWithLinkedReps();
    const wa = uniqueWaId();
    // Over SMALL_DELIVERY messages: queued for the consumer at once, not handled after the 200.
    const texts = Array.from({ length: SMALL_DELIVERY + 1 }, (_, i) => `Are you open on Sundays? (${i})`);
    const payload = await textsFrom(num, wa, texts);
    // Reads pass, every write's answer is lost: the hook (a read and the queue) answers, the consumer fails.
    await setDatabase("drop-write-response");
    try {
      const res = await postWebhook(num, payload);
      expect(res.status).toBe(200);
      // The consumer's first write reached the database and its answer was lost: it has run and failed. That write
      // is the first message's capture, with the 24-hour window in its batch, so the lead is there whole.
      await eventually(async () => {
        const rs = await testDb().execute({
          sql: `SELECT count(*) AS n FROM whatsapp_window WHERE channel_id = ? AND address = ?`,
          args: [num.channelId, wa],
        });
        expect(Number(rs.rows[0]!.n)).toBe(1);
      }, 100);
      expect(await waLeads(num.ws.id)).toHaveLength(1);
    } finally {
      await setDatabase("up");
    }
    await handled(num, payload);
    const [lead, ...more] = await waLeads(num.ws.id);
    expect(more).toHaveLength(0);
    expect(await sendsOfKind(lead!.id, "auto_reply")).toHaveLength(1);
    // Its auto-reply was written by the batch whose answer was lost, so nothing sent it at once: the cron job does.
    await tick(Date.now());
    expect(await graphSendsTo(wa, 1)).toHaveLength(1);
  });

  it("a delivery over a queue message's size is stored in a row, queued by id, handled, the row dropped", async () => {
    const { num } = await numberWithLinkedReps();
    const was = Array.from({ length: 40 }, () => uniqueWaId());
    const payload = retarget(await waFixture("message_text"), num, { waId: was[0] }, uniqueSuffix());
    const value = payload.entry[0].changes[0].value;
    const [contact] = value.contacts;
    const [message] = value.messages;
    // 40 prospects, each message padded to ~4 KB: ~160 KB, over the 128 KB a queue message may hold.
    value.contacts = was.map((wa) => ({ ...contact, wa_id: wa, user_id: `US.${wa}` }));
    value.messages = was.map((wa, i) => ({
      ...message,
      id: `${message.id}.${i}`,
      from: wa,
      from_user_id: `US.${wa}`,
      text: { body: `Quote please ${"x".repeat(4000)}` },
    }));
    expect(JSON.stringify(payload).length).toBeGreaterThan(128 * 1024);
    const res = await postWebhook(num, payload);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true, queued: true });
    await handled(num, payload);
    expect(await waLeads(num.ws.id)).toHaveLength(40);
    await eventually(async () => {
      const rs = await testDb().execute({
        sql: `SELECT count(*) AS n FROM inbound_delivery WHERE channel_id = ?`,
        args: [num.channelId],
      });
      expect(Number(rs.rows[0]!.n)).toBe(0);
    });
  });

  it("without the queue binding the hook handles the delivery inline and answers with what it stored", async () => {
    const { num } = await numberWithLinkedReps();
    const parsed = parseConfig(env as unknown as Record<string, unknown>);
    if (!parsed.ok) throw new Error(parsed.issues.join());
    const app = createApp(parsed.config, CHANNELS);
    const wa = uniqueWaId();
    const body = JSON.stringify(await textsFrom(num, wa, ["No queue here"]));
    const res = await app.request(
      `/hooks/whatsapp/${num.channelId}`,
      {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": await sign(body, num.appSecret) },
        body,
      },
      { ...env, INBOUND: undefined },
      createExecutionContext(),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, handled: 1, duplicates: 0 });
    // Stored by the time of the answer: no waiting on a consumer.
    expect((await waLeads(num.ws.id)).map((l) => l.whatsapp_id)).toEqual([wa]);
  });
});

describe("inbound queue: a small delivery is handled right after the 200", () => {
  /** The hook with a queue that records what it is given and delivers nothing: no consumer can run. */
  async function postRecorded(num: TestNumber, payload: Payload) {
    const parsed = parseConfig(env as unknown as Record<string, unknown>);
    if (!parsed.ok) throw new Error(parsed.issues.join());
    const app = createApp(parsed.config, CHANNELS);
    const sent: { body: InboundMessage; options?: QueueSendOptions }[] = [];
    const inbound = {
      send: async (body: InboundMessage, options?: QueueSendOptions) => void sent.push({ body, options }),
    };
    const body = JSON.stringify(payload);
    const ectx = createExecutionContext();
    const res = await app.request(
      `/hooks/whatsapp/${num.channelId}`,
      {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": await sign(body, num.appSecret) },
        body,
      },
      { ...env, INBOUND: inbound },
      ectx,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, queued: true });
    await waitOnExecutionContext(ectx);
    return sent;
  }

  /** The delayed copy reaching the consumer, as the queue would deliver it; what the consumer answered. */
  async function consumeCopy(message: InboundMessage) {
    const id = `copy-${uniqueSuffix()}`;
    const batch = createMessageBatch<InboundMessage>(INBOUND_QUEUE, [
      { id, timestamp: new Date(), attempts: 1, body: message },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    return { id, result: await getQueueResult(batch, ctx) };
  }

  it("stores, alerts and auto-replies without the consumer; the delayed copy later changes nothing", async () => {
    const { num, chatOf } = await numberWithLinkedReps();
    const wa = uniqueWaId();
    const sent = await postRecorded(num, await textsFrom(num, wa, ["Do you deliver on Saturdays?"]));
    // One copy on the queue, delayed past the pass after the 200: the safety net, not the way the lead is handled.
    expect(sent).toHaveLength(1);
    expect(sent[0]!.options?.delaySeconds).toBe(SAFETY_NET_DELAY_S);

    // The queue above never delivers: the lead, its reply and its alert come from the pass after the 200.
    const [lead, ...more] = await waLeads(num.ws.id);
    expect(more).toHaveLength(0);
    expect(lead).toMatchObject({ whatsapp_id: wa, message: "Do you deliver on Saturdays?" });
    await graphSendsTo(wa, 1);
    const chat = chatOf(String(lead!.owner_rep_id));
    const alerts = async () => (await fakeCalls(chat)).filter((c) => c.path.endsWith("/sendMessage"));
    await eventually(async () => {
      expect(await alerts()).toHaveLength(1);
      expect((await sendsOfKind(lead!.id, "auto_reply")).map((r) => r.state)).toEqual(["sent"]);
      expect((await sendsOfKind(lead!.id, "rep_alert")).map((r) => r.state)).toEqual(["sent"]);
    }, 100);
    const eventsBefore = await waEvents(lead!.id);
    const leadBefore = await leadOf(lead!.id);

    // The copy arrives: acknowledged, and nothing is added, sent or changed. It costs one read: the number with
    // the check that its message was handled.
    const requestsBefore = (await libsqlStats()).pipelineRequests;
    const { id, result } = await consumeCopy(sent[0]!.body);
    expect((await libsqlStats()).pipelineRequests - requestsBefore).toBe(1);
    expect(result.explicitAcks).toContain(id);
    expect(result.retryMessages).toEqual([]);
    expect(await waLeads(num.ws.id)).toHaveLength(1);
    expect(await waEvents(lead!.id)).toEqual(eventsBefore);
    expect(await leadOf(lead!.id)).toEqual(leadBefore);
    expect(await sendsOfKind(lead!.id, "auto_reply")).toHaveLength(1);
    expect(await sendsOfKind(lead!.id, "rep_alert")).toHaveLength(1);
    expect(await graphSendsTo(wa, 1)).toHaveLength(1);
    expect(await alerts()).toHaveLength(1);
  });

  it("a pass that fails after the 200 is done by the delayed copy, once", async () => {
    const { num } = await numberWithLinkedReps();
    const wa = uniqueWaId();
    const payload = await textsFrom(num, wa, ["Is anyone there?"]);
    // Reads pass (the hook's lookup answers 200), every write is refused: the pass after the answer fails.
    await setDatabase("refuse-writes");
    let sent: Awaited<ReturnType<typeof postRecorded>>;
    try {
      sent = await postRecorded(num, payload);
    } finally {
      await setDatabase("up");
    }
    expect(await waLeads(num.ws.id)).toHaveLength(0);
    expect(sent).toHaveLength(1);

    const { id, result } = await consumeCopy(sent[0]!.body);
    expect(result.explicitAcks).toContain(id);
    const [lead, ...more] = await waLeads(num.ws.id);
    expect(more).toHaveLength(0);
    expect(lead).toMatchObject({ whatsapp_id: wa, message: "Is anyone there?" });
    await graphSendsTo(wa, 1);
    await eventually(async () => {
      expect((await sendsOfKind(lead!.id, "auto_reply")).map((r) => r.state)).toEqual(["sent"]);
    }, 100);
    // A second copy (a redelivery racing it) finds it all done.
    await consumeCopy(sent[0]!.body);
    expect(await waLeads(num.ws.id)).toHaveLength(1);
    expect(await graphSendsTo(wa, 1)).toHaveLength(1);
  });

  it("the pass and the copy at the same moment: one lead, one reply, one alert", async () => {
    const { num, chatOf } = await numberWithLinkedReps();
    const wa = uniqueWaId();
    const payload = await textsFrom(num, wa, ["Two at once?"]);
    const parsed = parseConfig(env as unknown as Record<string, unknown>);
    if (!parsed.ok) throw new Error(parsed.issues.join());
    const app = createApp(parsed.config, CHANNELS);
    const body = JSON.stringify(payload);
    const message: InboundMessage = { channel: "whatsapp", channelId: num.channelId, body };
    const ectx = createExecutionContext();
    // The consumer starts on the copy while the hook's pass runs.
    const [res] = await Promise.all([
      app.request(
        `/hooks/whatsapp/${num.channelId}`,
        {
          method: "POST",
          headers: { "content-type": "application/json", "x-hub-signature-256": await sign(body, num.appSecret) },
          body,
        },
        { ...env, INBOUND: { send: async () => undefined } },
        ectx,
      ),
      consumeCopy(message),
    ]);
    expect(res.status).toBe(200);
    await waitOnExecutionContext(ectx);
    const [lead, ...more] = await waLeads(num.ws.id);
    expect(more).toHaveLength(0);
    expect((await waEvents(lead!.id)).filter((e) => e.type === "created" || e.type === "message")).toHaveLength(1);
    await graphSendsTo(wa, 1);
    await eventually(async () => {
      expect((await sendsOfKind(lead!.id, "auto_reply")).map((r) => r.state)).toEqual(["sent"]);
      expect((await sendsOfKind(lead!.id, "rep_alert")).map((r) => r.state)).toEqual(["sent"]);
    }, 100);
    const alerts = (await fakeCalls(chatOf(String(lead!.owner_rep_id)))).filter((c) => c.path.endsWith("/sendMessage"));
    expect(alerts).toHaveLength(1);
    expect(await graphSendsTo(wa, 1)).toHaveLength(1);
  });
});

describe("inbound queue: Telegram", () => {
  it("an update is answered at once; the consumer captures and alerts once, a redelivery changes nothing", async () => {
    const bot = await workspaceWithBot({ autoReplyText: "Thanks!" });
    const { chatOf } = await linkBothReps(bot);
    const user = String(7_100_000_000 + Math.floor(Math.random() * 1e8));
    const update = retargetUpdate(await fixtureUpdate("start_deeplink"), user, nextUpdateId());
    const res = await postUpdate(bot, update, bot.secret);
    expect(res.status).toBe(200);
    const again = await postUpdate(bot, update, bot.secret);
    expect(again.status).toBe(200);
    const lead = await eventually(async () => {
      const [l, ...more] = await leadsOf(bot.ws.id);
      expect(more).toHaveLength(0);
      expect(l).toBeDefined();
      return l!;
    }, 100);
    await eventually(async () => {
      const rs = await testDb().execute({
        sql: `SELECT count(*) AS n FROM telegram_update WHERE channel_id = ? AND update_id = ?`,
        args: [bot.channelId, update.update_id],
      });
      expect(Number(rs.rows[0]!.n)).toBe(1);
      const alerts = (await fakeCalls(chatOf(String(lead.owner_rep_id)))).filter((c) =>
        c.path.endsWith("/sendMessage"),
      );
      expect(alerts).toHaveLength(1);
    }, 100);
    expect(await leadsOf(bot.ws.id)).toHaveLength(1);
  });

  it("a wrong secret is refused before anything is queued", async () => {
    const bot = await workspaceWithBot();
    const update = retargetUpdate(await fixtureUpdate("start_deeplink"), "7200000001", nextUpdateId());
    expect((await postUpdate(bot, update, "wrong")).status).toBe(401);
    expect((await postUpdate(bot, { hello: 1 }, bot.secret)).status).toBe(400);
  });
});

describe("inbound queue: safety nets", () => {
  it("a delivery that failed every try is parked by the dead-letter consumer, then handled by the sweep", async () => {
    const { num } = await numberWithLinkedReps();
    const wa = uniqueWaId();
    const body = JSON.stringify(await textsFrom(num, wa, ["Lost in the queue?"]));
    const message: InboundMessage = { channel: "whatsapp", channelId: num.channelId, body };
    const batch = createMessageBatch<InboundMessage>(INBOUND_DEAD_LETTERS, [
      { id: `dead-${uniqueSuffix()}`, timestamp: new Date(), attempts: 1, body: message },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result).toMatchObject({ ackAll: true, retryBatch: { retry: false }, retryMessages: [] });
    const parked = await testDb().execute({
      sql: `SELECT id, received_at FROM inbound_delivery WHERE channel_id = ?`,
      args: [num.channelId],
    });
    expect(parked.rows).toHaveLength(1);
    expect(await waLeads(num.ws.id)).toHaveLength(0);

    // Not yet stale: the sweep leaves it. Stale: handled, the row dropped, the auto-reply sent by the tick.
    await tick(Number(parked.rows[0]!.received_at) + 1000);
    expect(await waLeads(num.ws.id)).toHaveLength(0);
    await tick(Number(parked.rows[0]!.received_at) + 3 * 60_000);
    const [lead, ...more] = await waLeads(num.ws.id);
    expect(more).toHaveLength(0);
    expect(lead).toMatchObject({ whatsapp_id: wa, message: "Lost in the queue?" });
    const left = await testDb().execute({
      sql: `SELECT count(*) AS n FROM inbound_delivery WHERE channel_id = ?`,
      args: [num.channelId],
    });
    expect(Number(left.rows[0]!.n)).toBe(0);
    // A second sweep finds nothing to do: nothing doubled.
    await tick(Number(parked.rows[0]!.received_at) + 4 * 60_000);
    expect(await waLeads(num.ws.id)).toHaveLength(1);
    expect(await sendsOfKind(lead!.id, "auto_reply")).toHaveLength(1);
  });
});
