import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium, workerApi } from "../support/browser/chromium";
import type { LeadCreatedJson, LeadJson, ListJson } from "../support/response-json";

const env = inject("browserEnv");
const SHOTS = "test-results/browser";
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const api = <T = unknown>(path: string, init: { method?: string; body?: unknown } = {}) =>
  workerApi<T>(env, path, init);

async function leadByEmail(email: string) {
  return (await api<ListJson<LeadJson>>(`/api/v1/leads?q=${encodeURIComponent(email)}`)).data[0]!;
}

/**
 * The host page with a fake clock: the snippet's time trap wants ≥ 2 s between render and submit, and the
 * test moves the page's clock forward instead of sleeping.
 */
async function openHostPage(query = ""): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.clock.install();
  await page.goto(`${env.hostUrl}/${query}`);
  await page.getByRole("textbox", { name: "Name", exact: true }).waitFor();
  return page;
}

async function signIn(page: Page) {
  await page.goto(`${env.workerUrl}/app/login`);
  await page.getByLabel("Workspace API key").fill(env.apiKey);
  await page.getByRole("button", { name: "Use the API key" }).click();
  await page.waitForURL(`${env.workerUrl}/app`);
}

describe("embed snippet on a plain HTML page", () => {
  it("renders the form in a Shadow DOM, submits with UTM attribution; the lead shows in the dashboard", async () => {
    const page = await openHostPage("?utm_source=newsletter&utm_medium=email&utm_campaign=spring");
    // The host's hostile CSS hides every input on its page; ours stay visible inside the shadow root.
    await expect(page.getByRole("textbox", { name: "Name", exact: true }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: `${SHOTS}/host-page-form.png`, fullPage: true });

    const email = `grace-${Date.now()}@example.com`;
    await page.getByRole("textbox", { name: "Name", exact: true }).fill("Grace Hopper");
    await page.getByRole("textbox", { name: "Email", exact: true }).fill(email);
    await page.getByLabel("Phone").fill("(415) 555-0132");
    await page.getByLabel("Budget").selectOption("over 10k");
    await page.getByLabel("How can we help?").fill("Leaking pipe in the basement");
    await page.clock.fastForward(5_000);
    await page.getByRole("button", { name: "Send" }).click();

    await page.getByText("Thanks! A plumber will call you shortly.").waitFor();
    await page.screenshot({ path: `${SHOTS}/host-page-thanks.png`, fullPage: true });
    // Acknowledged entries leave nothing behind in localStorage.
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("leadrelay:")).length)).toBe(
      0,
    );

    const lead = await leadByEmail(email);
    expect(lead).toMatchObject({
      name: "Grace Hopper",
      utmSource: "newsletter",
      utmMedium: "email",
      utmCampaign: "spring",
      fields: { budget: "over 10k" },
    });
    expect(lead.pageUrl).toContain("utm_source=newsletter");
    expect(lead.score).toBeGreaterThanOrEqual(1);

    const dash = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(dash);
    await dash.goto(`${env.workerUrl}/app/leads?q=${encodeURIComponent(email)}`);
    const row = dash.locator(`tr[data-lead-id="${lead.id}"]`);
    await row.waitFor();
    expect(await row.locator('[data-col="utm-source"]').textContent()).toBe("newsletter");
    // Routing assigned an owner in the capture itself.
    expect(env.reps.map((r) => r.id)).toContain(lead.ownerRepId);
    expect((await row.locator('[data-col="owner"]').textContent())?.trim()).toBe(
      env.reps.find((r) => r.id === lead.ownerRepId)?.name,
    );
    await dash.screenshot({ path: `${SHOTS}/dashboard-leads.png`, fullPage: true });

    await row.getByRole("link").click();
    await dash.getByRole("heading", { name: "Timeline" }).waitFor();
    expect(await dash.locator('[data-section="score"]').textContent()).toContain("Gave a budget");
    expect(await dash.locator("ol.timeline").textContent()).toMatch(/Assigned · .* to (Ava Santos|Ben Okafor)/);
    await dash.screenshot({ path: `${SHOTS}/dashboard-lead.png`, fullPage: true });
    await Promise.all([page.close(), dash.close()]);
  });

  it("works with the keyboard alone, and announces a missing required field", async () => {
    const page = await openHostPage("?utm_source=keyboard");
    const email = `kb-${Date.now()}@example.com`;
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute("name"))).toBe(
      "name",
    );

    // Enter in an empty required field: nothing is sent, the error is announced and tied to the field.
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "Please fix 2 fields." }).waitFor();
    expect(await page.getByRole("textbox", { name: "Name", exact: true }).getAttribute("aria-invalid")).toBe("true");
    const nameBox = page.getByRole("textbox", { name: "Name", exact: true });
    expect(await nameBox.getAttribute("aria-required")).toBe("true");
    // The message is the field's accessible description, not just text near it.
    expect(await page.locator(`#${await nameBox.getAttribute("aria-describedby")}`).textContent()).toBe(
      "Name is required.",
    );

    await page.keyboard.type("Katherine Johnson");
    await page.keyboard.press("Tab");
    await page.keyboard.type(email);
    await page.keyboard.press("Tab");
    await page.keyboard.type("415 555 0177");
    await page.keyboard.press("Tab"); // budget (left empty)
    await page.keyboard.press("Tab");
    await page.keyboard.type("Please call after 5pm");
    await page.keyboard.press("Tab"); // the honeypot is skipped: next stop is the button
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent)).toBe("Send");
    await page.clock.fastForward(5_000);
    await page.keyboard.press("Enter");
    await page.getByText("Thanks! A plumber will call you shortly.").waitFor();
    await page.screenshot({ path: `${SHOTS}/keyboard-thanks.png`, fullPage: true });

    expect(await leadByEmail(email)).toMatchObject({
      name: "Katherine Johnson",
      phone: "+14155550177",
      utmSource: "keyboard",
    });
    await page.close();
  });

  it("keeps the entry and retries when the server fails, until it is acknowledged", async () => {
    const page = await openHostPage();
    let failures = 0;
    await page.route(`${env.workerUrl}/f/${env.formKey}`, async (route) => {
      if (route.request().method() === "POST" && failures < 2) {
        failures++;
        // The entry must be in localStorage while it is not acknowledged.
        expect(await page.evaluate((k) => localStorage.getItem(k), `leadrelay:${env.formKey}`)).toContain("retry-");
        return route.fulfill({
          status: 503,
          contentType: "application/json",
          body: '{"error":{"code":"STORAGE_UNAVAILABLE"}}',
        });
      }
      return route.continue();
    });
    const email = `retry-${Date.now()}@example.com`;
    await page.getByRole("textbox", { name: "Name", exact: true }).fill("Retry Person");
    await page.getByRole("textbox", { name: "Email", exact: true }).fill(email);
    await page.clock.fastForward(5_000);
    await page.getByRole("button", { name: "Send" }).click();
    // Backoff timers run on the page's fake clock: move it on until the entry is acknowledged.
    await expect
      .poll(async () => {
        await page.clock.fastForward(2_000);
        return page.getByText("Thanks! A plumber will call you shortly.").isVisible();
      })
      .toBe(true);
    expect(failures).toBe(2);
    expect(await page.evaluate((k) => localStorage.getItem(k), `leadrelay:${env.formKey}`)).toBeNull();
    expect(await leadByEmail(email)).toMatchObject({ name: "Retry Person" });
    await page.close();
  });
});

