import { describe, expect, it } from "vitest";
import type { TelegramChannel } from "../../workers/domain/channels/telegram-channels";
import type { ListJson } from "../support/response-json";
import { call, type ErrorBody, isErrorShape, seedWorkspace, testDb } from "../support/workers/harness";
import { scriptFake } from "../support/workers/outbox-harness";
import {
  fixtureUpdate,
  nextUpdateId,
  postUpdate,
  retarget,
  uniqueChatId,
  workspaceWithBot,
} from "../support/workers/telegram-harness";

async function sideEffects(workspaceId: string, channelId: string) {
  const rs = await testDb().execute({
    sql: `SELECT (SELECT count(*) FROM lead WHERE workspace_id = :ws) AS leads,
                 (SELECT count(*) FROM outbox WHERE workspace_id = :ws) AS outbox,
                 (SELECT count(*) FROM telegram_update WHERE channel_id = :ch) AS updates`,
    args: { ws: workspaceId, ch: channelId },
  });
  return rs.rows[0];
}

describe("telegram webhook security", () => {
  it("a missing or wrong secret token → 401 in the error shape, and nothing is written", async () => {
    const bot = await workspaceWithBot({ autoReplyText: "Hi!" });
    const update = retarget(await fixtureUpdate("start_deeplink"), uniqueChatId(), nextUpdateId());
    const before = await sideEffects(bot.ws.id, bot.channelId);
    const oneOff = `${bot.secret.slice(0, -1)}${bot.secret.endsWith("a") ? "b" : "a"}`;
    for (const secret of [
      null,
      "",
      "wrong",
      oneOff,
      bot.secret.slice(0, -1),
      `${bot.secret}x`,
      bot.secret.toLowerCase() === bot.secret ? "X" : bot.secret.toLowerCase(),
    ]) {
      const res = await postUpdate(bot, update, secret);
      expect(res.status).toBe(401);
      expect(isErrorShape(res.json)).toBe(true);
    }
    expect(await sideEffects(bot.ws.id, bot.channelId)).toEqual(before);
    // The same update with the right secret is then handled (the 401s did not mark it as seen).
    expect((await postUpdate(bot, update, bot.secret)).status).toBe(200);
    expect((await sideEffects(bot.ws.id, bot.channelId))!.leads).toBe(1);
  });

  it("another bot's secret does not open this bot's webhook", async () => {
    const a = await workspaceWithBot();
    const b = await workspaceWithBot();
    const update = retarget(await fixtureUpdate("private_text"), uniqueChatId(), nextUpdateId());
    expect((await postUpdate(a, update, b.secret)).status).toBe(401);
    expect((await sideEffects(a.ws.id, a.channelId))!.leads).toBe(0);
  });

  it("an unknown channel → 404", async () => {
    const update = await fixtureUpdate("private_text");
    const res = await postUpdate({ channelId: "chan_doesnotexist" }, update, "whatever");
    expect(res.status).toBe(404);
    expect(isErrorShape(res.json)).toBe(true);
  });

  it("a body that is not an update → 400 after the secret check", async () => {
    const bot = await workspaceWithBot();
    expect((await postUpdate(bot, { hello: 1 } as never, bot.secret)).status).toBe(400);
  });

  it("the channel list never returns the token or the webhook secret", async () => {
    const bot = await workspaceWithBot();
    const res = await call<ListJson<TelegramChannel>>("GET", "/api/v1/channels/telegram", { key: bot.ws.key });
    expect(res.status).toBe(200);
    expect(res.json.data).toHaveLength(1);
    expect(res.text).not.toContain(bot.token.split(":")[1]);
    expect(res.text).not.toContain(bot.secret);
    // Other workspaces do not see it.
    const other = await seedWorkspace();
    expect(
      (await call<ListJson<TelegramChannel>>("GET", "/api/v1/channels/telegram", { key: other.key })).json.data,
    ).toEqual([]);
  });

  it("a token Telegram rejects → 422 on `token`, nothing stored", async () => {
    const ws = await seedWorkspace();
    const res = await call<ErrorBody>("POST", "/api/v1/channels/telegram", {
      key: ws.key,
      body: { token: "123456:REVOKEDxxxxxxxxxxxxxxxxxxxx" },
    });
    expect(res.status).toBe(422);
    expect(res.json.error.fields!.token).toMatch(/Telegram rejected/);
    expect(
      (await call<ListJson<TelegramChannel>>("GET", "/api/v1/channels/telegram", { key: ws.key })).json.data,
    ).toEqual([]);
    expect(
      (await call("POST", "/api/v1/channels/telegram", { key: ws.key, body: { token: "not-a-token" } })).status,
    ).toBe(422);
  });

  it("a webhook URL Telegram refuses → 422 naming `webhookUrl` and the cause; nothing changed", async () => {
    const ws = await seedWorkspace();
    const botId = String(Math.floor(Math.random() * 1e9) + 1e9);
    const token = `${botId}:AAtest-${Math.random().toString(36).slice(2, 14)}xxxxxxxx`;
    await scriptFake(`bot${botId}`, ["telegram_bad_webhook"]);
    const res = await call<ErrorBody>("POST", "/api/v1/channels/telegram", { key: ws.key, body: { token } });
    expect(res.status).toBe(422);
    expect(isErrorShape(res.json)).toBe(true);
    expect(res.json.error.fields!.token).toBeUndefined();
    expect(res.json.error.fields!.webhookUrl).toMatch(/HTTPS URL must be provided.*PUBLIC_URL/);
    expect(
      (await call<ListJson<TelegramChannel>>("GET", "/api/v1/channels/telegram", { key: ws.key })).json.data,
    ).toEqual([]);
    // Reconnecting a working bot with a refused URL keeps the working one as it was (its secret too).
    const bot = await workspaceWithBot();
    const before = (await testDb().execute({ sql: `SELECT config FROM channel WHERE id = ?`, args: [bot.channelId] }))
      .rows[0]!.config;
    await scriptFake(`bot${bot.botId}`, ["telegram_bad_webhook"]);
    const again = await call("POST", "/api/v1/channels/telegram", { key: bot.ws.key, body: { token: bot.token } });
    expect(again.status).toBe(422);
    const after = (await testDb().execute({ sql: `SELECT config FROM channel WHERE id = ?`, args: [bot.channelId] }))
      .rows[0]!.config;
    expect(after).toBe(before);
  });

  it("the channel API needs the workspace key", async () => {
    expect((await call<ListJson<TelegramChannel>>("GET", "/api/v1/channels/telegram")).status).toBe(401);
    expect((await call("POST", "/api/v1/channels/telegram", { body: { token: "1:x" } })).status).toBe(401);
  });
});
