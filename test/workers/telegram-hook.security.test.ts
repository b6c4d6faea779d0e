import { afterEach, describe, expect, it } from "vitest";
import { appBehindFaultProxy, setDatabase } from "../support/workers/fault";
import { callRaw, isErrorShape, testDb } from "../support/workers/harness";
import { malformedCase, seededRandom } from "../support/workers/malformed-bodies";
import { eventually, fakeApiUrl, fakeCalls, tick } from "../support/workers/outbox-harness";
import {
  fixtureUpdate,
  linkRep,
  nextUpdateId,
  postUpdate,
  type TestBot,
  type Update,
  uniqueChatId,
  workspaceWithBot,
} from "../support/workers/telegram-harness";

/**
 * Hardening of `/hooks/telegram/:channelId`: every fixture update replayed 3×, generated malformed
 * deliveries with the right secret, and the database failing in the middle of an update. Telegram delivers
 * at least once and redelivers on any non-2xx, so each case checks that a repeat changes nothing and that
 * a failed delivery leaves nothing half-written.
 */

/** Every update fixture in test/fixtures/telegram (the rest are API answers and error bodies). */
const UPDATE_FIXTURES = [
  "callback_query",
  "contact_own_phone",
  "group_contact",
  "group_command_reply",
  "group_pinned_message",
  "group_text",
  "start_deeplink",
  "bot_blocked",
  "callback_query_inline",
  "edited_message",
  "document",
  "forwarded",
  "reply",
  "start",
  "start_minimal",
  "voice",
  "private_text",
  "private_text_2",
];

/** The fixture as if `userId` sent it (in a private chat with the bot, unless it is a group update). */
function asUser(update: Update, userId: string, updateId: number): Update {
  const u = structuredClone(update);
  u.update_id = updateId;
  for (const body of [u.message, u.edited_message, u.callback_query, u.my_chat_member]) {
    if (!body) continue;
    body.from.id = Number(userId);
    const chat = body.chat ?? body.message?.chat;
    if (chat?.type === "private") chat.id = Number(userId);
    if (body.contact?.user_id !== undefined) body.contact.user_id = Number(userId);
  }
  return u;
}

/** What a delivery can change: rows of the workspace and the calls the fake Bot API received. */
async function snapshot(bot: TestBot, recipients: string[]) {
  const rs = await testDb().execute({
    sql: `SELECT (SELECT count(*) FROM lead WHERE workspace_id = :ws) AS leads,
                 (SELECT count(*) FROM lead_event WHERE workspace_id = :ws) AS events,
                 (SELECT count(*) FROM outbox WHERE workspace_id = :ws) AS outbox,
                 (SELECT count(*) FROM suppression WHERE workspace_id = :ws) AS suppressions,
                 (SELECT count(*) FROM telegram_update WHERE channel_id = :channel) AS updates,
                 (SELECT group_concat(id || ':' || status || ':' || coalesce(owner_rep_id, '-') || ':'
                   || coalesce(notes, ''), '|') FROM lead WHERE workspace_id = :ws) AS leadState`,
    args: { ws: bot.ws.id, channel: bot.channelId },
  });
  const calls = (await Promise.all(recipients.map(fakeCalls))).flat().length;
  const row = rs.rows[0]!;
  return {
    leads: Number(row.leads),
    events: Number(row.events),
    outbox: Number(row.outbox),
    suppressions: Number(row.suppressions),
    updates: Number(row.updates),
    leadState: String(row.leadState ?? ""),
    calls,
  };
}

/** Waits until the sends the delivery caused are done (they go out under waitUntil, after the 200). */
async function settled(bot: TestBot) {
  await eventually(async () => {
    const rs = await testDb().execute({
      sql: `SELECT count(*) AS n FROM outbox WHERE workspace_id = ? AND state = 'pending' AND attempts = 0
        AND due_at <= ?`,
      args: [bot.ws.id, Date.now()],
    });
    if (Number(rs.rows[0]!.n) > 0) throw new Error("sends still pending");
  });
}

describe("telegram webhook: replaying every fixture update 3×", () => {
  it.each(UPDATE_FIXTURES)("%s: the 2nd and 3rd delivery answer 200 and change nothing", async (name) => {
    const bot = await workspaceWithBot({ autoReplyText: "Thanks {name}!" });
    const repChat = await linkRep(bot, bot.ws.reps[0]!.id);
    const user = uniqueChatId();
    // The prospect has written before, so later updates meet a lead (relays, edits) as in real use.
    const start = asUser(await fixtureUpdate("start"), user, nextUpdateId());
    expect((await postUpdate(bot, start, bot.secret)).status).toBe(200);
    await settled(bot);

    const update = asUser(await fixtureUpdate(name), user, nextUpdateId());
    const recipients = [user, repChat, String(update.callback_query?.id ?? "none"), `bot${bot.botId}`];
    const first = await postUpdate(bot, update, bot.secret);
    expect(first.status, first.text).toBe(200);
    await settled(bot);
    const once = await snapshot(bot, recipients);

    for (let i = 0; i < 2; i++) expect((await postUpdate(bot, update, bot.secret)).status).toBe(200);
    await settled(bot);
    expect(await snapshot(bot, recipients)).toEqual(once);
  });
});

