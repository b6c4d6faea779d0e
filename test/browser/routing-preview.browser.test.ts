import { beforeAll, describe, expect, inject, it } from "vitest";
import { api, browserWithWorkspace, SHOTS, signIn } from "../support/browser/chromium";
import type { LeadCreatedJson, LeadJson, ListJson, PoolJson, RepJson } from "../support/response-json";

const env = inject("browserEnv");
const own = browserWithWorkspace("Preview Co");

const reps: Record<string, string> = {};
const leadCount = async () =>
  ((await api<ListJson<LeadJson>>("/api/v1/leads?limit=100", { key: own.key })).data as unknown[]).length;

beforeAll(async () => {
  const add = async (body: Record<string, unknown>) =>
    (await api<RepJson>("/api/v1/reps", { method: "POST", key: own.key, body })).id as string;
  reps.ava = await add({ name: "Ava Sun" });
  reps.ben = await add({ name: "Ben Sun" });
  reps.pat = await add({ name: "Pat Away", paused: true });
  reps.gus = await add({ name: "Gus General" });
  const solar = await api<PoolJson>("/api/v1/pools", {
    method: "POST",
    key: own.key,
    body: { name: "Solar", repIds: [reps.ava, reps.ben, reps.pat] },
  });
  await api("/api/v1/pools", {
    method: "POST",
    key: own.key,
    body: { name: "General", repIds: [reps.gus], isDefault: true },
  });
  await api("/api/v1/routing-rules", {
    method: "POST",
    key: own.key,
    body: { name: "Solar interest", match: { fields: { product: ["solar"] } }, poolId: solar.id },
  });
});

describe("who would get this lead?", () => {
  it("names pool, rule, rep, skipped reps; two previews move nothing, a real lead goes to that rep", async () => {
    const page = await own.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, own.key);
    await page.goto(`${env.workerUrl}/app/routing`);
    await page.getByRole("link", { name: "Who would get this lead?" }).click();

    const ask = async (product: string) => {
      await page.getByLabel("Answer 1 field").fill("product");
      await page.getByLabel("Answer 1 value").fill(product);
      await page.getByRole("button", { name: "Who would get it?" }).click();
      await page.locator("[data-preview-result]").waitFor();
      const text = async (key: string) => (await page.locator(`[data-preview="${key}"]`).textContent())?.trim();
      return {
        pool: await text("pool"),
        rule: await text("rule"),
        rep: await text("rep"),
        reason: await text("reason"),
      };
    };

    const first = await ask("Solar");
    expect(first).toEqual({
      pool: "Solar",
      rule: "Solar interest",
      rep: "Ava Sun",
      reason: "next in the pool's rotation",
    });
    expect(await page.locator(`[data-skipped="${reps.pat}"]`).textContent()).toContain("paused");
    expect(await page.locator("[data-skipped]").count()).toBe(1);
    // What was asked stays in the form for the next try.
    expect(await page.getByLabel("Answer 1 value").inputValue()).toBe("Solar");
    await page.screenshot({ path: `${SHOTS}/routing-preview.png`, fullPage: true });
    expect((await ask("solar")).rep).toBe("Ava Sun");

    // The rotation did not move: a real lead like the sample goes to the previewed rep, then the next one is Ben.
    const { lead } = await api<LeadCreatedJson>("/api/v1/leads", {
      method: "POST",
      key: own.key,
      body: { name: "Real Lead", email: `real-${Date.now()}@example.com`, fields: { product: "solar" } },
    });
    expect(lead.ownerRepId).toBe(reps.ava);
    expect((await ask("solar")).rep).toBe("Ben Sun");

    const other = await ask("wind");
    expect(other).toMatchObject({ pool: "General", rule: "no rule matched: the default pool", rep: "Gus General" });

    // A value without the answer's name is refused on its row.
    await page.getByLabel("Answer 2 value").fill("Texas");
    await page.getByRole("button", { name: "Who would get it?" }).click();
    const rowError = page.locator('[data-error-for="ans1"]');
    await rowError.waitFor();
    expect(await rowError.textContent()).toBe("Name the form answer.");
    expect(await page.getByLabel("Answer 2 field").getAttribute("aria-invalid")).toBe("true");
    await page.getByLabel("Answer 2 value").fill("");

    // A bad phone number: the message under the phone box, no result, and no lead was written by any preview.
    await page.getByLabel("Phone (its country is what country conditions read)").fill("not a phone");
    await page.getByRole("button", { name: "Who would get it?" }).click();
    const phoneError = page.locator('[data-error-for="phone"]');
    await phoneError.waitFor();
    expect(await phoneError.textContent()).toContain("Not a valid phone number");
    expect(await page.locator("[data-preview-result]").count()).toBe(0);
    expect(await leadCount()).toBe(1);

    await page.getByLabel("Phone (its country is what country conditions read)").fill("+1 415 555 0100");
    await page.getByRole("button", { name: "Who would get it?" }).click();
    await page.locator("[data-preview-result]").waitFor();
    expect(await page.locator('[data-preview="country"]').textContent()).toBe("US");
    await page.close();
  });
});
