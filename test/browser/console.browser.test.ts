import { createHmac } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createClient } from "@libsql/client";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium } from "../support/browser/chromium";

const env = inject("browserEnv");
const SHOTS = "test-results/console";
const WIDTHS = [1280, 390] as const;
const db = createClient({ url: env.libsqlUrl });
const number = { phoneNumberId: "555000111", appSecret: "console-app-secret-123456", channelId: "" };
let browser: Browser;
let seq = 0;
const unique = () => `${Date.now().toString(36)}${++seq}`;

async function api(path: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(`${env.workerUrl}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${env.apiKey}`, ...(init.body ? { "content-type": "application/json" } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  const json = (await res.json()) as any;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function newLead(body: { name: string; email: string }) {
  return (await api("/api/v1/leads", { method: "POST", body })).lead as {
    id: string;
    email: string;
    ownerRepId: string | null;
  };
}

async function fakeCalls(recipient: string) {
  return (await (await fetch(`${env.fakeApiUrl}/_calls?recipient=${encodeURIComponent(recipient)}`)).json()) as any[];
}

/** A prospect's WhatsApp text to the number, signed as Meta signs; `ageMs` back-dates it (the 24-hour window). */
async function whatsappMessage(waId: string, name: string, text: string, ageMs = 0) {
  const body = JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "WABA1",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: number.phoneNumberId },
              contacts: [{ profile: { name }, wa_id: waId }],
              messages: [
                {
                  from: waId,
                  id: `wamid.${unique()}`,
                  timestamp: String(Math.floor((Date.now() - ageMs) / 1000)),
                  type: "text",
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  });
  const sig = `sha256=${createHmac("sha256", number.appSecret).update(body).digest("hex")}`;
  const res = await fetch(`${env.workerUrl}/hooks/whatsapp/${number.channelId}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": sig },
    body,
  });
  expect(res.status).toBe(200);
  // `wrangler dev` runs the inbound queue: the 200 comes first, the lead a moment later (bounded by a count).
  for (let tries = 0; tries < 100; tries++) {
    const rs = await db.execute({ sql: `SELECT id FROM lead WHERE whatsapp_id = ?`, args: [waId] });
    if (rs.rows[0]) return { id: String(rs.rows[0].id) };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no lead for WhatsApp ${waId}`);
}

/** A lead who talks to the workspace's Telegram bot (the chat identity is what the reply route uses). */
async function telegramLead(name: string) {
  const chat = String(7_000_000_000 + Math.floor(Math.random() * 1e8));
  const lead = await newLead({ name, email: `${unique()}@example.com` });
  await db.execute({
    sql: `UPDATE lead SET telegram_user_id = ?, source = 'telegram' WHERE id = ?`,
    args: [chat, lead.id],
  });
  return { id: lead.id as string, chat };
}

async function consolePage(width: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: width < 500 ? 844 : 900 } });
  await page.goto(`${env.workerUrl}/app/login`);
  await page.getByLabel("Workspace API key").fill(env.apiKey);
  await page.getByRole("button", { name: "Use the API key" }).click();
  await page.waitForURL(`${env.workerUrl}/app`);
  return page;
}

/** At phone width nothing is wider than the screen and every button and field is a 44 px target. */
async function checkFits(page: Page, width: number) {
  if (width > 500) return;
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
  const small = await page.evaluate(() =>
    Array.from(
      document.querySelectorAll("main button, main select, main input:not([type=hidden]), main textarea, .nav-button"),
    )
      .filter((el) => (el as HTMLElement).offsetParent !== null && el.getBoundingClientRect().height < 44)
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  expect(small).toEqual([]);
}

async function shot(page: Page, name: string, width: number) {
  await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
  await api("/api/v1/channels/telegram", {
    method: "POST",
    body: { token: "4242424242:AAconsole-test-token-xxxxxxxx" },
  });
  const wa = await api("/api/v1/channels/whatsapp", {
    method: "POST",
    body: {
      phoneNumberId: number.phoneNumberId,
      accessToken: "EAAGconsoleTESTTOKENxxxxxxxx",
      appSecret: number.appSecret,
      verifyToken: "verify-console",
      templates: { rep_reply: { name: "follow_up_hello", language: "en_US", parameters: ["{name}"] } },
    },
  });
  number.channelId = wa.id;
});
afterAll(async () => {
  await browser?.close();
  db.close();
});

