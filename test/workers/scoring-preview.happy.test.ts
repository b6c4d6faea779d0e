import { describe, expect, it } from "vitest";
import type { ScorePreview } from "../../workers/domain/capture/score-preview";
import type { ScoringRules } from "../../workers/domain/capture/scoring";
import type { AuditEventView } from "../../workers/domain/team/audit-log";
import type { LeadCreatedJson, LeadDetailJson, ListJson } from "../support/response-json";
import { call, type ErrorBody, seedWorkspace, uniqueEmail } from "../support/workers/harness";

describe("scoring preview (POST /api/v1/scoring/preview)", () => {
  it("scores a sample with the given rules and an existing lead with the saved ones, writing nothing", async () => {
    const ws = await seedWorkspace();
    const rules = { base: 2, fields: [{ field: "budget", min: 1000, points: 4, label: "Big budget" }], recency: [] };
    const sample = await call("POST", "/api/v1/scoring/preview", {
      key: ws.key,
      body: { rules, sample: { email: uniqueEmail(), fields: { budget: "5000" } } },
    });
    expect(sample.status).toBe(200);
    // base 2 + email 1 (default) + big budget 4.
    expect(sample.json).toEqual({
      score: 7,
      hot: true,
      reasons: [
        { rule: "base", label: "Base points", points: 2 },
        { rule: "contact.email", label: "Gave an email address", points: 1 },
        { rule: "field.budget", label: "Big budget", points: 4 },
      ],
    });

    const lead = (
      await call<LeadCreatedJson>("POST", "/api/v1/leads", {
        key: ws.key,
        body: { name: "Pre View", email: uniqueEmail() },
      })
    ).json.lead;
    const saved = await call<ScorePreview>("POST", "/api/v1/scoring/preview", {
      key: ws.key,
      body: { rules, leadId: lead.id },
    });
    expect(saved.status).toBe(200);
    expect(saved.json.reasons.map((r: { rule: string }) => r.rule)).toEqual(["base", "contact.email"]);
    expect(saved.json.score).toBe(3);
    // Nothing stored: the lead keeps the score capture gave it, the rules are unchanged, no audit entry.
    expect((await call<LeadDetailJson>("GET", `/api/v1/leads/${lead.id}`, { key: ws.key })).json.lead.score).toBe(
      lead.score,
    );
    expect((await call<ScoringRules>("GET", "/api/v1/scoring", { key: ws.key })).json.base).toBe(1);
    const audit = (await call<ListJson<AuditEventView>>("GET", "/api/v1/audit", { key: ws.key })).json.data as {
      action: string;
    }[];
    expect(audit.map((a) => a.action)).not.toContain("scoring.preview");
  });

  it("another workspace's lead, neither or both of leadId and sample: a 422 naming leadId", async () => {
    const ws = await seedWorkspace();
    const other = await seedWorkspace();
    const theirs = (
      await call<LeadCreatedJson>("POST", "/api/v1/leads", {
        key: other.key,
        body: { name: "Theirs", email: uniqueEmail() },
      })
    ).json.lead;
    const res = await call<ErrorBody>("POST", "/api/v1/scoring/preview", { key: ws.key, body: { leadId: theirs.id } });
    expect(res.status).toBe(422);
    expect(res.json.error.fields).toEqual({ leadId: "No such lead in this workspace." });
    for (const body of [{}, { leadId: theirs.id, sample: {} }]) {
      const bad = await call<ErrorBody>("POST", "/api/v1/scoring/preview", { key: ws.key, body });
      expect(bad.status).toBe(422);
      expect(Object.keys(bad.json.error.fields!)).toContain("leadId");
    }
    const badRules = await call<ErrorBody>("POST", "/api/v1/scoring/preview", {
      key: ws.key,
      body: { rules: { hotThreshold: 99 }, sample: {} },
    });
    expect(badRules.status).toBe(422);
    expect(Object.keys(badRules.json.error.fields!)).toContain("rules.hotThreshold");
  });
});
