import { z } from "@hono/zod-openapi";

/**
 * Lead scoring: a 1–10 score that explains itself. Every rule that fires adds its points and a reason;
 * the sum (plus `base`) is clamped to 1..10. Pure: the same lead and rules always give the same score,
 * so it can run in JS before the capture batch and in tests without a database.
 *
 * The defaults make "hot" mean intent, not contact details: base 1, email 1, phone 1 (name 0), answered
 * within the hour 1 — at most 4 for a lead that only left its details — and 5 for each intent signal: a
 * budget answer, a timeline answer, a paid-ad click (utm_medium cpc/ppc/paid/ad), coming back or replying.
 * With the threshold at 7, one intent signal makes a lead hot; contact details alone never do.
 * On a realistic mix (test/workers/scoring-calibration.unit.test.ts) 10–20 % of leads come out hot.
 */
const points = z.number().int().min(-10).max(10);

export const scoringRulesSchema = z.object({
  base: z.number().int().min(0).max(10).default(1),
  /** Points for each contact detail the lead gave. */
  contact: z
    .object({ name: points.default(0), email: points.default(1), phone: points.default(1) })
    .default({ name: 0, email: 1, phone: 1 }),
  /** Points by channel (form, whatsapp, telegram, api). */
  sources: z.record(z.string().max(32), points).default({}),
  /** Points by utm_source, compared lower-cased (e.g. `{ "google": 1, "referral": 2 }`). */
  utmSources: z.record(z.string().max(200), points).default({}),
  /**
   * Answers to form fields. A rule matches when the lead answered `field` and, if given, the answer is one
   * of `equals` (case-insensitive) or a number ≥ `min`. First matching rule per field wins.
   */
  fields: z
    .array(
      z.object({
        field: z.string().min(1).max(64),
        equals: z.array(z.string().max(200)).max(50).optional(),
        min: z.number().optional(),
        points,
        label: z.string().max(120).optional(),
      }),
    )
    .max(50)
    .default([
      { field: "budget", points: 5, label: "Gave a budget" },
      { field: "timeline", points: 5, label: "Gave a timeline" },
    ]),
  /** The prospect came back or answered us (a re-inquiry, a reply in chat). */
  engagement: z.object({ replied: points.default(5) }).default({ replied: 5 }),
  /** Clicked a paid ad: utm_medium is one of `mediums` (compared lower-cased). */
  adClick: z
    .object({
      mediums: z.array(z.string().max(50)).max(20).default(["cpc", "ppc", "paid", "paid_social", "ad", "ads"]),
      points: points.default(5),
    })
    .default({ mediums: ["cpc", "ppc", "paid", "paid_social", "ad", "ads"], points: 5 }),
  /** Points while the last inbound touch is recent; the first window that contains it applies. */
  recency: z
    .array(
      z.object({
        withinHours: z
          .number()
          .positive()
          .max(24 * 365),
        points,
      }),
    )
    .max(10)
    .default([{ withinHours: 1, points: 1 }]),
  /** Leads scoring at least this are flagged hot. */
  hotThreshold: z.number().int().min(1).max(10).default(7),
});

export type ScoringRules = z.infer<typeof scoringRulesSchema>;
export type ScoringRulesInput = z.input<typeof scoringRulesSchema>;

export const DEFAULT_SCORING_RULES: ScoringRules = scoringRulesSchema.parse({});

export interface ScoreReason {
  rule: string;
  label: string;
  points: number;
}

export interface LeadForScoring {
  source: string;
  name?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  telegramUserId?: string | null | undefined;
  whatsappId?: string | null | undefined;
  utmSource?: string | null | undefined;
  utmMedium?: string | null | undefined;
  fields?: Record<string, string> | undefined;
  replied?: boolean | undefined;
  lastInboundAt: number;
}

export interface Score {
  score: number;
  hot: boolean;
  reasons: ScoreReason[];
}

const HOUR = 3_600_000;
const present = (v: string | null | undefined) => v !== null && v !== undefined && v.trim() !== "";

export function scoreLead(lead: LeadForScoring, rules: ScoringRules, now: number): Score {
  const reasons: ScoreReason[] = [];
  const add = (rule: string, label: string, pts: number) => {
    if (pts !== 0) reasons.push({ rule, label, points: pts });
  };

  add("base", "Base points", rules.base);
  if (present(lead.name)) add("contact.name", "Gave a name", rules.contact.name);
  if (present(lead.email)) add("contact.email", "Gave an email address", rules.contact.email);
  // A chat identity is a phone number the prospect already answers on.
  if (present(lead.phone) || present(lead.whatsappId)) add("contact.phone", "Reachable by phone", rules.contact.phone);

  const bySource = rules.sources[lead.source];
  if (bySource !== undefined) add(`source.${lead.source}`, `Came in through ${lead.source}`, bySource);
  const utm = lead.utmSource?.trim().toLowerCase();
  if (utm) {
    const byUtm = Object.entries(rules.utmSources).find(([k]) => k.toLowerCase() === utm)?.[1];
    if (byUtm !== undefined) add(`utm.${utm}`, `Campaign source ${utm}`, byUtm);
  }

  const answers = lead.fields ?? {};
  const done = new Set<string>();
  for (const rule of rules.fields) {
    if (done.has(rule.field)) continue;
    const answer = answers[rule.field];
    if (!present(answer)) continue;
    const value = answer!.trim();
    if (rule.equals && !rule.equals.some((e) => e.toLowerCase() === value.toLowerCase())) continue;
    if (rule.min !== undefined && !(Number(value) >= rule.min)) continue;
    done.add(rule.field);
    add(`field.${rule.field}`, rule.label ?? `${rule.field}: ${value}`, rule.points);
  }

  const medium = lead.utmMedium?.trim().toLowerCase();
  if (medium && rules.adClick.mediums.some((m) => m.toLowerCase() === medium))
    add("intent.ad", "Clicked a paid ad", rules.adClick.points);
  if (lead.replied) add("engagement.replied", "Came back or replied", rules.engagement.replied);

  const age = now - lead.lastInboundAt;
  const window = [...rules.recency]
    .sort((a, b) => a.withinHours - b.withinHours)
    .find((w) => age <= w.withinHours * HOUR);
  if (window) add(`recency.${window.withinHours}h`, `Last heard from within ${window.withinHours} h`, window.points);

  const raw = reasons.reduce((sum, r) => sum + r.points, 0);
  const score = Math.min(10, Math.max(1, Math.round(raw)));
  return { score, hot: score >= rules.hotThreshold, reasons };
}
