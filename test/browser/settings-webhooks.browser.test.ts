import { describe, expect, inject, it } from "vitest";
import { api, browserWithWorkspace, SHOTS, signIn } from "../support/browser/chromium";

const env = inject("browserEnv");
const own = browserWithWorkspace("Hooks Co");

const endpoints = async () => (await api("/api/v1/webhooks", { key: own.key })).data as any[];

describe("webhooks settings page", () => {
  it("refuses a plain-http URL next to its field, adds an endpoint showing its secret once, and deletes it", async () => {
    const page = await own.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, own.key);
    await page.goto(`${env.workerUrl}/app/webhooks`);
    await page.getByLabel("HTTPS URL").fill("http://crm.example/hooks");
    await page.getByLabel("lead.assigned").check();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await page.locator('[data-error-for="url"]').waitFor();
    expect(await page.getByLabel("HTTPS URL").getAttribute("aria-invalid")).toBe("true");
    expect(await endpoints()).toHaveLength(0);

    await page.getByLabel("HTTPS URL").fill("https://crm.example/hooks");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await page.locator("[data-secret]").textContent())!;
    expect(secret).toMatch(/^whsec_/);
    const [created] = await endpoints();
    expect(created).toMatchObject({
      url: "https://crm.example/hooks",
      events: ["lead.created", "lead.assigned"],
      active: true,
    });
    expect(secret.startsWith(created.secretPrefix)).toBe(true);
    // Listed afterwards without the secret.
    await page.goto(`${env.workerUrl}/app/webhooks`);
    expect(await page.content()).not.toContain(secret);
    await page.screenshot({ path: `${SHOTS}/settings-webhooks.png`, fullPage: true });

    await page.getByRole("button", { name: "Delete https://crm.example/hooks" }).click();
    await page.waitForURL(`${env.workerUrl}/app/webhooks`);
    expect(await endpoints()).toHaveLength(0);
    await page.close();
  });
});
