import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium, workerApi } from "../support/browser/chromium";
import type { LeadCreatedJson } from "../support/response-json";

const env = inject("browserEnv");

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const api = <T = unknown>(path: string, init: { method?: string; body?: unknown } = {}) =>
  workerApi<T>(env, path, init);

async function leadFor(repId: string, label: string) {
  const email = `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`;
  const { lead } = await api<LeadCreatedJson>("/api/v1/leads", { method: "POST", body: { name: label, email } });
  await api(`/api/v1/leads/${lead.id}`, { method: "PATCH", body: { ownerRepId: repId } });
  return { id: lead.id as string, email };
}

/** The owner's first sign-in with the workspace key (the upgrade path; the owner has no password here). */
async function ownerSignIn(page: Page) {
  await page.goto(`${env.workerUrl}/app/login`);
  await page.getByLabel("Workspace API key").fill(env.apiKey);
  await page.getByRole("button", { name: "Use the API key" }).click();
  await page.waitForURL(`${env.workerUrl}/app`);
}

describe("team accounts in the console", () => {
  it("invite, set password, sign in; the rep sees only their leads; revoked, the next request is refused", async () => {
    const [ava, ben] = env.reps;
    const mine = await leadFor(ava!.id, "ava-lead");
    const theirs = await leadFor(ben!.id, "ben-lead");

    const owner = await browser.newPage();
    await ownerSignIn(owner);
    await owner.getByRole("link", { name: "People" }).click();
    const invite = owner.locator('form[action="/app/people/invite"]');
    const email = `ava-${Date.now()}@example.com`;
    await invite.getByLabel("Email").fill(email);
    await invite.getByLabel("Name").fill("Ava Santos");
    await invite.getByLabel("Role").selectOption("rep");
    await invite.getByLabel("Rep record").selectOption(ava!.id);
    await invite.getByRole("button", { name: "Create invite link" }).click();
    const link = (await owner.locator("[data-secret]").textContent())!.trim();
    expect(link).toMatch(new RegExp(`^${env.workerUrl}/app/invite/`));

    const repContext = await browser.newContext();
    const rep = await repContext.newPage();
    await rep.goto(link);
    await rep.getByLabel("Password (10+ characters)").fill("ava's long passphrase");
    await rep.getByRole("button", { name: "Set password and sign in" }).click();
    await rep.waitForURL(`${env.workerUrl}/app/leads`);
    await rep.context().clearCookies();

    // A fresh sign-in with email and password, as the rep will do from now on.
    await rep.goto(`${env.workerUrl}/app/login`);
    await rep.getByLabel("Email", { exact: true }).first().fill(email);
    await rep.getByLabel("Password").fill("ava's long passphrase");
    await rep.getByRole("button", { name: "Sign in", exact: true }).click();
    await rep.waitForURL(`${env.workerUrl}/app/leads`);
    expect(await rep.content()).toContain(mine.email);
    expect(await rep.content()).not.toContain(theirs.email);
    expect((await rep.goto(`${env.workerUrl}/app/leads/${theirs.id}`))!.status()).toBe(404);
    expect((await rep.goto(`${env.workerUrl}/app/people`))!.status()).toBe(403);
    expect((await rep.goto(`${env.workerUrl}/app/leads/${mine.id}`))!.status()).toBe(200);

    await owner.goto(`${env.workerUrl}/app/people`);
    const row = owner.locator("tr", { hasText: email });
    await row.getByRole("button", { name: "Remove access" }).click();
    await owner.getByRole("status").filter({ hasText: "can no longer sign in" }).waitFor();
    expect(await owner.locator("tr", { hasText: email }).textContent()).toContain("revoked");

    const refused = await rep.reload();
    expect(refused!.status()).toBe(401);
    await rep.getByRole("alert").filter({ hasText: "Your session has ended" }).waitFor();
    await repContext.close();
    await owner.close();
  });

  it("sign-out ends the session for a copied cookie too", async () => {
    const first = await browser.newContext();
    const page = await first.newPage();
    await ownerSignIn(page);
    const copied = await browser.newContext();
    await copied.addCookies(await first.cookies());
    const other = await copied.newPage();
    expect((await other.goto(`${env.workerUrl}/app`))!.status()).toBe(200);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${env.workerUrl}/app/login`);
    expect((await other.reload())!.status()).toBe(401);
    await first.close();
    await copied.close();
  });
});
