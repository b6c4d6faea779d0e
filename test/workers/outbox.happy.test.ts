import { describe, expect, it } from "vitest";
import { captureLead } from "../../workers/domain/capture/capture-lead";
import { claimDue, LEASE_MS } from "../../workers/outbox/claim";
import type { LeadCreatedJson, LeadDetailJson, LeadJson, ListJson, RepJson } from "../support/response-json";
import { call, seedWorkspace, submit, testDb, uniqueEmail } from "../support/workers/harness";
import {
  addTelegramChannel,
  domainContext,
  eventually,
  fakeCalls,
  outboxFor,
  scriptFake,
  tick,
  uniqueChatId,
} from "../support/workers/outbox-harness";

const MIN = 60_000;

/** A prospect writing to the workspace's bot, captured as Telegram intake captures one. */
async function telegramLead(workspaceId: string, chatId: string, name = "Tess") {
  const ctx = domainContext();
  const { lead } = await captureLead(
    { ctx, workspace: { id: workspaceId, defaultCountry: "US" }, actor: { type: "prospect" } },
    { source: "telegram", telegramUserId: chatId, name },
  );
  return lead;
}

describe("outbox", () => {
  it("a form lead's email auto-reply goes at once, rendered, in the capture's batch; cron never resends", async () => {
    const ws = await seedWorkspace({
      form: {
        autoReplyText: "Hi {name}, thanks for contacting us via {form}. {rep_name} will call you.",
        autoReplySubject: "Thanks {name}",
      },
    });
    const email = uniqueEmail();
    expect((await submit(ws.form.publicKey, { name: "Grace", email })).status).toBe(200);

    const calls = await eventually(async () => {
      const c = await fakeCalls(email);
      expect(c).toHaveLength(1);
      return c;
    });
    // {rep_name}: the rep routing assigned in the same capture.
    const lead = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key })).json.data[0]!;
    const repName = ws.reps.find((r) => r.id === lead.ownerRepId)!.name;
    expect(calls[0]!.body).toEqual({
      from: "LeadRelay <hello@leadrelay.test>",
      to: email,
      subject: "Thanks Grace",
      text: `Hi Grace, thanks for contacting us via Contact us. ${repName} will call you.`,
    });
    expect(calls[0]!.authorization).toBe("Bearer test-email-key");
    const rows = await eventually(async () => {
      const r = await outboxFor(lead.id);
      expect(r[0]?.state).toBe("sent");
      return r;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: "auto_reply",
      sender: "email",
      idempotency_key: `auto:${lead.id}`,
      attempts: 1,
    });

    // A re-inquiry gets no second auto-reply; a cron tick finds nothing left to send.
    await submit(ws.form.publicKey, { name: "Grace", email });
    await tick(Date.now() + MIN);
    expect(await fakeCalls(email)).toHaveLength(1);
    expect(await outboxFor(lead.id)).toHaveLength(1);
  });

  it("alerts the rep routing picked, in their Telegram chat, at once and once", async () => {
    const ws = await seedWorkspace();
    await addTelegramChannel(ws.id, {});
    const chats = new Map<string, string>();
    for (const rep of ws.reps) {
      const chat = uniqueChatId();
      chats.set(rep.id, chat);
      await call<RepJson>("PATCH", `/api/v1/reps/${rep.id}`, { key: ws.key, body: { telegramChatId: chat } });
    }
    const email = uniqueEmail();
    await submit(ws.form.publicKey, {
      name: "Rita",
      email,
      phone: "+1 415 555 0142",
      message: "Call me",
      page_url: "https://acme.test/?utm_medium=cpc",
    });
    const lead = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key })).json.data[0]!;
    const ownerChat = chats.get(lead.ownerRepId!)!;
    const calls = await eventually(async () => {
      const c = await fakeCalls(ownerChat);
      expect(c).toHaveLength(1);
      return c;
    });
    // A paid-ad click is intent: a hot lead under the default scoring rules, flagged first.
    expect(lead.hot).toBe(true);
    expect(calls[0]!.body.text).toBe(
      `HOT New lead (form): Rita · score ${lead.score}/10\nPhone: +14155550142\nEmail: ${email}\nMessage: Call me`,
    );
    await submit(ws.form.publicKey, { name: "Rita", email }); // re-inquiry: no second alert
    await tick(Date.now() + MIN);
    const all = await Promise.all([...chats.values()].map((c) => fakeCalls(c)));
    expect(all.flat()).toHaveLength(1);
  });

  it("429 then success: honours retry_after, backs off, and delivers exactly once", async () => {
    const ws = await seedWorkspace();
    await addTelegramChannel(ws.id, { autoReplyText: "Hello {name}!" });
    const chat = uniqueChatId();
    await scriptFake(chat, ["telegram_429"]);
    const lead = await telegramLead(ws.id, chat);
    const t0 = Date.now();

    await tick(t0);
    let rows = await outboxFor(lead.id);
    expect(rows[0]).toMatchObject({
      state: "pending",
      attempts: 1,
      last_error: "Too Many Requests: retry after 5",
      lease_until: null,
    });
    // Not before the provider's retry_after (5 s) nor our own backoff.
    expect(rows[0]!.due_at).toBeGreaterThanOrEqual(t0 + 5_000);

    // Too early for a cron run: it sends nothing. The retry the 429 scheduled for its time may have gone already
    // when this machine is slow, so what is checked is that nothing went before that time.
    await tick(t0 + 1_000);
    expect((await fakeCalls(chat)).filter((c) => c.at < t0 + 5_000)).toHaveLength(1);

    await tick(t0 + 2 * MIN);
    await tick(t0 + 3 * MIN);
    const calls = await fakeCalls(chat);
    expect(calls.map((c) => c.answered)).toEqual([429, 200]);
    expect(calls[1]!.body).toEqual({ chat_id: chat, text: "Hello Tess!" });
    expect(calls[1]!.path).toBe("/bot123456:TEST-token/sendMessage");
    rows = await outboxFor(lead.id);
    expect(rows[0]).toMatchObject({ state: "sent", attempts: 2 });
    expect(rows[0]!.provider_message_id).toMatch(/^\d+$/);
  });

  it("two overlapping cron runs send every message once", async () => {
    const ws = await seedWorkspace();
    await addTelegramChannel(ws.id, { autoReplyText: "Hi {name}" });
    const chats = Array.from({ length: 6 }, uniqueChatId);
    for (const chat of chats) await telegramLead(ws.id, chat);
    const at = Date.now() + MIN;

    await Promise.all([tick(at), tick(at), tick(at)]);
    for (const chat of chats) expect(await fakeCalls(chat)).toHaveLength(1);
    const rs = await testDb().execute({
      sql: `SELECT state, count(*) AS n FROM outbox WHERE workspace_id = ? GROUP BY state`,
      args: [ws.id],
    });
    expect(rs.rows.map((r) => [r.state, Number(r.n)])).toEqual([["sent", 6]]);
  });

  it("a run that crashes between claim and send: the row goes out after the lease, once", async () => {
    const ws = await seedWorkspace();
    await addTelegramChannel(ws.id, { autoReplyText: "Hi {name}" });
    const chat = uniqueChatId();
    const lead = await telegramLead(ws.id, chat);
    const t0 = Date.now() + MIN;

    // The crashed run: it claimed (leased) the due rows and never sent or recorded anything.
    const claimed = await claimDue(
      domainContext(() => t0),
      ["telegram"],
      500,
    );
    expect(claimed.map((r) => r.leadId)).toContain(lead.id);

    await tick(t0 + MIN); // still leased: not sent
    expect(await fakeCalls(chat)).toHaveLength(0);
    await tick(t0 + LEASE_MS + MIN); // lease expired: sent
    await tick(t0 + LEASE_MS + 2 * MIN);
    await tick(t0 + 2 * LEASE_MS + 3 * MIN);
    expect(await fakeCalls(chat)).toHaveLength(1);
    expect((await outboxFor(lead.id))[0]).toMatchObject({ state: "sent", attempts: 2 });
  });

  it("a row whose every attempt died mid-send is marked dead after its last lease, never sent", async () => {
    const { MAX_ATTEMPTS } = await import("../../workers/outbox/backoff");
    const ws = await seedWorkspace();
    await addTelegramChannel(ws.id, { autoReplyText: "Hi" });
    const chat = uniqueChatId();
    const lead = await telegramLead(ws.id, chat);
    let t = Date.now() + MIN;
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await claimDue(
        domainContext(() => t),
        ["telegram"],
        500,
      ); // a run that claims and dies
      t += LEASE_MS + MIN;
    }
    await tick(t);
    await tick(t + LEASE_MS + MIN);
    expect(await fakeCalls(chat)).toHaveLength(0);
    expect((await outboxFor(lead.id))[0]).toMatchObject({ state: "dead", attempts: MAX_ATTEMPTS, lease_until: null });
  });

  it("snoozing a lead reminds its owner in Telegram when the snooze ends, once", async () => {
    const { snoozeLead } = await import("../../workers/domain/leads/snooze");
    const ws = await seedWorkspace();
    await addTelegramChannel(ws.id, {});
    const repChat = uniqueChatId();
    await submit(ws.form.publicKey, { name: "Sam", email: uniqueEmail() });
    // Linked after the capture, so this chat sees only the reminder (not the new-lead alert).
    await call<RepJson>("PATCH", `/api/v1/reps/${ws.reps[0]!.id}`, { key: ws.key, body: { telegramChatId: repChat } });
    const lead = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key })).json.data[0]!;
    await call<LeadDetailJson>("PATCH", `/api/v1/leads/${lead.id}`, {
      key: ws.key,
      body: { ownerRepId: ws.reps[0]!.id },
    });

    const now = Date.now();
    const scope = { ctx: domainContext(() => now), workspace: { id: ws.id, defaultCountry: "US" } };
    const first = await snoozeLead(scope, lead.id, now + 60 * MIN);
    const again = await snoozeLead(scope, lead.id, now + 60 * MIN); // double tap
    expect(again.outboxId).toBe(first.outboxId);

    await tick(now + 30 * MIN);
    expect(await fakeCalls(repChat)).toHaveLength(0);
    await tick(now + 61 * MIN);
    await tick(now + 62 * MIN);
    const calls = await fakeCalls(repChat);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body.text).toBe(`Reminder: snoozed lead Sam (${lead.id}) is back.`);
  });
});

