import { describe, expect, it } from "vitest";
import {
  DEFAULT_SCORING_RULES,
  type LeadForScoring,
  scoreLead,
  scoringRulesSchema,
} from "../../workers/domain/capture/scoring";

const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;
const bare: LeadForScoring = { source: "form", lastInboundAt: NOW - 30 * 24 * HOUR };

describe("scoreLead", () => {
  it("explains every point: the reasons sum to the score", () => {
    const s = scoreLead(
      { ...bare, name: "Ada", email: "a@b.co", phone: "+14155550101", lastInboundAt: NOW },
      DEFAULT_SCORING_RULES,
      NOW,
    );
    expect(s.reasons.map((r) => r.rule)).toEqual(["base", "contact.email", "contact.phone", "recency.1h"]);
    expect(s.score).toBe(s.reasons.reduce((a, r) => a + r.points, 0));
    expect(s.score).toBe(4);
    expect(s.hot).toBe(false); // contact details are not intent (scoring-calibration.unit.test.ts)
  });

  it("never goes below 1 or above 10", () => {
    const harsh = scoringRulesSchema.parse({ base: 0, contact: { name: -10, email: -10, phone: -10 } });
    expect(scoreLead({ ...bare, name: "x", email: "y@z.co" }, harsh, NOW).score).toBe(1);
    const generous = scoringRulesSchema.parse({ base: 10, contact: { name: 10, email: 10, phone: 10 } });
    expect(scoreLead({ ...bare, name: "x", email: "y@z.co" }, generous, NOW).score).toBe(10);
  });

  it("scores field answers: any answer, one of a list (case-insensitive), or a minimum; first match per field", () => {
    const rules = scoringRulesSchema.parse({
      base: 0,
      contact: { name: 0, email: 0, phone: 0 },
      recency: [],
      fields: [
        { field: "budget", equals: ["over 10k"], points: 3, label: "Big budget" },
        { field: "budget", points: 1 },
        { field: "seats", min: 20, points: 2 },
        { field: "timeline", points: 1 },
      ],
    });
    const big = scoreLead({ ...bare, fields: { budget: "Over 10K", seats: "25", timeline: " " } }, rules, NOW);
    expect(big.reasons).toEqual([
      { rule: "field.budget", label: "Big budget", points: 3 },
      { rule: "field.seats", label: "seats: 25", points: 2 },
    ]);
    const small = scoreLead({ ...bare, fields: { budget: "under 1k", seats: "5" } }, rules, NOW);
    expect(small.reasons.map((r) => r.rule)).toEqual(["field.budget"]);
    expect(small.reasons[0]!.points).toBe(1);
  });

  it("scores channel, campaign source, engagement and recency windows", () => {
    const rules = scoringRulesSchema.parse({
      utmSources: { Google: 2 },
      sources: { whatsapp: 1 },
      engagement: { replied: 2 },
      recency: [
        { withinHours: 1, points: 2 },
        { withinHours: 24, points: 1 },
      ],
    });
    const s = scoreLead(
      {
        ...bare,
        source: "whatsapp",
        whatsappId: "14155550101",
        utmSource: "google",
        replied: true,
        lastInboundAt: NOW - 3 * HOUR,
      },
      rules,
      NOW,
    );
    expect(s.reasons.map((r) => [r.rule, r.points])).toEqual([
      ["base", 1],
      ["contact.phone", 1],
      ["source.whatsapp", 1],
      ["utm.google", 2],
      ["engagement.replied", 2],
      ["recency.24h", 1],
    ]);
    expect(s.score).toBe(8);
  });

  it("flags hot at the configured threshold", () => {
    const lead = { ...bare, email: "a@b.co" }; // base 1 + email 1 = 2
    expect(scoreLead(lead, scoringRulesSchema.parse({ hotThreshold: 2 }), NOW).hot).toBe(true);
    expect(scoreLead(lead, scoringRulesSchema.parse({ hotThreshold: 3 }), NOW).hot).toBe(false);
  });

  it("rejects rules out of range", () => {
    expect(scoringRulesSchema.safeParse({ hotThreshold: 11 }).success).toBe(false);
    expect(scoringRulesSchema.safeParse({ fields: [{ field: "", points: 1 }] }).success).toBe(false);
    expect(scoringRulesSchema.safeParse({ contact: { phone: 50 } }).success).toBe(false);
  });
});
