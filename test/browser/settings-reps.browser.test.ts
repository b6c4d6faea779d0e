import { describe, expect, inject, it } from "vitest";
import { api, browserWithWorkspace, SHOTS, signIn } from "../support/browser/chromium";
import type { ListJson, RepJson } from "../support/response-json";

const env = inject("browserEnv");
const own = browserWithWorkspace("Reps Co");

const repNamed = async (name: string) =>
  (await api<ListJson<RepJson>>("/api/v1/reps", { key: own.key })).data.find((r) => r.name === name);

describe("reps settings page", () => {
  it("adds a rep with a week of hours, shows a bad range next to its day, edits and removes them", async () => {
    const page = await own.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, own.key);
    await page.goto(`${env.workerUrl}/app/reps`);
    await page.getByRole("link", { name: "Add a rep" }).click();
    const name = `Chloe ${Date.now()}`;
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Email").fill("chloe@example.com");
    await page.getByLabel("Open-lead cap (blank: no cap)").fill("5");
    await page.getByLabel("Time zone (blank: the workspace's)").fill("Europe/Berlin");
    await page.getByLabel("Always available").uncheck();
    await page.getByLabel("Monday from").fill("09:00");
    await page.getByLabel("Monday to").fill("17:00");
    // Tuesday ends before it starts: refused, the message under Tuesday, nothing saved.
    await page.getByLabel("Tuesday from").fill("18:00");
    await page.getByLabel("Tuesday to").fill("08:00");
    await page.getByRole("button", { name: "Add rep" }).click();
    const tuesdayError = page.locator('[data-error-for="hours2"]');
    await tuesdayError.waitFor();
    expect(await tuesdayError.textContent()).toBe("Start must be before end.");
    expect(await page.getByLabel("Tuesday from").getAttribute("aria-invalid")).toBe("true");
    // What was typed is kept.
    expect(await page.getByLabel("Name").inputValue()).toBe(name);
    expect(await repNamed(name)).toBeUndefined();
    await page.screenshot({ path: `${SHOTS}/settings-rep-error.png`, fullPage: true });

    await page.getByLabel("Tuesday from").fill("08:00");
    await page.getByLabel("Tuesday to").fill("12:00");
    await page.getByLabel("Vacation 1 first day").fill("2030-07-01");
    await page.getByLabel("Vacation 1 last day").fill("2030-07-14");
    await page.getByRole("button", { name: "Add rep" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    const created = await repNamed(name);
    expect(created).toMatchObject({
      email: "chloe@example.com",
      maxOpenLeads: 5,
      timezone: "Europe/Berlin",
      active: true,
      paused: false,
      workingHours: { "1": [["09:00", "17:00"]], "2": [["08:00", "12:00"]], "3": [], "0": [] },
      vacations: [{ from: Date.parse("2030-07-01T00:00:00Z"), to: Date.parse("2030-07-15T00:00:00Z") }],
    });

    // Edit: pause, weight 3; the saved page shows what was stored.
    await page.getByLabel("Weight (share of new leads)").fill("3");
    await page.getByLabel("Paused (gets no new leads for now)").check();
    await page.getByRole("button", { name: "Save rep" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    expect(await page.getByLabel("Vacation 1 last day").inputValue()).toBe("2030-07-14");
    expect(await repNamed(name)).toMatchObject({
      weight: 3,
      paused: true,
      workingHours: { "1": [["09:00", "17:00"]] },
    });
    await page.goto(`${env.workerUrl}/app/reps`);
    expect(await page.locator("table[data-table=reps]").textContent()).toContain("paused");

    await page.getByRole("link", { name }).click();
    await page.getByRole("button", { name: "Remove rep" }).click();
    await page.waitForURL(`${env.workerUrl}/app/reps?removed=1`);
    expect(await repNamed(name)).toBeUndefined();
    expect(await page.locator("table[data-table=reps]").textContent()).not.toContain(name);
    await page.close();
  });
});