describe("what the outbox renders", () => {
  it("relays and alerts arrive exactly as typed; only the owner's templates take variables", async () => {
    const ws = await seedWorkspace();
    const channelId = await addTelegramChannel(ws.id, {});
    const lead = (
      await call<LeadCreatedJson>("POST", "/api/v1/leads", { key: ws.key, body: { name: "Ada", email: uniqueEmail() } })
    ).json.lead;
    const relayChat = uniqueChatId();
    const templateChat = uniqueChatId();
    const row = (id: string, kind: string, chat: string, text: string) =>
      testDb().execute({
        sql: `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload,
              idempotency_key, state, attempts, due_at, created_at, updated_at)
              VALUES (?, ?, ?, ?, 'telegram', ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
        args: [
          id,
          ws.id,
          lead.id,
          kind,
          channelId,
          chat,
          JSON.stringify({ text }),
          `test:${id}`,
          Date.now(),
          Date.now(),
          Date.now(),
        ],
      });
    await row(`obx_t${relayChat}`, "relay", relayChat, "Prospect wrote: use {name} as the salutation");
    await row(`obx_t${templateChat}`, "follow_up", templateChat, "Hi {name}!");
    await tick(Date.now() + MIN);
    await eventually(async () =>
      expect((await fakeCalls(relayChat))[0]?.body.text).toBe("Prospect wrote: use {name} as the salutation"),
    );
    await eventually(async () => expect((await fakeCalls(templateChat))[0]?.body.text).toBe("Hi Ada!"));
  });
});
