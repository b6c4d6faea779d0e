import { describe, expect, inject, it } from "vitest";
import { verifyWebhookSignature } from "../../workers/lib/webhook-signature";
import { api, browserWithWorkspace, SHOTS, signIn } from "../support/browser/chromium";
import type { ListJson, WebhookCreatedJson, WebhookJson } from "../support/response-json";

const env = inject("browserEnv");
const own = browserWithWorkspace("Hooks Co");

const endpoints = async () => (await api<ListJson<WebhookJson>>("/api/v1/webhooks", { key: own.key })).data;

describe("webhooks settings page", () => {
  it("refuses a plain-http URL next to its field; adds an endpoint, its secret shown once; deletes it", async () => {
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
    const [created] = (await endpoints()) as [WebhookJson];
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

const hookCalls = async (path: string) =>
  (await (await fetch(`${env.fakeApiUrl}/_calls?recipient=${encodeURIComponent(path)}`)).json()) as {
    raw: string;
    signature: string;
    body: { id: string; type: string };
  }[];

describe("one webhook endpoint's page", () => {
  it("edits (errors by their field), sends a test event to a local receiver, lists status codes, rotates", async () => {
    const path = `/hook/console-${Date.now().toString(36)}`;
    const url = `${env.fakeApiUrl}${path}`;
    const created = await api<WebhookCreatedJson>("/api/v1/webhooks", {
      key: own.key,
      method: "POST",
      body: { url, events: ["lead.created"] },
    });
    const page = await own.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, own.key);
    await page.goto(`${env.workerUrl}/app/webhooks`);
    await page.getByRole("link", { name: url }).click();
    await page.waitForURL(`${env.workerUrl}/app/webhooks/${created.id}`);

    // A bad URL and no events: both refused next to their controls, nothing saved.
    await page.getByLabel("HTTPS URL").fill("ftp://crm.example/hooks");
    await page.getByLabel("lead.created").uncheck();
    await page.getByRole("button", { name: "Save endpoint" }).click();
    await page.locator('[data-error-for="url"]').waitFor();
    await page.locator('[data-error-for="events"]').waitFor();
    expect(await page.getByLabel("HTTPS URL").getAttribute("aria-invalid")).toBe("true");
    expect(await api<WebhookJson>(`/api/v1/webhooks/${created.id}`, { key: own.key })).toMatchObject({
      url,
      events: ["lead.created"],
      active: true,
    });

    // The refused page kept what was typed; a valid edit is saved.
    expect(await page.getByLabel("HTTPS URL").inputValue()).toBe("ftp://crm.example/hooks");
    await page.getByLabel("HTTPS URL").fill(url);
    await page.getByLabel("lead.created").check();
    await page.getByLabel("lead.status_changed").check();
    await page.getByRole("button", { name: "Save endpoint" }).click();
    await page.waitForURL(`${env.workerUrl}/app/webhooks/${created.id}?saved=1`);
    expect((await api<WebhookJson>(`/api/v1/webhooks/${created.id}`, { key: own.key })).events).toEqual([
      "lead.created",
      "lead.status_changed",
    ]);

    // The test event reaches the receiver, signed with the endpoint's secret; the list shows its 204.
    await page.getByRole("button", { name: "Send test event" }).click();
    await page.locator("[data-test-result]").waitFor();
    expect(await page.locator("[data-test-result]").textContent()).toContain("delivered: HTTP 204");
    const [first] = await hookCalls(path);
    expect(first!.body.type).toBe("webhook.test");
    const now = () => Math.floor(Date.now() / 1000);
    expect(await verifyWebhookSignature(created.secret, first!.raw, first!.signature, now())).toBe(true);
    expect(await page.locator("[data-table=deliveries] [data-status-code]").allTextContents()).toEqual(["204"]);

    // A failing receiver: its status code is listed too.
    await fetch(`${env.fakeApiUrl}/_script`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ recipient: path, responses: ["http_503"] }),
    });
    await page.getByRole("button", { name: "Send test event" }).click();
    await page.getByText("not delivered: HTTP 503").waitFor();
    expect(await page.locator("[data-table=deliveries] [data-status-code]").allTextContents()).toEqual(["503", "204"]);

    // Rotation: the new secret shown once; the next delivery verifies with the old and the new secret.
    await page.getByRole("button", { name: "Rotate secret" }).click();
    const secret = (await page.locator("[data-secret]").textContent())!;
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(created.secret);
    await page.getByRole("button", { name: "Send test event" }).click();
    await page.getByText("delivered: HTTP 204").waitFor();
    const calls = await hookCalls(path);
    const last = calls[calls.length - 1]!;
    expect(await verifyWebhookSignature(secret, last.raw, last.signature, now())).toBe(true);
    expect(await verifyWebhookSignature(created.secret, last.raw, last.signature, now())).toBe(true);
    await page.reload();
    expect(await page.content()).not.toContain(secret);
    await page.screenshot({ path: `${SHOTS}/settings-webhook-endpoint.png`, fullPage: true });

    await page.getByRole("button", { name: `Delete ${url}` }).click();
    await page.waitForURL(`${env.workerUrl}/app/webhooks`);
    expect(await endpoints()).toHaveLength(0);
    await page.close();
  });
});
