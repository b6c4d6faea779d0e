import { beforeAll, describe, expect, inject, it } from "vitest";
import { api, browserWithWorkspace, SHOTS, signIn } from "../support/browser/chromium";
import type { ListJson, PoolJson, RepJson, RuleJson } from "../support/response-json";

const env = inject("browserEnv");
const own = browserWithWorkspace("Routing Co");

const pools = async () => (await api<ListJson<PoolJson>>("/api/v1/pools", { key: own.key })).data;
const rules = async () => (await api<ListJson<RuleJson>>("/api/v1/routing-rules", { key: own.key })).data;
const reps: Record<string, string> = {};

beforeAll(async () => {
  for (const name of ["Ava Solar", "Ben Solar", "Cy Wind"])
    reps[name] = (await api<RepJson>("/api/v1/reps", { method: "POST", key: own.key, body: { name } })).id;
});

describe("routing settings pages", () => {
  it("pools and rules: create, a refusal under its field, edit, reorder, delete", async () => {
    const page = await own.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, own.key);
    await page.goto(`${env.workerUrl}/app/routing`);
    expect(await page.locator("main").textContent()).not.toMatch(/\/api\/v1|through the API/);

    // Pool: an SLA of 0 minutes is refused under its box, what was typed stays, nothing is written.
    await page.getByRole("link", { name: "Add a pool" }).click();
    await page.getByLabel("Pool name").fill("Solar team");
    await page.getByLabel("Ava Solar").check();
    await page.getByLabel("Ben Solar").check();
    await page.getByLabel("How the next rep is chosen").selectOption("least-loaded");
    await page.getByLabel("First response due within (minutes)").fill("0");
    await page.getByLabel("Escalation 1").selectOption({ label: "Cy Wind" });
    await page.getByRole("button", { name: "Add pool" }).click();
    const slaError = page.locator('[data-error-for="slaMinutes"]');
    await slaError.waitFor();
    expect(await slaError.textContent()).toBe("Too small: expected number to be >=1");
    expect(await page.getByLabel("First response due within (minutes)").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Pool name").inputValue()).toBe("Solar team");
    expect(await page.getByLabel("Ben Solar").isChecked()).toBe(true);
    expect(await pools()).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/settings-pool-error.png`, fullPage: true });

    await page.getByLabel("First response due within (minutes)").fill("20");
    await page.getByRole("button", { name: "Add pool" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    const [solar] = (await pools()) as [PoolJson];
    expect(solar).toMatchObject({
      name: "Solar team",
      strategy: "least-loaded",
      slaMinutes: 20,
      hotSlaMinutes: 5,
      isDefault: false,
      escalationRepIds: [reps["Cy Wind"]],
    });
    expect([...solar.repIds].sort()).toEqual([reps["Ava Solar"], reps["Ben Solar"]].sort());

    // Edit: Ben leaves, the pool becomes the default; the page shows what was stored.
    await page.getByLabel("Ben Solar").uncheck();
    await page.getByLabel("Default pool (leads no rule matches come here)").check();
    await page.getByRole("button", { name: "Save pool" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    expect(await page.getByLabel("Ben Solar").isChecked()).toBe(false);
    expect((await pools())[0]).toMatchObject({ repIds: [reps["Ava Solar"]], isDefault: true });

    // A second pool to send rules to, then two rules.
    await page.goto(`${env.workerUrl}/app/routing/pools/new`);
    await page.getByLabel("Pool name").fill("Wind team");
    await page.getByLabel("Cy Wind").check();
    await page.getByRole("button", { name: "Add pool" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();

    await page.goto(`${env.workerUrl}/app/routing`);
    await page.getByRole("link", { name: "Add a rule" }).click();
    await page.getByLabel("Rule name").fill("Texas solar");
    await page.getByLabel("Send matching leads to the pool").selectOption({ label: "Solar team" });
    await page.getByLabel("Countries", { exact: true }).fill("USA");
    await page.getByLabel("Answer 1 field", { exact: true }).fill("product");
    await page.getByLabel("Answer 1 values", { exact: true }).fill("solar, battery");
    await page.getByLabel("Regions (or group 1)").fill("TX, Texas");
    await page.getByRole("button", { name: "Add rule" }).click();
    // "USA" is no ISO country code: the API's message under the countries box, nothing written.
    const countryError = page.locator('[data-error-for="m.countries"]');
    await countryError.waitFor();
    expect(await countryError.textContent()).toBe("ISO alpha-2 country code.");
    expect(await page.getByLabel("Countries", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Regions (or group 1)").inputValue()).toBe("TX, Texas");
    expect(await rules()).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/settings-rule-error.png`, fullPage: true });

    await page.getByLabel("Countries", { exact: true }).fill("US");
    await page.getByRole("button", { name: "Add rule" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    expect((await rules())[0]).toMatchObject({
      name: "Texas solar",
      poolId: solar.id,
      match: { countries: ["US"], fields: { product: ["solar", "battery"] }, any: [{ regions: ["TX", "Texas"] }] },
    });

    await page.goto(`${env.workerUrl}/app/routing/rules/new`);
    await page.getByLabel("Rule name").fill("Wind leads");
    await page.getByLabel("Send matching leads to the pool").selectOption({ label: "Wind team" });
    await page.getByLabel("Answer 1 field", { exact: true }).fill("product");
    await page.getByLabel("Answer 1 values", { exact: true }).fill("wind");
    await page.getByLabel("Source whatsapp", { exact: true }).check();
    await page.getByRole("button", { name: "Add rule" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();

    // Reorder on the list: Wind leads moves above Texas solar.
    await page.goto(`${env.workerUrl}/app/routing`);
    await page.getByRole("button", { name: "Move Wind leads up" }).click();
    await page.waitForURL(`${env.workerUrl}/app/routing`);
    expect((await rules()).map((r) => r.name)).toEqual(["Wind leads", "Texas solar"]);
    const order = await page.locator("table[data-table=rules] tbody tr td:nth-child(2)").allTextContents();
    expect(order.map((t) => t.trim())).toEqual(["Wind leads", "Texas solar"]);
    expect(await page.getByRole("button", { name: "Move Wind leads up" }).isDisabled()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/settings-routing.png`, fullPage: true });

    // Edit the Texas rule: drop its OR-group, add a postal prefix.
    await page.getByRole("link", { name: "Texas solar" }).click();
    await page.getByLabel("Regions (or group 1)").fill("");
    await page.getByLabel("Postal code prefixes", { exact: true }).fill("75, 77");
    await page.getByRole("button", { name: "Save rule" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    const texas = (await rules()).find((r) => r.name === "Texas solar")!;
    expect(texas.match).toEqual({
      countries: ["US"],
      postalPrefixes: ["75", "77"],
      fields: { product: ["solar", "battery"] },
    });

    await page.getByRole("button", { name: "Delete rule" }).click();
    await page.waitForURL(`${env.workerUrl}/app/routing?removed=1`);
    expect((await rules()).map((r) => r.name)).toEqual(["Wind leads"]);

    // Deleting the wind pool takes its rule with it, as the page says.
    await page.getByRole("link", { name: "Wind team" }).click();
    expect(await page.locator("main").textContent()).toContain("(Wind leads)");
    await page.getByRole("button", { name: "Delete pool" }).click();
    await page.waitForURL(`${env.workerUrl}/app/routing?removed=1`);
    expect((await pools()).map((p) => p.name)).toEqual(["Solar team"]);
    expect(await rules()).toEqual([]);
    expect(await page.locator("table[data-table=pools]").textContent()).not.toContain("Wind team");
    await page.close();
  });

  it("fits a phone screen: the routing list, its edit pages, the preview and a new sequence", async () => {
    const page = await own.browser.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(page, own.key);
    const pool = await api<PoolJson>("/api/v1/pools", {
      method: "POST",
      key: own.key,
      body: {
        name: "Phone-sized pool with a long name",
        repIds: Object.values(reps),
        escalationRepIds: [reps["Cy Wind"]],
      },
    });
    await api("/api/v1/routing-rules", {
      method: "POST",
      key: own.key,
      body: {
        name: "Long rule",
        match: { regions: ["Texas", "Oklahoma", "New Mexico"], any: [{ countries: ["US"] }] },
        poolId: pool.id,
      },
    });
    for (const path of [
      "/app/routing",
      `/app/routing/pools/${pool.id}`,
      "/app/routing/rules/new",
      "/app/routing/preview",
      "/app/sequences/new",
    ]) {
      await page.goto(`${env.workerUrl}${path}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(400);
    }
    await page.screenshot({ path: `${SHOTS}/sequence-new-390.png`, fullPage: true });
    await page.close();
  });
});
