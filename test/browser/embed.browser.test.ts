import { createClient } from "@libsql/client";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, launchChromium, newWorkspace, SHOTS } from "../support/browser/chromium";
import type { LeadJson, ListJson, RepJson } from "../support/response-json";

const env = inject("browserEnv");
let browser: Browser;
// A form like the default one: name required, email and phone each optional (either will do).
let openForm: { publicKey: string };
let key: string;

beforeAll(async () => {
  browser = await launchChromium();
  const ws = await newWorkspace("Callback Co");
  key = ws.key;
  await api<RepJson>("/api/v1/reps", { method: "POST", key: ws.key, body: { name: "Dee" } });
  openForm = await api("/api/v1/forms", {
    method: "POST",
    key: ws.key,
    body: { name: "Callback form", consentText: "Send me offers and news by email." },
  });
});
afterAll(async () => {
  await browser?.close();
});

async function open(query: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.clock.install();
  await page.goto(`${env.hostUrl}/${query}`);
  await page.getByRole("textbox", { name: "Name", exact: true }).waitFor();
  return page;
}

/** Computed styles of what the visitor sees inside the shadow root. */
function insideStyles(page: Page) {
  return page.evaluate(() => {
    const root = document.querySelector("leadrelay-form")!.shadowRoot!;
    const pick = (sel: string) => {
      const s = getComputedStyle(root.querySelector(sel)!);
      return {
        fontSize: s.fontSize,
        color: s.color,
        lineHeight: s.lineHeight,
        letterSpacing: s.letterSpacing,
        padding: s.padding,
        border: s.borderTopWidth,
        fontFamily: s.fontFamily,
      };
    };
    return {
      label: pick("label"),
      input: pick("input"),
      button: pick("button"),
      wrapper: pick("div"),
      field: pick(".f"),
    };
  });
}

describe("embed snippet on hostile pages", () => {
  it("looks the same inside the form whatever the page's CSS does to the host element", async () => {
    const plain = await open(`?form=${openForm.publicKey}&css=none`);
    const baseline = await insideStyles(plain);
    expect(baseline.label.fontSize).toBe("16px");
    const hostile = await open(`?form=${openForm.publicKey}&css=inheriting`);
    expect(await insideStyles(hostile)).toEqual(baseline);
    // The page's frame on every element does not land on the form's own box either.
    const box = await hostile.evaluate(() => {
      const s = getComputedStyle(document.querySelector("leadrelay-form")!);
      return { padding: s.paddingTop, border: s.borderTopWidth };
    });
    expect(box).toEqual({ padding: "0px", border: "0px" });
    await hostile.screenshot({ path: `${SHOTS}/embed-hostile-css.png`, fullPage: true });
    await Promise.all([plain.close(), hostile.close()]);
  });

  it("hints before submitting that an email or a phone is needed; marks both when only a name is given", async () => {
    const page = await open(`?form=${openForm.publicKey}`);
    const hint = "Enter an email or a phone number so we can reply.";
    const email = page.getByRole("textbox", { name: "Email", exact: true });
    // The hint is there before anything is submitted, as part of both fields' descriptions.
    expect(await page.getByText(hint).isVisible()).toBe(true);
    const describedBy = (await email.getAttribute("aria-describedby"))!.split(" ");
    expect(describedBy).toContain("lrh");

    let posts = 0;
    page.on("request", (r) => {
      if (r.method() === "POST" && r.url().includes("/f/")) posts++;
    });
    await page.getByRole("textbox", { name: "Name", exact: true }).fill("Only A Name");
    await page.clock.fastForward(5_000);
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByRole("status").filter({ hasText: "Please fix 2 fields." }).waitFor();
    for (const name of ["Email", "Phone"]) {
      const box = page.getByLabel(name, { exact: true });
      expect(await box.getAttribute("aria-invalid")).toBe("true");
      const errId = (await box.getAttribute("aria-describedby"))!.split(" ")[0]!;
      expect(await page.locator(`#${errId}`).textContent()).toBe(hint);
    }
    expect(posts).toBe(0);
    await page.screenshot({ path: `${SHOTS}/embed-name-only.png`, fullPage: true });

    // A phone that cannot be read is explained in the visitor's words.
    await page.getByLabel("Phone", { exact: true }).fill("12");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByRole("status").filter({ hasText: "Please fix 1 field." }).waitFor();
    const phoneErr = (await page.getByLabel("Phone", { exact: true }).getAttribute("aria-describedby"))!.split(" ")[0]!;
    expect(await page.locator(`#${phoneErr}`).textContent()).toMatch(/^Not a valid phone number\. /);
    expect(await page.locator(`#${phoneErr}`).textContent()).not.toMatch(/default country|read with/);
    await page.close();
  });

  it("types right-to-left names as they come, and records the consent checkbox in the ledger", async () => {
    const page = await open(`?form=${openForm.publicKey}`);
    const name = page.getByRole("textbox", { name: "Name", exact: true });
    expect(await name.getAttribute("dir")).toBe("auto");
    await name.fill("ليلى حداد");
    expect(await name.evaluate((el) => el.matches(":dir(rtl)"))).toBe(true);
    const email = `rtl-${Date.now()}@example.com`;
    await page.getByRole("textbox", { name: "Email", exact: true }).fill(email);
    const consent = page.getByRole("checkbox", { name: "Send me offers and news by email." });
    expect(await consent.isChecked()).toBe(false);
    await consent.check();
    await page.clock.fastForward(5_000);
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByText("Thanks! We will be in touch shortly.").waitFor();

    const lead = (await api<ListJson<LeadJson>>(`/api/v1/leads?q=${encodeURIComponent(email)}`, { key })).data[0]!;
    expect(lead.name).toBe("ليلى حداد");
    const db = createClient({ url: env.libsqlUrl, intMode: "number" });
    const rows = await db.execute({
      sql: "SELECT action, source, text FROM consent_event WHERE lead_id = ?",
      args: [lead.id],
    });
    db.close();
    expect(rows.rows.map((r) => ({ ...r }))).toEqual([
      { action: "consent_given", source: "form", text: "Send me offers and news by email." },
    ]);
    await page.close();
  });
});