describe("telegram webhook: fuzzing with the right secret", () => {
  const SEED = 0x7e1e;
  const CASES = 120;
  const LIMIT = 1_048_576;

  it("never a 5xx; a rejected delivery is one error shape and writes nothing; every lead stays whole", async () => {
    const bot = await workspaceWithBot();
    const r = seededRandom(SEED);
    const message = (await fixtureUpdate("private_text")).message as Update;
    const seen = new Map<number, number>();
    for (let i = 0; i < CASES; i++) {
      // Half the cases break the update itself, half break the message inside a well-formed update.
      const inner = r.next() < 0.5;
      const c = malformedCase(r, LIMIT, () =>
        inner
          ? { ...message, from: { ...message.from, id: 9_100_000 + r.int(20) } }
          : { update_id: nextUpdateId(), message },
      );
      let body = c.body;
      if (inner) {
        try {
          body = new TextEncoder().encode(
            JSON.stringify({ update_id: nextUpdateId(), message: JSON.parse(new TextDecoder().decode(c.body)) }),
          );
        } catch {
          // Not JSON: sent as it is, as the whole update.
        }
      }
      const before = await snapshot(bot, []);
      const headers: Record<string, string> = { "x-telegram-bot-api-secret-token": bot.secret };
      if (c.contentType !== null) headers["content-type"] = c.contentType;
      const res = await callRaw("POST", `/hooks/telegram/${bot.channelId}`, body, headers);
      const input = `case ${i} (${inner ? "message: " : ""}${c.label}, ${c.contentType})`;
      const what = `${input} → ${res.status} ${res.text.slice(0, 200)}`;
      seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
      expect(res.status, what).toBeLessThan(500);
      if (res.status >= 400) {
        expect(isErrorShape(res.json), what).toBe(true);
        const after = await snapshot(bot, []);
        expect(after, what).toEqual(before);
      }
    }
    expect(seen.get(200) ?? 0, "no delivery was accepted: the cases prove nothing").toBeGreaterThan(0);
    expect(
      [...seen.keys()].some((s) => s >= 400),
      "no delivery was rejected",
    ).toBe(true);
    // No half-written lead: every lead has its `created` event, every event and send belongs to a lead.
    const orphans = await testDb().execute({
      sql: `SELECT (SELECT count(*) FROM lead l WHERE l.workspace_id = :ws AND NOT EXISTS (SELECT 1 FROM lead_event e
                   WHERE e.lead_id = l.id AND e.type = 'created')) AS leadsWithoutCreated,
                   (SELECT count(*) FROM outbox o WHERE o.workspace_id = :ws AND o.lead_id IS NOT NULL
                     AND NOT EXISTS (SELECT 1 FROM lead l WHERE l.id = o.lead_id)) AS sendsWithoutLead`,
      args: { ws: bot.ws.id },
    });
    expect(orphans.rows[0]).toMatchObject({ leadsWithoutCreated: 0, sendsWithoutLead: 0 });
  });
});

describe("telegram webhook: database down during an update, then back", () => {
  afterEach(() => setDatabase("up"));

  const deliver = (app: ReturnType<typeof appBehindFaultProxy>, bot: TestBot, update: Update) =>
    app.request(`/hooks/telegram/${bot.channelId}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": bot.secret },
      body: JSON.stringify(update),
    });

  it("down → 503 so Telegram redelivers, nothing written; after recovery the redelivery is stored once", async () => {
    const bot = await workspaceWithBot();
    const app = appBehindFaultProxy({ TELEGRAM_API_ROOT: fakeApiUrl });
    const update = asUser(await fixtureUpdate("start_deeplink"), uniqueChatId(), nextUpdateId());
    const before = await snapshot(bot, []);

    await setDatabase("down");
    const down = await deliver(app, bot, update);
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    expect(isErrorShape(await down.json())).toBe(true);
    expect(await snapshot(bot, [])).toEqual(before);

    await setDatabase("up");
    expect((await deliver(app, bot, update)).status).toBe(200);
    const stored = await snapshot(bot, []);
    expect(stored).toMatchObject({ leads: Number(before.leads) + 1, updates: Number(before.updates) + 1 });
    // Telegram's own extra redelivery (it cannot know the 200 was final) changes nothing.
    expect((await deliver(app, bot, update)).status).toBe(200);
    expect(await snapshot(bot, [])).toEqual(stored);
  });

  it("a write's answer lost → 5xx; the lead written whole, the redelivery finishes the update once", async () => {
    const bot = await workspaceWithBot();
    const app = appBehindFaultProxy({ TELEGRAM_API_ROOT: fakeApiUrl });
    const user = uniqueChatId();
    const update = asUser(await fixtureUpdate("start_deeplink"), user, nextUpdateId());

    await setDatabase("drop-write-response");
    expect((await deliver(app, bot, update)).status).toBeGreaterThanOrEqual(500);
    await setDatabase("up");
    const afterFailure = await snapshot(bot, []);
    // The capture batch landed whole: the lead with its events, the bot's first question and the update's mark ride
    // in it, so nothing of the update is half-written.
    expect(afterFailure).toMatchObject({ leads: 1, updates: 1 });

    expect((await deliver(app, bot, update)).status).toBe(200);
    // app.request has no execution context (no waitUntil): the cron job sends what the update stored.
    await tick(Date.now());
    await settled(bot);
    const afterRetry = await snapshot(bot, [user]);
    // Same lead and timeline (the update was recorded as handled with them, so no re-inquiry); what the failed try
    // stored but never sent (the alert, the question) the cron job sends.
    expect(afterRetry).toMatchObject({
      leads: 1,
      events: afterFailure.events,
      leadState: afterFailure.leadState,
      updates: 1,
    });
    const sent = await testDb().execute({
      sql: `SELECT count(*) AS n FROM outbox WHERE workspace_id = ? AND recipient = ? AND state = 'sent'`,
      args: [bot.ws.id, user],
    });
    expect((await fakeCalls(user)).filter((c) => c.path.endsWith("/sendMessage")).length).toBe(Number(sent.rows[0]!.n));

    expect((await deliver(app, bot, update)).status).toBe(200);
    await tick(Date.now());
    await settled(bot);
    expect(await snapshot(bot, [user])).toEqual(afterRetry);
  });
});
