import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { api, browserWithWorkspace, SHOTS, signIn } from "../support/browser/chromium";
import type { LeadJson, ListJson, RepJson } from "../support/response-json";

const own = browserWithWorkspace("Import Desk");

const CSV = [
  "Name,Mail,Phone,Company,Notes,Owner",
  "Ada Lovelace,ada@example.com,,Analytical Ltd,Call me after 5,Ava Stone",
  "Grace Hopper,grace@example.com,+1 415 555 0101,,,",
  "Bad Row,not-an-email,,,,",
  "Ada again,ADA@example.com,,,A second note,",
  "Linus,linus@example.com,,,,Nobody Here",
].join("\n");

describe("CSV import in the console", () => {
  it("maps the columns, previews the rows with their problems, imports with live progress and reports", async () => {
    const ava = await api<RepJson>("/api/v1/reps", { method: "POST", body: { name: "Ava Stone" }, key: own.key });
    const page = await own.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, own.key);
    await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Import" }).click();
    await page.getByLabel("CSV file").setInputFiles({
      name: "contacts.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(CSV),
    });
    await page.getByRole("button", { name: "Upload" }).click();

    // Guessed from the headers; the preview checks every row as the import will.
    await page.getByRole("heading", { name: "contacts.csv: 5 rows" }).waitFor();
    expect(await page.getByLabel("Mail").inputValue()).toBe("email");
    expect(await page.getByLabel("Phone").inputValue()).toBe("phone");
    expect(await page.getByLabel("Company").inputValue()).toBe("company");
    expect(await page.getByLabel("Notes").inputValue()).toBe("message");
    expect(await page.getByLabel("Owner", { exact: true }).inputValue()).toBe("owner");
    expect(await page.locator("[data-preview-summary]").textContent()).toBe(
      "3 of the first 5 rows can be imported as mapped.",
    );
    expect(await page.locator('tr[data-row="3"]').textContent()).toContain("email: Not a valid email address.");
    expect(await page.locator('tr[data-row="5"]').textContent()).toContain('No active rep is named "Nobody Here"');

    // Without a contact column nothing can be imported: said beside the mapping, nothing started.
    await page.getByLabel("Mail").selectOption("ignore");
    await page.getByLabel("Phone").selectOption("ignore");
    await page.getByRole("button", { name: "Import 5 rows" }).click();
    await page.locator('[data-error-for="columns"]', { hasText: "Map a column to Email or Phone" }).waitFor();
    await page.getByLabel("Mail").selectOption("email");
    await page.getByLabel("Phone").selectOption("phone");
    await page.getByRole("button", { name: "Check again with this mapping" }).click();
    await page.locator("[data-preview-summary]", { hasText: "3 of the first 5" }).waitFor();

    // The page's script runs the chunks and turns into the report.
    await page.getByRole("button", { name: "Import 5 rows" }).click();
    await page.locator('[data-import][data-status="done"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-count="imported"]').textContent()).toBe("2");
    expect(await page.locator('[data-count="merged"]').textContent()).toBe("1");
    expect(await page.locator('[data-count="rejected"]').textContent()).toBe("2");
    expect(await page.locator('[data-rejected-row="3"]').textContent()).toContain("Not a valid email address.");
    expect(await page.locator('[data-rejected-row="5"]').textContent()).toContain("Nobody Here");
    await page.screenshot({ path: `${SHOTS}/import-report.png`, fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: /Download the rejected rows/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("contacts-rejected.csv");
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv).toBe(
      "\uFEFFrow,Name,Mail,Phone,Company,Notes,Owner,reason\r\n" +
        "3,Bad Row,not-an-email,,,,,email: Not a valid email address.\r\n" +
        '5,Linus,linus@example.com,,,,Nobody Here,"owner: No active rep is named ""Nobody Here""."\r\n',
    );

    // The leads: Ada once (her second row merged), owned by the rep her row named; Grace from the rotation.
    const leads = (await api<ListJson<LeadJson>>("/api/v1/leads?source=import", { key: own.key })).data;
    expect(leads.map((l) => l.email).sort()).toEqual(["ada@example.com", "grace@example.com"]);
    const ada = leads.find((l) => l.email === "ada@example.com");
    expect(ada).toMatchObject({ name: "Ada Lovelace", ownerRepId: ava.id, source: "import" });
    await page.getByRole("link", { name: "See the imported leads" }).click();
    await page.getByRole("link", { name: "Ada Lovelace" }).waitFor();
    await page.close();
  });
});
