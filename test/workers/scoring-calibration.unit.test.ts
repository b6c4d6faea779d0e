import { describe, expect, it } from "vitest";
import { DEFAULT_SCORING_RULES, type LeadForScoring, scoreLead } from "../../workers/domain/capture/scoring";

const NOW = 1_800_000_000_000;

/** A small deterministic generator (LCG), so the sample is the same on every run. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/**
 * A mixed inflow as a small business sees it: mostly forms that leave contact details, WhatsApp chats that
 * always carry a phone, some Telegram and API leads; a minority show intent — a budget or a timeline answer,
 * a paid-ad click, or coming back.
 */
function sample(n: number): LeadForScoring[] {
  const r = random(42);
  const leads: LeadForScoring[] = [];
  for (let i = 0; i < n; i++) {
    const roll = r();
    const source = roll < 0.55 ? "form" : roll < 0.8 ? "whatsapp" : roll < 0.9 ? "telegram" : "api";
    const fields: Record<string, string> = {};
    if (source === "form" && r() < 0.06) fields.budget = "5-10k";
    if (source === "form" && r() < 0.05) fields.timeline = "this quarter";
    leads.push({
      source,
      name: r() < 0.8 ? "Sam Sample" : null,
      email: source === "form" || source === "api" ? (r() < 0.95 ? `s${i}@example.com` : null) : null,
      phone: source === "whatsapp" || r() < 0.55 ? "+14155550100" : null,
      whatsappId: source === "whatsapp" ? "14155550100" : null,
      telegramUserId: source === "telegram" ? String(1000 + i) : null,
      utmSource: r() < 0.3 ? "google" : null,
      utmMedium: source === "form" && r() < 0.05 ? "cpc" : r() < 0.3 ? "organic" : null,
      fields,
      replied: r() < 0.04,
      lastInboundAt: NOW - Math.floor(r() * 2 * 3_600_000),
    });
  }
  return leads;
}

describe("default scoring calibration", () => {
  it("on a realistic mixed sample 10–20 % of leads come out hot", () => {
    const leads = sample(2000);
    const hot = leads.filter((l) => scoreLead(l, DEFAULT_SCORING_RULES, NOW).hot).length;
    const share = hot / leads.length;
    expect(share).toBeGreaterThanOrEqual(0.1);
    expect(share).toBeLessThanOrEqual(0.2);
  });

  it("contact details alone are never hot; one intent signal on a fresh lead is", () => {
    const full: LeadForScoring = {
      source: "form",
      name: "Ada",
      email: "a@b.co",
      phone: "+14155550101",
      lastInboundAt: NOW,
    };
    expect(scoreLead(full, DEFAULT_SCORING_RULES, NOW)).toMatchObject({ score: 4, hot: false });
    const chat: LeadForScoring = {
      source: "whatsapp",
      name: "Bo",
      phone: "+14155550102",
      whatsappId: "14155550102",
      lastInboundAt: NOW,
    };
    expect(scoreLead(chat, DEFAULT_SCORING_RULES, NOW).hot).toBe(false);

    const bare: LeadForScoring = { source: "form", email: "c@d.co", lastInboundAt: NOW };
    const intents: Partial<LeadForScoring>[] = [
      { fields: { budget: "10k" } },
      { fields: { timeline: "May" } },
      { utmMedium: "CPC" },
      { replied: true },
    ];
    for (const intent of intents) {
      const s = scoreLead({ ...bare, ...intent }, DEFAULT_SCORING_RULES, NOW);
      expect(s.hot, JSON.stringify(intent)).toBe(true);
    }
    expect(scoreLead({ ...chat, replied: true }, DEFAULT_SCORING_RULES, NOW).hot).toBe(true);
  });
});
