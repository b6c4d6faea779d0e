import { describe, expect, it } from "vitest";
import { buildDashboardStats, percentile, type StatLead } from "../../workers/domain/reports/dashboard-stats";

const DAY = 86_400_000;
const MIN = 60_000;
const NOW = Date.UTC(2026, 10, 23, 12);
const reps = [
  { id: "rep_a", name: "Ana" },
  { id: "rep_b", name: "Ben" },
];
let n = 0;
const l = (over: Partial<StatLead>): StatLead => ({
  id: `lead_${n++}`,
  name: null,
  source: "form",
  status: "new",
  ownerRepId: null,
  createdAt: NOW - DAY,
  assignedAt: null,
  firstResponseAt: null,
  ...over,
});

describe("percentile", () => {
  it("is nearest-rank: always an observed value", () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 100)).toBe(10);
  });
});

describe("buildDashboardStats", () => {
  const t = NOW - 2 * DAY;
  const leads = [
    // Ana: assigned after 1 s, answered after 2 min; won.
    l({
      source: "form",
      status: "won",
      ownerRepId: "rep_a",
      createdAt: t,
      assignedAt: t + 1000,
      firstResponseAt: t + 1000 + 2 * MIN,
    }),
    // Ana: assigned after 3 s, answered after 30 min (an SLA breach at 15 min).
    l({
      source: "whatsapp",
      status: "contacted",
      ownerRepId: "rep_a",
      createdAt: t,
      assignedAt: t + 3000,
      firstResponseAt: t + 3000 + 30 * MIN,
    }),
    // Ben: assigned, never answered, waiting for two days (an open breach).
    l({ source: "form", status: "new", ownerRepId: "rep_b", createdAt: t, assignedAt: t + 500 }),
    // Spam never counts as a breach.
    l({ source: "api", status: "spam", createdAt: t }),
    // Just arrived: not a breach yet, not measured yet.
    l({ source: "form", status: "new", createdAt: NOW - MIN }),
  ];
  const s = buildDashboardStats(leads, reps, { from: NOW - 6 * DAY, now: NOW, timeZone: "UTC", slaMinutes: 15 });

  it("counts leads per day by source, with empty days present", () => {
    expect(s.days).toHaveLength(7);
    expect(s.days.find((d) => d.day === "2026-11-21")!.bySource).toEqual({ form: 2, whatsapp: 1, api: 1 });
    expect(s.days.find((d) => d.day === "2026-11-23")!.bySource).toEqual({ form: 1 });
    expect(s.days.find((d) => d.day === "2026-11-19")!.bySource).toEqual({});
  });

  it("builds the funnel and status counts", () => {
    expect(s.funnel).toEqual([
      { stage: "Captured", count: 5 },
      { stage: "Responded", count: 2 },
      { stage: "Qualified", count: 1 },
      { stage: "Won", count: 1 },
    ]);
    expect(s.statuses).toMatchObject({ new: 2, contacted: 1, won: 1, spam: 1, lost: 0 });
  });

  it("splits speed to lead into system and rep delay, median and p90 per rep", () => {
    const ana = s.reps.find((r) => r.repId === "rep_a")!;
    expect(ana.systemDelay).toEqual({ count: 2, median: 1000, p90: 3000 });
    expect(ana.repDelay).toEqual({ count: 2, median: 2 * MIN, p90: 30 * MIN });
    const ben = s.reps.find((r) => r.repId === "rep_b")!;
    expect(ben.systemDelay).toEqual({ count: 1, median: 500, p90: 500 });
    expect(ben.repDelay).toEqual({ count: 0, median: null, p90: null });
    expect(s.systemDelay.median).toBe(1000);
  });

  it("lists SLA breaches: late answers and leads still waiting, never spam", () => {
    expect(s.sla).toMatchObject({ minutes: 15, breached: 2, open: 1 });
    expect(s.sla.recent.map((b) => [b.source, b.open])).toEqual(
      expect.arrayContaining([
        ["whatsapp", false],
        ["form", true],
      ]),
    );
  });

  it("computes conversion by source and by rep", () => {
    expect(s.conversionBySource.find((c) => c.label === "form")).toEqual({ label: "form", total: 3, won: 1 });
    expect(s.conversionBySource.find((c) => c.label === "telegram")).toEqual({ label: "telegram", total: 0, won: 0 });
    expect(s.reps.map((r) => [r.name, r.assigned, r.won])).toEqual([
      ["Ana", 2, 1],
      ["Ben", 1, 0],
    ]);
  });

  it("buckets days in the workspace's time zone", () => {
    const late = l({ createdAt: Date.UTC(2026, 10, 22, 23, 30) });
    const tokyo = buildDashboardStats([late], reps, {
      from: NOW - DAY,
      now: NOW,
      timeZone: "Asia/Tokyo",
      slaMinutes: 15,
    });
    expect(tokyo.days.find((d) => d.bySource.form)?.day).toBe("2026-11-23");
  });
});
