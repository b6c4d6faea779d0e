import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { api, browserWithWorkspace, SHOTS, signIn } from "../support/browser/chromium";
import type { LeadJson, ListJson, RepJson } from "../support/response-json";

const env = inject("browserEnv");
const own = browserWithWorkspace("Fresh Desk");

const done = async (page: Page) => {
  await page.goto(`${env.workerUrl}/app`);
  const steps = page.locator("[data-section=onboarding] li[data-step]");
  const out: Record<string, string> = {};
  for (const li of await steps.all())
    out[(await li.getAttribute("data-step"))!] = (await li.getAttribute("data-done"))!;
  return out;
};

describe("onboarding checklist", () => {
  it("starts empty on a new workspace and ticks itself as the owner sets the desk up in the console", async () => {
    const page = await own.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, own.key);
    expect(await done(page)).toEqual({ reps: "no", chat: "no", form: "no", channel: "no", lead: "no" });
    // No leads: the charts say so instead of drawing empty axes.
    expect(await page.locator('[data-chart-empty="leads-per-day"]').textContent()).toBe("No leads in this range yet.");
    expect(await page.locator('svg[data-chart="leads-per-day"]').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/onboarding-new.png`, fullPage: true });

    await page.getByRole("link", { name: "Add a rep" }).click();
    await page.getByLabel("Name").fill("Noor Haddad");
    // A WhatsApp number is where this rep's alerts go: the chat step is done with it.
    await page.getByLabel("WhatsApp number (alerts on WhatsApp)").fill("+14155550188");
    await page.getByRole("button", { name: "Add rep" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    expect(await done(page)).toMatchObject({ reps: "yes", chat: "yes", form: "no" });

    await page.getByRole("link", { name: "Create a form" }).click();
    await page.getByLabel("Form name").fill("Website");
    await page.getByRole("button", { name: "Create form" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    expect(await done(page)).toMatchObject({ form: "yes", lead: "no" });

    await page.getByRole("button", { name: "Send a test lead" }).click();
    await page.getByRole("heading", { name: "Test lead" }).waitFor();
    const lead = (await api<ListJson<LeadJson>>("/api/v1/leads?q=test-lead", { key: own.key })).data[0]!;
    expect(lead).toMatchObject({ name: "Test lead", status: "new" });
    expect(lead.ownerRepId).toBe((await api<ListJson<RepJson>>("/api/v1/reps", { key: own.key })).data[0]!.id);
    expect(await done(page)).toEqual({ reps: "yes", chat: "yes", form: "yes", channel: "no", lead: "yes" });
    expect(await page.locator('svg[data-chart="leads-per-day"] rect').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/onboarding-progress.png`, fullPage: true });
    await page.close();
  });
});
