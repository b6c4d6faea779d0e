import { describe, expect, it } from "vitest";
import { formatDuration, statsText } from "../../bots/telegram/rep-commands";
import { localBoundaries, summarizeRepStats } from "../../workers/domain/reports/rep-stats";

const MIN = 60_000;
// Wednesday 2026-03-11 15:30:00 UTC = 11:30 in New York (EDT since March 8).
const WED = Date.UTC(2026, 2, 11, 15, 30, 0);

describe("rep stats", () => {
  it("today and this week start at local midnight, weeks on Monday", () => {
    expect(localBoundaries(WED, "UTC")).toEqual({ today: Date.UTC(2026, 2, 11), week: Date.UTC(2026, 2, 9) });
    expect(localBoundaries(WED, "America/New_York")).toEqual({
      today: Date.UTC(2026, 2, 11, 4),
      week: Date.UTC(2026, 2, 9, 4),
    });
    // 01:00 on Monday in Tokyo is still Sunday in UTC: the week starts that Monday, Tokyo time.
    const mondayTokyo = Date.UTC(2026, 2, 8, 16, 0);
    expect(localBoundaries(mondayTokyo, "Asia/Tokyo")).toEqual({
      today: Date.UTC(2026, 2, 8, 15),
      week: Date.UTC(2026, 2, 8, 15),
    });
    expect(localBoundaries(WED, "Not/AZone")).toEqual(localBoundaries(WED, "UTC"));
  });

  it("counts only this week's and today's, and takes the median first response", () => {
    const { today, week } = localBoundaries(WED, "UTC");
    const n = summarizeRepStats(
      {
        open: 4,
        recent: [
          { assignedAt: today + MIN, firstResponseAt: today + 3 * MIN }, // today, 2 min
          { assignedAt: week + MIN, firstResponseAt: week + 11 * MIN }, // this week, 10 min
          // last week's lead answered this week: 30 min
          { assignedAt: week - 10 * MIN, firstResponseAt: week + 20 * MIN },
          { assignedAt: week - 60 * MIN, firstResponseAt: week - 30 * MIN }, // all last week
          { assignedAt: today + 2 * MIN, firstResponseAt: null },
        ],
        wonAt: [week + MIN, week - MIN],
      },
      WED,
      "UTC",
    );
    expect(n).toEqual({
      timeZone: "UTC",
      open: 4,
      newToday: 2,
      newThisWeek: 3,
      wonThisWeek: 1,
      answeredThisWeek: 3,
      medianFirstResponseMs: 10 * MIN,
    });
    expect(statsText(n)).toBe(
      "Your numbers (weeks start Monday, UTC):\n" +
        "Open leads: 4\n" +
        "New today: 2 \u00b7 this week: 3\n" +
        "Won this week: 1\n" +
        "Median first response this week: 10 min (3 leads)",
    );
    expect(statsText({ ...n, medianFirstResponseMs: null, answeredThisWeek: 0 })).toContain(
      "First response this week: none yet",
    );
  });

  it("durations read like a person would say them", () => {
    expect([35_000, 4 * MIN, 125 * MIN, 120 * MIN].map(formatDuration)).toEqual(["35 s", "4 min", "2 h 5 min", "2 h"]);
  });
});
