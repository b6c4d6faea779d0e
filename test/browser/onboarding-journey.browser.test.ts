import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium, newWorkspace, SHOTS, signIn } from "../support/browser/chromium";

const env = inject("browserEnv");

const steps = async (page: Page) => {
  await page.goto(`${env.workerUrl}/app`);
  const out: Record<string, string> = {};
  for (const li of await page.locator("[data-section=onboarding] li[data-step]").all())
    out[(await li.getAttribute("data-step"))!] = (await li.getAttribute("data-done"))!;
  return out;
};

/** What the fake Bot API received for a chat, polled a bounded number of times until `want` holds. */
async function telegramCalls(chatId: string, want: (texts: string[]) => boolean): Promise<string[]> {
  let texts: string[] = [];
  for (let i = 0; i < 50; i++) {
    const calls = (await (await fetch(`${env.fakeApiUrl}/_calls?recipient=${chatId}`)).json()) as {
      path: string;
      body: { text?: string };
    }[];
    texts = calls.filter((c) => c.path.endsWith("/sendMessage")).map((c) => String(c.body.text ?? ""));
    if (want(texts)) return texts;
    await new Promise((r) => setTimeout(r, 200));
  }
  return texts;
}

describe("onboarding journey, only through the browser", () => {
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("takes a new workspace to a test lead whose alert reaches the rep's Telegram chat", async () => {
    const ws = await newWorkspace("Journey Desk");
    // The snippet's copy button writes to the clipboard; the test reads it back.
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      permissions: ["clipboard-read", "clipboard-write"],
    });
    const page = await context.newPage();
    await signIn(page, ws.key);
    expect(await steps(page)).toEqual({ reps: "no", chat: "no", form: "no", channel: "no", lead: "no" });

    // 1. A rep.
    await page.getByRole("link", { name: "Add a rep" }).click();
    await page.getByLabel("Name").fill("Lina Park");
    await page.getByRole("button", { name: "Add rep" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    expect(await steps(page)).toMatchObject({ reps: "yes", chat: "no" });

    // 2. The bot, by its token (the fake Bot API answers getMe and setWebhook): the invite is a link to it.
    const botId = String(1_000_000_000 + Math.floor(Math.random() * 1e9));
    await page.getByRole("link", { name: "Open channels" }).click();
    await page.getByLabel("Bot token").fill(`${botId}:AAjourney-${Math.random().toString(36).slice(2, 14)}xxxxxxxx`);
    await page.getByRole("button", { name: "Connect bot" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `Connected @leaddesk_${botId}_bot` })
      .waitFor();
    expect(await steps(page)).toMatchObject({ channel: "yes", chat: "no" });

    // 3. The rep's chat: the owner makes an invite link; the rep opens it, and Telegram delivers their /start.
    await page.getByRole("link", { name: "Open reps" }).click();
    await page.getByRole("button", { name: "Telegram invite link" }).click();
    const link = (await page.locator("[data-invite-link]").textContent())!;
    expect(link).toMatch(new RegExp(`^https://t\\.me/leaddesk_${botId}_bot\\?start=rep_[A-Za-z0-9]{32}$`));
    const chatId = String(7_000_000_000 + Math.floor(Math.random() * 1e8));
    const start = `/start ${new URL(link).searchParams.get("start")}`;
    const delivered = await fetch(`${env.fakeApiUrl}/_deliver`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        bot: botId,
        update: {
          update_id: Math.floor(Math.random() * 1e9),
          message: {
            message_id: 1,
            from: { id: Number(chatId), is_bot: false, first_name: "Lina" },
            chat: { id: Number(chatId), first_name: "Lina", type: "private" },
            date: Math.floor(Date.now() / 1000),
            text: start,
            entities: [{ offset: 0, length: 6, type: "bot_command" }],
          },
        },
      }),
    });
    expect(await delivered.json()).toEqual({ status: 200 });
    expect(await telegramCalls(chatId, (t) => t.length > 0)).toEqual([
      "Linked: you are Lina Park. New leads will be alerted here, with buttons to work them.",
    ]);
    await page.reload();
    await page.locator('table[data-table="reps"] tr', { hasText: "Lina Park" }).getByText("Telegram").first().waitFor();
    expect(await steps(page)).toMatchObject({ chat: "yes", form: "no" });

    // 4. A form, and its snippet copied for the site.
    await page.getByRole("link", { name: "Create a form" }).click();
    await page.getByLabel("Form name").fill("Website");
    await page.getByRole("button", { name: "Create form" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Forms" }).click();
    await page.getByRole("button", { name: "Copy snippet" }).click();
    await page.getByRole("button", { name: "Copied" }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(new RegExp(`^<script src="${env.workerUrl}/embed\\.js" data-form="[^"]+" async></script>$`));
    expect(await steps(page)).toMatchObject({ form: "yes", lead: "no" });

    // 5. A test lead: routed to Lina, announced in her chat through the bot.
    await page.getByRole("button", { name: "Send a test lead" }).click();
    await page.getByRole("heading", { name: "Test lead" }).waitFor();
    const alerts = await telegramCalls(chatId, (t) => t.some((x) => x.startsWith("New lead")));
    const alert = alerts.find((x) => x.startsWith("New lead"));
    expect(alert).toMatch(/^New lead \(api\): Test lead( · score \d+\/10)?\nEmail: test-lead-/);

    expect(await steps(page)).toEqual({ reps: "yes", chat: "yes", form: "yes", channel: "yes", lead: "yes" });
    await page.locator("details[data-section=onboarding][data-complete] summary").waitFor();
    expect(await page.locator("details[data-section=onboarding]").getAttribute("open")).toBeNull();
    await page.screenshot({ path: `${SHOTS}/onboarding-journey-done.png`, fullPage: true });
    await context.close();
  });
});
