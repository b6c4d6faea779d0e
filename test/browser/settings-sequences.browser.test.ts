import { describe, expect, inject, it } from "vitest";
import { api, browserWithWorkspace, SHOTS, signIn } from "../support/browser/chromium";
import type { ListJson, SequenceJson } from "../support/response-json";

const env = inject("browserEnv");
const own = browserWithWorkspace("Sequences Co");

const sequences = async () => (await api<ListJson<SequenceJson>>("/api/v1/sequences", { key: own.key })).data;

describe("sequences settings page", () => {
  it("creates a sequence with steps, shows a step's problem on that step, edits it and deletes it", async () => {
    const page = await own.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, own.key);
    await page.goto(`${env.workerUrl}/app/sequences`);
    expect(await page.locator("main").textContent()).not.toMatch(/\/api\/v1|through the API/);
    await page.getByRole("link", { name: "New sequence" }).click();
    await page.getByLabel("Sequence name").fill("Quote nurture");
    await page.getByLabel("Step 1 wait", { exact: true }).fill("2");
    await page.getByLabel("Step 1 wait unit").selectOption("hours");
    await page.getByLabel("Step 1 subject").fill("Your quote");
    await page.getByLabel("Step 1 text").fill("Hi {name}, any questions about the quote?");
    // A WhatsApp step with neither text nor template: refused under step 2, nothing written.
    await page.getByLabel("Step 2 wait", { exact: true }).fill("1");
    await page.getByLabel("Step 2 channel").selectOption("whatsapp");
    await page.getByRole("button", { name: "Create sequence" }).click();
    const stepError = page.locator('[data-error-for="step1"]');
    await stepError.waitFor();
    expect(await stepError.textContent()).toBe("A WhatsApp step needs text, a template, or both.");
    expect(await page.locator('fieldset[data-step="1"]').getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Step 1 text").inputValue()).toBe("Hi {name}, any questions about the quote?");
    expect(await sequences()).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/settings-sequence-error.png`, fullPage: true });

    await page.getByLabel("Step 2 template").fill("quote_follow_up");
    await page.getByRole("button", { name: "Create sequence" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    const [created] = (await sequences()) as [SequenceJson];
    expect(created).toMatchObject({
      name: "Quote nurture",
      active: true,
      quietStart: "21:00",
      quietEnd: "08:00",
      stopOnReply: true,
      stopOnRepResponse: true,
    });
    expect(created.steps).toMatchObject([
      { position: 1, delayMinutes: 120, sender: "email", subject: "Your quote", template: null },
      { position: 2, delayMinutes: 1440, sender: "whatsapp", text: null, template: "quote_follow_up" },
    ]);
    // The saved page shows the delays in the units they were typed in.
    expect(await page.getByLabel("Step 1 wait unit").inputValue()).toBe("hours");
    expect(await page.getByLabel("Step 2 wait", { exact: true }).inputValue()).toBe("1");

    // Edit: quiet hours 22:00–07:00, only WhatsApp leads, a third step by Telegram.
    await page.getByLabel("From", { exact: true }).fill("22:00");
    await page.getByLabel("Until", { exact: true }).fill("07:00");
    await page.getByLabel("Came in through").selectOption("whatsapp");
    await page.getByLabel("Step 3 wait", { exact: true }).fill("3");
    await page.getByLabel("Step 3 wait unit").selectOption("days");
    await page.getByLabel("Step 3 channel").selectOption("telegram");
    await page.getByLabel("Step 3 text").fill("Still interested, {name}?");
    await page.getByRole("button", { name: "Save sequence" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    const [edited] = (await sequences()) as [SequenceJson];
    expect(edited).toMatchObject({ source: "whatsapp", quietStart: "22:00", quietEnd: "07:00" });
    expect(edited.steps.map((s: any) => [s.delayMinutes, s.sender])).toEqual([
      [120, "email"],
      [1440, "whatsapp"],
      [4320, "telegram"],
    ]);

    // Stop conditions: keep following up after a reply; a rep taking over still stops. Opt-out is not a setting.
    const replyBox = page.getByLabel("The prospect writes again");
    const repBox = page.getByLabel("A rep takes over", { exact: false });
    expect([await replyBox.isChecked(), await repBox.isChecked()]).toEqual([true, true]);
    expect(await page.locator("form[data-form=sequence]").textContent()).toContain(
      "Opting out always stops them: that is the prospect's right, not a setting.",
    );
    await replyBox.uncheck();
    await page.getByRole("button", { name: "Save sequence" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    expect((await sequences())[0]).toMatchObject({ stopOnReply: false, stopOnRepResponse: true });
    // Shown again on edit, from what was stored.
    await page.goto(`${env.workerUrl}/app/sequences/${created.id}`);
    expect([await replyBox.isChecked(), await repBox.isChecked()]).toEqual([false, true]);
    await repBox.uncheck();
    await replyBox.check();
    await page.getByRole("button", { name: "Save sequence" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    expect((await sequences())[0]).toMatchObject({ stopOnReply: true, stopOnRepResponse: false });
    expect([await replyBox.isChecked(), await repBox.isChecked()]).toEqual([true, false]);

    // Quiet hours off and paused.
    await page.getByLabel("Hold steps due between these times until the end of the window").uncheck();
    await page.getByLabel("Active (new leads are enrolled)").uncheck();
    await page.getByRole("button", { name: "Save sequence" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    expect((await sequences())[0]).toMatchObject({ active: false, quietStart: null, quietEnd: null });

    await page.goto(`${env.workerUrl}/app/sequences`);
    expect(await page.locator(`[data-sequence="${created.id}"]`).textContent()).toContain("(paused)");
    // The list says what each sequence stops on, as last saved: a reply, not a rep taking over.
    expect(await page.locator(`[data-sequence="${created.id}"] [data-stops]`).textContent()).toBe("stops on a reply");
    await page.getByRole("link", { name: "Quote nurture" }).click();
    await page.getByRole("button", { name: "Delete sequence" }).click();
    await page.waitForURL(`${env.workerUrl}/app/sequences?removed=1`);
    expect(await sequences()).toEqual([]);
    expect(await page.locator("main").textContent()).toContain("No follow-up sequences yet.");
    await page.close();
  });
});
