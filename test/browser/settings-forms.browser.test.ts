import { describe, expect, inject, it } from "vitest";
import { api, browserWithWorkspace, SHOTS, signIn } from "../support/browser/chromium";
import type { FormJson, ListJson } from "../support/response-json";

const env = inject("browserEnv");
const own = browserWithWorkspace("Forms Co");

const forms = async () => (await api<ListJson<FormJson>>("/api/v1/forms", { key: own.key })).data;

describe("forms settings page", () => {
  it("creates a form with its own field, shows a field problem on its row, edits it and deletes it", async () => {
    const page = await own.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, own.key);
    await page.goto(`${env.workerUrl}/app/forms`);
    await page.getByRole("link", { name: "New form" }).click();
    await page.getByLabel("Form name").fill("Quote form");
    // The default four fields are there; the fifth row is free for an own question.
    await page.getByLabel("Field 5 name").fill("budget");
    await page.getByLabel("Field 5 label").fill("Budget");
    await page.getByLabel("Field 5 type").selectOption("select");
    await page.getByLabel("Allowed origins").fill("https://acme.example");
    await page.getByRole("button", { name: "Create form" }).click();
    // A select without options is refused by the API's own check, under that row, and nothing is created.
    const rowError = page.locator('[data-error-for="field4"]');
    await rowError.waitFor();
    expect(await rowError.textContent()).toBe("A select field needs options.");
    expect(await page.getByLabel("Field 5 name").getAttribute("aria-invalid")).toBe("true");
    expect(await forms()).toHaveLength(0);
    await page.screenshot({ path: `${SHOTS}/settings-form-error.png`, fullPage: true });

    await page.getByLabel("Field 5 options").fill("under 1k, 1k-10k, over 10k");
    await page.getByLabel("Consent checkbox text").fill("Send me the newsletter.");
    await page.getByRole("button", { name: "Create form" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    const [created] = (await forms()) as [FormJson];
    expect(created).toMatchObject({
      name: "Quote form",
      allowedOrigins: ["https://acme.example"],
      consentText: "Send me the newsletter.",
      fields: expect.arrayContaining([
        {
          name: "budget",
          label: "Budget",
          type: "select",
          required: false,
          options: ["under 1k", "1k-10k", "over 10k"],
        },
      ]),
    });
    expect(created.fields).toHaveLength(5);
    expect(await page.locator("[data-snippet]").textContent()).toContain(`data-form="${created.publicKey}"`);

    await page.getByLabel("Success message").fill("Thanks, we will send a quote today.");
    await page.getByLabel("Field 3 required").check();
    await page.getByRole("button", { name: "Save form" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    const [edited] = (await forms()) as [FormJson];
    expect(edited.successMessage).toBe("Thanks, we will send a quote today.");
    expect(edited.fields.find((f) => f.name === "phone")!.required).toBe(true);
    // Untouched settings of the fields survive a save from the page.
    expect(edited.fields.find((f: any) => f.name === "name")).toEqual(
      created.fields.find((f: any) => f.name === "name"),
    );

    await page.getByRole("button", { name: "Delete form" }).click();
    await page.waitForURL(`${env.workerUrl}/app/forms`);
    expect(await forms()).toHaveLength(0);
    await page.close();
  });
});
