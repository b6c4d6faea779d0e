import { describe, expect, it } from "vitest";
import { formatDuration } from "../../workers/dashboard/charts";
import { buildDashboardStats } from "../../workers/domain/reports/dashboard-stats";
import { relativeTime, zoneDay, zoneMidnight } from "../../workers/lib/zone-time";

const MIN = 60_000;

describe("workspace-zone days", () => {
  it("starts a calendar day at local midnight, across a DST change", () => {
    expect(zoneMidnight("2026-07-01", "UTC")).toBe(Date.UTC(2026, 6, 1));
    expect(zoneMidnight("2026-07-01", "America/New_York")).toBe(Date.UTC(2026, 6, 1, 4));
    expect(zoneMidnight("2026-01-15", "America/New_York")).toBe(Date.UTC(2026, 0, 15, 5));
    // The night clocks go back in New York (1 Nov 2026): midnight is still on EDT.
    expect(zoneMidnight("2026-11-01", "America/New_York")).toBe(Date.UTC(2026, 10, 1, 4));
    expect(zoneMidnight("2026-07-01", "Asia/Kolkata")).toBe(Date.UTC(2026, 5, 30, 18, 30));
    expect(zoneDay(Date.UTC(2026, 6, 1, 3), "America/New_York")).toBe("2026-06-30");
  });

  it("says times the way people scan them", () => {
    const now = Date.UTC(2026, 6, 1, 12);
    expect(relativeTime(now - 20_000, now)).toBe("just now");
    expect(relativeTime(now - 4 * MIN, now)).toBe("4 min ago");
    expect(relativeTime(now - 3 * 3_600_000, now)).toBe("3 h ago");
    expect(relativeTime(now + 2 * 86_400_000, now)).toBe("in 2 days");
  });
});

describe("overview metrics", () => {
  it("shows a delay under a millisecond as such, not as 0 ms", () => {
    expect(formatDuration(0)).toBe("under 1 ms");
    expect(formatDuration(40)).toBe("40 ms");
  });

  it("counts system delay to the first owner, not to a later SLA hand-over", () => {
    const t = Date.UTC(2026, 6, 1, 9);
    const stats = buildDashboardStats(
      [
        {
          id: "lead_1",
          name: null,
          source: "form",
          status: "new",
          ownerRepId: "rep_b",
          createdAt: t,
          firstAssignedAt: t + 30,
          assignedAt: t + 20 * MIN,
          firstResponseAt: null,
        },
      ],
      [{ id: "rep_b", name: "Ben" }],
      { from: t - 3_600_000, now: t + 30 * MIN, timeZone: "UTC", slaMinutes: 15 },
    );
    expect(stats.systemDelay.median).toBe(30);
  });
});
