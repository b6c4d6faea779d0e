import { createClient } from "@libsql/client";
import { describe, expect, inject, it } from "vitest";
import { browserWithWorkspace, SHOTS, signIn } from "../support/browser/chromium";

const env = inject("browserEnv");
const own = browserWithWorkspace("Channels Co");
const db = createClient({ url: env.libsqlUrl, intMode: "number" });

async function script(recipient: string, responses: string[]) {
  await fetch(`${env.fakeApiUrl}/_script`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ recipient, responses }),
  });
}

describe("channels page health", () => {
  it("a bot connected here shows its last webhook once Telegram calls it, and Telegram's delivery error", async () => {
    const page = await own.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, own.key);
    await page.goto(`${env.workerUrl}/app/channels`);
    const botId = String(1_500_000_000 + Math.floor(Math.random() * 1e8));
    await page.getByLabel("Bot token").fill(`${botId}:AAbrowser-health-${Date.now().toString(36)}xxxxxx`);
    await page.getByRole("button", { name: "Connect bot" }).click();
    await page.locator("[data-table=channels] tr[data-channel-id]").waitFor();
    const row = page.locator("[data-table=channels] tr[data-channel-id]");
    expect(await row.locator("[data-last-webhook]").textContent()).toBe("never");
    expect((await row.locator("[data-last-error]").textContent())?.trim()).toBe("none");

    // Telegram delivers an update to the webhook the page registered.
    const channelId = (await row.getAttribute("data-channel-id"))!;
    const config = JSON.parse(
      String((await db.execute({ sql: "SELECT config FROM channel WHERE id = ?", args: [channelId] })).rows[0]!.config),
    );
    const chat = 7_400_000_000 + Math.floor(Math.random() * 1e6);
    const res = await fetch(`${env.workerUrl}/hooks/telegram/${channelId}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": config.secretToken },
      body: JSON.stringify({
        update_id: 700_000_000 + Math.floor(Math.random() * 1e6),
        message: {
          message_id: 1,
          from: { id: chat, is_bot: false, first_name: "Nora" },
          chat: { id: chat, first_name: "Nora", type: "private" },
          date: Math.floor(Date.now() / 1000),
          text: "Do you fix boilers?",
        },
      }),
    });
    expect(res.status).toBe(200);
    // wrangler dev runs the inbound queue: the update is handled (and the channel stamped) by its consumer, just
    // after the answer. Looked up a bounded number of times.
    const stamped = async () =>
      (await db.execute({ sql: "SELECT last_webhook_at FROM channel WHERE id = ?", args: [channelId] })).rows[0]!
        .last_webhook_at !== null;
    for (let i = 0; i < 300 && !(await stamped()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await stamped()).toBe(true);
    // Telegram now reports that a later call to our webhook failed.
    await script(`bot${botId}`, ["telegram_webhook_error"]);
    await page.goto(`${env.workerUrl}/app/channels`);
    expect(await row.locator("[data-last-webhook]").textContent()).not.toBe("never");
    expect(await row.locator("[data-last-error]").textContent()).toContain(
      "Telegram could not deliver: Wrong response from the webhook: 502 Bad Gateway",
    );
    await page.screenshot({ path: `${SHOTS}/settings-channels.png`, fullPage: true });
    await page.close();
  });
});
