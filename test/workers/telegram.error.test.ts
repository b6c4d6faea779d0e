import { afterEach, describe, expect, it } from "vitest";
import { appBehindFaultProxy, setDatabase } from "../support/workers/fault";
import { testDb } from "../support/workers/harness";
import { fakeApiUrl } from "../support/workers/outbox-harness";
import {
  eventsOf,
  fixtureUpdate,
  leadsOf,
  nextUpdateId,
  retarget,
  type TestBot,
  textFrom,
  type Update,
  uniqueChatId,
  workspaceWithBot,
} from "../support/workers/telegram-harness";

const app = () => appBehindFaultProxy({ TELEGRAM_API_ROOT: fakeApiUrl });
const post = (bot: TestBot, update: Update) =>
  app().request(`/hooks/telegram/${bot.channelId}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": bot.secret },
    body: JSON.stringify(update),
  });

async function state(bot: TestBot) {
  const rs = await testDb().execute({
    sql: `SELECT (SELECT count(*) FROM lead WHERE workspace_id = :ws) AS leads,
                 (SELECT count(*) FROM lead_event WHERE workspace_id = :ws
                   AND type IN ('created', 're-inquiry')) AS inquiries,
                 (SELECT count(*) FROM outbox WHERE workspace_id = :ws AND kind = 'bot_reply') AS replies,
                 (SELECT count(*) FROM telegram_update WHERE channel_id = :ch) AS updates`,
    args: { ws: bot.ws.id, ch: bot.channelId },
  });
  return Object.fromEntries(Object.entries(rs.rows[0]!).map(([k, v]) => [k, Number(v)]));
}

describe("telegram webhook when storage fails", () => {
  afterEach(() => setDatabase("up"));

  it("database down → 503 (Telegram redelivers), nothing stored; the redelivery is handled once", async () => {
    const bot = await workspaceWithBot();
    const update = retarget(await fixtureUpdate("start_deeplink"), uniqueChatId(), nextUpdateId());
    await setDatabase("down");
    expect((await post(bot, update)).status).toBe(503);
    await setDatabase("up");
    expect(await state(bot)).toEqual({ leads: 0, inquiries: 0, replies: 0, updates: 0 });
    expect((await post(bot, update)).status).toBe(200);
    expect(await state(bot)).toEqual({ leads: 1, inquiries: 1, replies: 1, updates: 1 });
  });

  it("capture committed, answer lost → 5xx; the batch held the whole update, the redelivery adds nothing", async () => {
    const bot = await workspaceWithBot();
    const user = uniqueChatId();
    const update = retarget(await fixtureUpdate("start_deeplink"), user, nextUpdateId());
    await setDatabase("drop-write-response");
    expect((await post(bot, update)).status).toBeGreaterThanOrEqual(500);
    await setDatabase("up");
    // The batch committed: the lead, the first question and the update's mark, together.
    expect(await state(bot)).toEqual({ leads: 1, inquiries: 1, replies: 1, updates: 1 });
    expect((await post(bot, update)).status).toBe(200);
    expect(await state(bot)).toEqual({ leads: 1, inquiries: 1, replies: 1, updates: 1 });
    expect((await leadsOf(bot.ws.id))[0]!.telegram_user_id).toBe(user);
  });

  it("an answer's capture committed, reply lost → 5xx; the redelivery moves the step once, asks once", async () => {
    const bot = await workspaceWithBot();
    const user = uniqueChatId();
    expect((await post(bot, retarget(await fixtureUpdate("start_deeplink"), user, nextUpdateId()))).status).toBe(200);
    const name = await textFrom(user, "Jane Doe");
    const step = async () =>
      (
        await testDb().execute({
          sql: `SELECT step FROM telegram_conversation WHERE channel_id = ? AND chat_id = ?`,
          args: [bot.channelId, user],
        })
      ).rows[0]!.step;
    await setDatabase("drop-write-response");
    expect((await post(bot, name)).status).toBeGreaterThanOrEqual(500);
    await setDatabase("up");
    // Whichever write lost its answer (a known contact's capture writes twice: the optimistic batch that finds
    // the contact, then the re-inquiry), the answer is on the lead at most once and the question has not moved on.
    const [lead] = await leadsOf(bot.ws.id);
    expect((await eventsOf(lead!.id)).filter((e) => e.type === "re-inquiry").length).toBeLessThanOrEqual(1);
    expect(await step()).toBe("name");
    expect((await post(bot, name)).status).toBe(200);
    expect(await step()).toBe("need");
    expect((await leadsOf(bot.ws.id))[0]!.name).toBe("Jane Doe");
    expect((await eventsOf(lead!.id)).filter((e) => e.type === "re-inquiry")).toHaveLength(1);
    const asked = await testDb().execute({
      sql: `SELECT count(*) AS n FROM outbox WHERE idempotency_key LIKE ?`,
      args: [`tg:${bot.channelId}:${name.update_id}:%`],
    });
    expect(Number(asked.rows[0]!.n)).toBe(1);
  });
});
