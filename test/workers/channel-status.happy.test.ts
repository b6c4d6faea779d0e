import { describe, expect, it } from "vitest";
import { call, dashboardSession, testDb } from "../support/workers/harness";
import { scriptFake, uniqueChatId } from "../support/workers/outbox-harness";
import { deliver, textFrom, workspaceWithBot } from "../support/workers/telegram-harness";
import {
  postWebhook,
  retarget,
  uniqueSuffix,
  uniqueWaId,
  waFixture,
  workspaceWithNumber,
} from "../support/workers/whatsapp-harness";

const lastWebhookAt = async (channelId: string) =>
  (await testDb().execute({ sql: "SELECT last_webhook_at FROM channel WHERE id = ?", args: [channelId] })).rows[0]!
    .last_webhook_at;

/** The channel's row on the channels page. */
async function channelRow(key: string, channelId: string): Promise<string> {
  const { cookie } = await dashboardSession(key);
  const page = await call("GET", "/app/channels", { headers: { cookie } });
  expect(page.status).toBe(200);
  const at = page.text.indexOf(`data-channel-id="${channelId}"`);
  expect(at).toBeGreaterThan(-1);
  return page.text.slice(at, page.text.indexOf("</tr>", at));
}

describe("channel health on the channels page", () => {
  it("a Telegram bot shows when its last update arrived, Telegram's delivery error and a failed send", async () => {
    const bot = await workspaceWithBot();
    expect(await lastWebhookAt(bot.channelId)).toBeNull();
    expect(await channelRow(bot.ws.key, bot.channelId)).toMatch(/data-last-webhook><span class="muted">never/);

    const before = Date.now();
    await deliver(bot, await textFrom(uniqueChatId(), "Hello, is this the plumber?"));
    expect(Number(await lastWebhookAt(bot.channelId))).toBeGreaterThanOrEqual(before);
    let row = await channelRow(bot.ws.key, bot.channelId);
    expect(row).not.toMatch(/data-last-webhook><span class="muted">never/);
    expect(row).toMatch(/data-last-error><span class="muted">none/);

    // Telegram's getWebhookInfo reports that our webhook failed; a send through the bot failed for good.
    await scriptFake(`bot${bot.botId}`, ["telegram_webhook_error"]);
    await testDb().execute({
      sql: `INSERT INTO outbox (id, workspace_id, kind, sender, channel_id, recipient, payload, idempotency_key, state,
              attempts, due_at, last_error, created_at, updated_at)
            VALUES (?, ?, 'bot_reply', 'telegram', ?, '1', '{}', ?, 'failed', 1, ?,
              'Forbidden: bot was blocked by the user', ?, ?)`,
      args: [`obx_t${uniqueSuffix()}`, bot.ws.id, bot.channelId, `test:${uniqueSuffix()}`, before, before, before],
    });
    row = await channelRow(bot.ws.key, bot.channelId);
    expect(row).toContain("Telegram could not deliver: Wrong response from the webhook: 502 Bad Gateway");
    expect(row).toContain("3 waiting");
    expect(row).toContain("Send failed: Forbidden: bot was blocked by the user");
  });

  it("a WhatsApp number shows its last webhook, Meta's error for it and numbers not connected here", async () => {
    const num = await workspaceWithNumber();
    expect(await lastWebhookAt(num.channelId)).toBeNull();
    const before = Date.now();
    const res = await postWebhook(num, retarget(await waFixture("errors_rate_limit"), num, {}, uniqueSuffix()));
    expect(res.status).toBe(200);
    expect(Number(await lastWebhookAt(num.channelId))).toBeGreaterThanOrEqual(before);
    const row = await channelRow(num.ws.key, num.channelId);
    expect(row).not.toMatch(/data-last-webhook><span class="muted">never/);
    expect(row).toContain("130429");

    // A number of the same Meta app that this workspace never connected: said on the number that got it.
    const unknown = { phoneNumberId: "109876543210123" };
    await postWebhook(num, retarget(await waFixture("message_text"), unknown, { waId: uniqueWaId() }, uniqueSuffix()));
    expect(await channelRow(num.ws.key, num.channelId)).toContain(
      "Number 109876543210123 is not connected here: 1 messages, 0 statuses ignored",
    );
  });

  it("a WhatsApp redelivery of messages handled before still moves the number's last webhook", async () => {
    const num = await workspaceWithNumber();
    const delivery = retarget(await waFixture("message_text"), num, { waId: uniqueWaId() }, uniqueSuffix());
    expect((await postWebhook(num, delivery)).status).toBe(200);
    expect(await lastWebhookAt(num.channelId)).not.toBeNull();
    // Long ago, as if the number had been quiet since; then Meta delivers the same message again.
    await testDb().execute({ sql: "UPDATE channel SET last_webhook_at = 1 WHERE id = ?", args: [num.channelId] });
    const before = Date.now();
    const again = await postWebhook(num, delivery);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ handled: 0, duplicates: 1 });
    expect(Number(await lastWebhookAt(num.channelId))).toBeGreaterThanOrEqual(before);

    // A forged delivery (wrong signature) moves nothing.
    await testDb().execute({ sql: "UPDATE channel SET last_webhook_at = 1 WHERE id = ?", args: [num.channelId] });
    expect((await postWebhook(num, delivery, "sha256=00")).status).toBe(401);
    expect(Number(await lastWebhookAt(num.channelId))).toBe(1);
  });

  it("another workspace's channels never show", async () => {
    const a = await workspaceWithBot();
    const b = await workspaceWithBot();
    const { cookie } = await dashboardSession(a.ws.key);
    const page = await call("GET", "/app/channels", { headers: { cookie } });
    expect(page.text).toContain(`data-channel-id="${a.channelId}"`);
    expect(page.text).not.toContain(b.channelId);
  });
});