describe("dashboard", () => {
  it("redirects to sign-in without a session and rejects a wrong key", async () => {
    const page = await browser.newPage();
    await page.goto(`${env.workerUrl}/app/leads`);
    expect(page.url()).toBe(`${env.workerUrl}/app/login`);
    await page.getByLabel("Workspace API key").fill(`lr_${"x".repeat(40)}`);
    await page.getByRole("button", { name: "Use the API key" }).click();
    await page.getByRole("alert").filter({ hasText: "unknown or revoked" }).waitFor();
    await page.close();
  });

  it("charts leads per day, the funnel, speed to lead per rep, SLA breaches and conversion", async () => {
    // Work some leads like a rep would: assign, contact, win.
    const leads = (await api<ListJson<LeadJson>>("/api/v1/leads?limit=10")).data as {
      id: string;
      ownerRepId: string | null;
    }[];
    expect(leads.length).toBeGreaterThanOrEqual(2);
    for (const [i, l] of leads.entries()) {
      if (!l.ownerRepId)
        await api(`/api/v1/leads/${l.id}`, { method: "PATCH", body: { ownerRepId: env.reps[i % 2]!.id } });
      await api(`/api/v1/leads/${l.id}`, { method: "PATCH", body: { status: i === 0 ? "won" : "contacted" } });
    }
    await api<LeadCreatedJson>("/api/v1/leads", {
      method: "POST",
      body: { name: "API Lead", email: `api-${Date.now()}@example.com` },
    });

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page);
    const bars = (chart: string) => page.locator(`svg[data-chart="${chart}"] rect`).count();
    expect(await bars("leads-per-day")).toBeGreaterThan(0);
    expect(await page.locator('svg[data-chart="leads-per-day"] rect[data-source="form"]').count()).toBeGreaterThan(0);
    expect(await bars("funnel")).toBe(4);
    expect(await page.locator('svg[data-chart="funnel"]').textContent()).toContain("Won");
    expect(await bars("rep-delay")).toBeGreaterThan(0);
    expect(await bars("system-delay")).toBeGreaterThan(0);
    expect(await bars("conversion-source")).toBeGreaterThan(0);
    expect(await bars("conversion-rep")).toBeGreaterThan(0);
    expect(Number(await page.locator('[data-stat="total"]').textContent())).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: `${SHOTS}/dashboard-overview.png`, fullPage: true });

    // A 1-minute SLA over leads that waited for a response: the breach list is rendered (or says there is none).
    await page.goto(`${env.workerUrl}/app?sla=1`);
    expect(await page.locator('[data-stat="sla-breaches"]').count()).toBe(1);

    await page.goto(`${env.workerUrl}/app/forms`);
    expect(await page.locator("[data-snippet]").textContent()).toBe(
      `<script src="${env.workerUrl}/embed.js" data-form="${env.formKey}" async></script>`,
    );
    // The copy button's script is an external file, so it runs under the CSP that forbids inline scripts.
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.getByRole("button", { name: "Copy snippet" }).click();
    await page.getByRole("button", { name: "Copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(`data-form="${env.formKey}"`);
    await page.screenshot({ path: `${SHOTS}/dashboard-forms.png`, fullPage: true });
    await page.goto(`${env.workerUrl}/app/reps`);
    expect(await page.locator('table[data-table="reps"] tbody tr').count()).toBe(2);
    await page.close();
  });
});