describe.each(WIDTHS)("owner console at %i px", (width) => {
  it("lead page: status, owner and a note, seen through the API; the same time in list and page", async () => {
    const lead = await newLead({ name: `Status ${width}`, email: `st-${unique()}@example.com` });
    const page = await consolePage(width);
    await page.goto(`${env.workerUrl}/app/leads/${lead.id}`);
    await page.getByLabel("Status", { exact: true }).selectOption("contacted");
    await page.getByRole("button", { name: "Change status" }).click();
    await page.getByRole("status").filter({ hasText: "Status changed." }).waitFor();
    const other = env.reps.find((r) => r.id !== lead.ownerRepId)!;
    await page.getByLabel("Owner", { exact: true }).selectOption(other.id);
    await page.getByRole("button", { name: "Hand over" }).click();
    await page.getByRole("status").filter({ hasText: "Owner changed." }).waitFor();
    await page.getByLabel("Note").fill("Wants a quote by Friday");
    await page.getByRole("button", { name: "Add note" }).click();
    await page.getByRole("status").filter({ hasText: "Note added." }).waitFor();
    // An empty note is refused next to its control, and nothing is written.
    await page.getByRole("button", { name: "Add note" }).click();
    await page.locator("#note-error").filter({ hasText: "A note needs some text." }).waitFor();

    const { lead: after, events } = await api(`/api/v1/leads/${lead.id}`);
    expect(after).toMatchObject({ status: "contacted", ownerRepId: other.id });
    // The owner signed in as a person (the first key sign-in creates them): each change names that person.
    const notes = events.filter((e: any) => e.type === "note");
    expect(notes.map((e: any) => [e.actorType, e.data.notes])).toEqual([["person", "Wants a quote by Friday"]]);
    const owner = (await api("/api/v1/people")).data.find((p: any) => p.role === "owner");
    expect(notes[0].actorId).toBe(owner.id);
    const statusEvent = events.find((e: any) => e.type === "status_changed");
    expect(statusEvent).toMatchObject({
      actorType: "person",
      actorId: notes[0].actorId,
      data: { from: "new", to: "contacted" },
    });
    const timeline = await page.locator("ol.timeline").textContent();
    expect(timeline).not.toContain("status_changed");
    expect(timeline).toContain("New → Contacted");
    await checkFits(page, width);
    await shot(page, "lead", width);

    const captured = (await page.locator('[data-field="captured"] time').textContent())!.trim();
    await page.goto(`${env.workerUrl}/app/leads?q=${encodeURIComponent(lead.email)}`);
    expect((await page.locator(`tr[data-lead-id="${lead.id}"] [data-col="captured"] time`).textContent())!.trim()).toBe(
      captured,
    );
    await page.close();
  });

  it("replies to a WhatsApp lead and to a Telegram lead through their own channel", async () => {
    const waId = `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
    const wa = await whatsappMessage(waId, `WA ${width}`, "Do you deliver on Sundays?");
    const page = await consolePage(width);
    await page.goto(`${env.workerUrl}/app/leads/${wa.id}`);
    expect(await page.locator("[data-thread]").textContent()).toContain("Do you deliver on Sundays?");
    await page.getByLabel("Reply on WhatsApp").fill(`Yes, we do (${width})`);
    await page.getByRole("button", { name: "Send on WhatsApp" }).click();
    await page.getByRole("status").filter({ hasText: "Reply queued" }).waitFor();
    await expect
      .poll(async () => (await fakeCalls(waId)).map((c: any) => c.body?.text?.body))
      .toContain(`Yes, we do (${width})`);
    // The thread shows the reply with its delivery state once the platform accepted it.
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator('[data-direction="out"] [data-state]').last().getAttribute("data-state");
      })
      .toBe("sent");
    await checkFits(page, width);
    await shot(page, "lead-whatsapp", width);

    const tg = await telegramLead(`TG ${width}`);
    await page.goto(`${env.workerUrl}/app/leads/${tg.id}`);
    await page.getByLabel("Reply on Telegram").fill(`Hello from the console (${width})`);
    await page.getByRole("button", { name: "Send on Telegram" }).click();
    await page.getByRole("status").filter({ hasText: "Reply queued" }).waitFor();
    await expect
      .poll(async () => (await fakeCalls(tg.chat)).map((c: any) => c.body?.text))
      .toContain(`Hello from the console (${width})`);
    await page.close();
  });

  it("offers the approved templates outside the 24-hour window and says why", async () => {
    const waId = `1556${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
    const lead = await whatsappMessage(waId, `Old ${width}`, "Any news?", 2 * 86_400_000);
    const page = await consolePage(width);
    await page.goto(`${env.workerUrl}/app/leads/${lead.id}`);
    expect(await page.locator("[data-reply-why]").textContent()).toContain("more than 24 hours old");
    expect(await page.getByLabel("Reply on WhatsApp").count()).toBe(0);
    await page.getByLabel("Approved template").selectOption("follow_up_hello");
    await page.getByRole("button", { name: "Send template on WhatsApp" }).click();
    await page.getByRole("status").filter({ hasText: "Reply queued" }).waitFor();
    await expect
      .poll(async () => (await fakeCalls(waId)).map((c: any) => c.body?.template?.name))
      .toContain("follow_up_hello");
    const timeline = await page.locator("ol.timeline").textContent();
    expect(timeline).toContain("to the prospect: template “follow_up_hello”");
    await checkFits(page, width);
    await shot(page, "lead-template", width);
    await page.close();
  });

  it("retries a failed delivery from the queue through the outbox", async () => {
    const waId = `1557${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
    const lead = await whatsappMessage(waId, `Fail ${width}`, "Call me");
    await fetch(`${env.fakeApiUrl}/_script`, {
      method: "POST",
      body: JSON.stringify({ recipient: waId, responses: ["wa_190"] }),
    });
    const page = await consolePage(width);
    await page.goto(`${env.workerUrl}/app/leads/${lead.id}`);
    await page.getByLabel("Reply on WhatsApp").fill("Calling you now");
    await page.getByRole("button", { name: "Send on WhatsApp" }).click();
    await page.getByRole("status").filter({ hasText: "Reply queued" }).waitFor();
    await expect.poll(async () => (await fakeCalls(waId)).map((c: any) => c.answered)).toEqual([401]);
    const row = page.locator(`[data-queue="failed"] tr:has(a[href="/app/leads/${lead.id}"])`);
    await expect
      .poll(async () => {
        await page.goto(`${env.workerUrl}/app/queues`);
        return row.count();
      })
      .toBe(1);
    expect(await row.locator('[data-col="error"]').textContent()).toMatch(/access token/);
    expect(Number(await page.locator('[data-nav-count="queues"]').textContent())).toBeGreaterThanOrEqual(1);
    await checkFits(page, width);
    await shot(page, "queues", width);
    await row.getByRole("button", { name: "Retry" }).click();
    await page.getByRole("status").filter({ hasText: "Sent again" }).waitFor();
    await expect
      .poll(async () => (await fakeCalls(waId)).filter((c: any) => c.body?.text?.body === "Calling you now").length)
      .toBe(2);
    await expect
      .poll(async () => {
        await page.goto(`${env.workerUrl}/app/queues`);
        return row.count();
      })
      .toBe(0);
    await page.close();
  });

  it("moves a card on the board with a button and with the keyboard", async () => {
    const lead = await newLead({ name: `Board ${width}`, email: `bd-${unique()}@example.com` });
    const page = await consolePage(width);
    await page.goto(`${env.workerUrl}/app/board`);
    const card = page.locator(`article[data-lead-id="${lead.id}"]`);
    expect(await card.evaluate((el) => el.closest("section")!.dataset.column)).toBe("new");
    await card.getByRole("button", { name: "Contacted →" }).click();
    await page.waitForURL(/\/app\/board/);
    await expect
      .poll(() => page.locator(`[data-column="contacted"] article[data-lead-id="${lead.id}"]`).count())
      .toBe(1);
    await page.locator(`article[data-lead-id="${lead.id}"]`).focus();
    await page.keyboard.press("ArrowRight");
    await expect
      .poll(() => page.locator(`[data-column="qualified"] article[data-lead-id="${lead.id}"]`).count())
      .toBe(1);
    expect((await api(`/api/v1/leads/${lead.id}`)).lead.status).toBe("qualified");
    await checkFits(page, width);
    await shot(page, "board", width);
    await page.close();
  });

  it("assigns selected leads in bulk, with the total, sorting and filters", async () => {
    const tag = unique();
    const leads = [];
    for (const i of [1, 2])
      leads.push(await newLead({ name: `Bulk ${tag} ${i}`, email: `bulk-${tag}-${i}@example.com` }));
    const page = await consolePage(width);
    await page.goto(`${env.workerUrl}/app/leads?q=${tag}&sort=waiting`);
    expect(await page.locator("[data-total]").textContent()).toContain("2 leads");
    for (const l of leads) await page.locator(`tr[data-lead-id="${l.id}"] input[type=checkbox]`).check();
    await page.getByLabel("Give selected to").selectOption(env.reps[1]!.id);
    await page.getByRole("button", { name: "Apply to selected" }).click();
    await page.getByRole("status").filter({ hasText: "2 leads changed." }).waitFor();
    for (const l of leads) expect((await api(`/api/v1/leads/${l.id}`)).lead.ownerRepId).toBe(env.reps[1]!.id);
    await page.goto(`${env.workerUrl}/app/leads?q=${tag}&owner=${env.reps[1]!.id}&waiting=1`);
    expect(await page.locator("[data-total]").textContent()).toContain("2 leads");
    await checkFits(page, width);
    await shot(page, "leads", width);
    await page.close();
  });

  it("shows in the unassigned queue a lead nobody could take, and why", async () => {
    for (const r of env.reps) await api(`/api/v1/reps/${r.id}`, { method: "PATCH", body: { paused: true } });
    const lead = await newLead({ name: `Nobody ${width}`, email: `nb-${unique()}@example.com` });
    expect(lead.ownerRepId).toBeNull();
    const page = await consolePage(width);
    await page.goto(`${env.workerUrl}/app/queues`);
    const why = await page
      .locator(`[data-queue="unassigned"] tr[data-lead-id="${lead.id}"] [data-col="why"]`)
      .textContent();
    expect(why).toContain("Nobody could take it");
    expect(why).toContain(`${env.reps[0]!.name} is paused`);
    // A rep who resumes drains the queue: the lead leaves it with an owner.
    for (const r of env.reps) await api(`/api/v1/reps/${r.id}`, { method: "PATCH", body: { paused: false } });
    expect((await api(`/api/v1/leads/${lead.id}`)).lead.ownerRepId).not.toBeNull();
    await page.reload();
    expect(await page.locator(`[data-queue="unassigned"] tr[data-lead-id="${lead.id}"]`).count()).toBe(0);
    await page.close();
  });

  it("links a chart bar of the overview to its leads", async () => {
    const page = await consolePage(width);
    const bar = page.locator('svg[data-chart="leads-per-day"] a').last();
    const href = (await bar.getAttribute("href"))!;
    expect(href).toMatch(/^\/app\/leads\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&source=\w+$/);
    const count = Number(
      await bar
        .locator("title")
        .textContent()
        .then((t) => t!.split(": ").pop()),
    );
    await page.goto(`${env.workerUrl}${href}`);
    expect(await page.locator("[data-total] strong").textContent()).toBe(String(count));
    await page.close();
  });

  it("fits every page in the screen", async () => {
    const page = await consolePage(width);
    for (const path of [
      "/app",
      "/app/leads",
      "/app/board",
      "/app/queues",
      "/app/reps",
      "/app/forms",
      "/app/scoring",
      "/app/webhooks",
      "/app/routing",
      "/app/sequences",
      "/app/channels",
    ]) {
      await page.goto(`${env.workerUrl}${path}`);
      if (width < 500)
        expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(400);
      await shot(page, path.slice(1).replaceAll("/", "-") || "app", width);
    }
    if (width < 500) {
      // The menu is collapsed behind one button, and opens on tap.
      expect(await page.getByRole("link", { name: "Leads", exact: true }).isVisible()).toBe(false);
      await page.locator(".nav-button").click();
      expect(await page.getByRole("link", { name: "Leads", exact: true }).isVisible()).toBe(true);
      await shot(page, "menu-open", width);
    }
    await page.close();
  });
});
