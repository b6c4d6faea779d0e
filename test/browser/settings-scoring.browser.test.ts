import { describe, expect, inject, it } from "vitest";
import { api, browserWithWorkspace, SHOTS, signIn } from "../support/browser/chromium";
import type { LeadCreatedJson, LeadDetailJson, ScoringRulesJson } from "../support/response-json";

const env = inject("browserEnv");
const own = browserWithWorkspace("Scoring Co");

const rules = async () => api<ScoringRulesJson>("/api/v1/scoring", { key: own.key });

describe("scoring settings page", () => {
  it("edits rules as a form with errors next to their field, previews a sample and a real lead, rescores", async () => {
    const lead = (
      await api<LeadCreatedJson>("/api/v1/leads", {
        key: own.key,
        method: "POST",
        body: { name: "Rita Score", email: "rita.score@example.com", fields: { timeline: "now" } },
      })
    ).lead;
    const page = await own.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, own.key);
    await page.goto(`${env.workerUrl}/app/scoring`);
    expect(await page.locator("textarea#rules").count()).toBe(0);
    // The saved rules are the form's values.
    expect(await page.getByLabel("Answer rule 1 field").inputValue()).toBe("budget");
    expect(await page.getByLabel("Answer rule 2 field").inputValue()).toBe("timeline");

    // Out of range and not a number: both refused next to their controls, nothing saved.
    await page.getByLabel("Hot at score (1–10)").fill("99");
    await page.getByLabel("Answer rule 2 points").fill("lots");
    await page.getByRole("button", { name: "Save rules" }).click();
    await page.locator('[data-error-for="hotThreshold"]').waitFor();
    await page.locator('[data-error-for="field1_points"]').waitFor();
    expect(await page.getByLabel("Hot at score (1–10)").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Answer rule 2 points").inputValue()).toBe("lots");
    expect((await rules()).hotThreshold).toBe(7);

    // Valid: threshold 6, the timeline rule narrowed to "now" with its own label, a new campaign rule.
    await page.getByLabel("Hot at score (1–10)").fill("6");
    await page.getByLabel("Answer rule 2 answers").fill("now, this week");
    await page.getByLabel("Answer rule 2 points").fill("4");
    await page.getByLabel("Answer rule 2 label").fill("Wants it now");
    await page.getByLabel("Campaign rule 1 source").fill("google");
    await page.getByLabel("Campaign rule 1 points").fill("2");
    await page.getByRole("button", { name: "Save rules" }).click();
    await page.getByText("Saved. New leads are scored").waitFor();
    const saved = await rules();
    expect(saved.hotThreshold).toBe(6);
    expect(saved.utmSources).toEqual({ google: 2 });
    expect(saved.fields).toEqual([
      { field: "budget", points: 5, label: "Gave a budget" },
      { field: "timeline", equals: ["now", "this week"], points: 4, label: "Wants it now" },
    ]);

    // Preview a sample lead with the rules on the page: base 1 + email 1 + timeline 4 + recency 1 = 7, hot.
    await page.getByLabel("Sample email").fill("sample@example.com");
    await page.getByLabel("Sample answers").fill("timeline = now");
    await page.getByRole("button", { name: "Preview score" }).click();
    await page.locator("[data-preview]").waitFor();
    expect(await page.locator("[data-preview-score]").textContent()).toBe("7");
    expect(await page.locator("[data-preview] .hot").count()).toBe(1);
    expect(await page.locator('[data-rule="field.timeline"]').textContent()).toContain("Wants it now");
    // An unsaved change previews too (and is not saved by previewing).
    await page.getByLabel("Answer rule 2 points").fill("1");
    await page.getByRole("button", { name: "Preview score" }).click();
    await page.locator("[data-preview-score]").getByText("4").waitFor();
    expect((await rules()).fields[1]!.points).toBe(4);

    // An existing lead, picked by its email: its own answers and contact details.
    await page.getByLabel("Answer rule 2 points").fill("4");
    await page.getByLabel("An existing lead").fill("rita.score@example.com");
    await page.getByRole("button", { name: "Preview score" }).click();
    await page.locator("[data-preview]").getByRole("link", { name: "Rita Score" }).waitFor();
    expect(await page.locator('[data-rule="field.timeline"]').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/settings-scoring.png`, fullPage: true });
    // A lead that does not exist: said next to the picker.
    await page.getByLabel("An existing lead").fill("nobody-at-all@example.com");
    await page.getByRole("button", { name: "Preview score" }).click();
    await page.locator('[data-error-for="lead"]').waitFor();

    // Remove the campaign rule by clearing its source; rescore the open lead with the saved rules.
    await page.getByLabel("An existing lead").fill("");
    await page.getByLabel("Campaign rule 1 source").fill("");
    await page.getByRole("button", { name: "Save rules" }).click();
    await page.getByText("Saved. New leads are scored").waitFor();
    expect((await rules()).utmSources).toEqual({});
    await page.getByRole("button", { name: "Rescore open leads" }).click();
    await page.locator("[data-rescored]").waitFor();
    expect(await page.locator("[data-rescored]").textContent()).toContain("Rescored 1 open leads");
    const rescored = (await api<LeadDetailJson>(`/api/v1/leads/${lead.id}`, { key: own.key })).lead;
    expect(rescored.hot).toBe(true);
    expect(rescored.scoreReasons!.map((r: { rule: string }) => r.rule)).toContain("field.timeline");
    await page.close();
  });
});
