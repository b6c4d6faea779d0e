import { describe, expect, it } from "vitest";
import {
  eligibleReps,
  isWithinWorkingHours,
  localTime,
  type RepAvailability,
  skipReason,
} from "../../workers/routing/availability";
import { nanpRegion } from "../../workers/routing/nanp-regions";
import { routeToPool, ruleMatches } from "../../workers/routing/rules";
import { leastLoaded, pickNext, type RepRotationState } from "../../workers/routing/smooth-wrr";

function rotate(candidatesAt: (i: number) => { repId: string; weight: number }[], n: number) {
  const states = new Map<string, RepRotationState>();
  const counts: Record<string, number> = {};
  const order: string[] = [];
  for (let i = 1; i <= n; i++) {
    const picked = pickNext(states, candidatesAt(i), i)!;
    for (const s of picked.updated) states.set(s.repId, s);
    counts[picked.repId] = (counts[picked.repId] ?? 0) + 1;
    order.push(picked.repId);
  }
  return { counts, order };
}

describe("smooth weighted round robin", () => {
  it("equal weights rotate strictly", () => {
    const reps = ["a", "b", "c", "d", "e"].map((repId) => ({ repId, weight: 1 }));
    const { counts, order } = rotate(() => reps, 1000);
    expect(Object.values(counts)).toEqual([200, 200, 200, 200, 200]);
    expect(order.slice(0, 10)).toEqual(["a", "b", "c", "d", "e", "a", "b", "c", "d", "e"]);
  });

  it("3:1:1 gives exact shares, interleaved", () => {
    const reps = [
      { repId: "a", weight: 3 },
      { repId: "b", weight: 1 },
      { repId: "c", weight: 1 },
    ];
    const { counts, order } = rotate(() => reps, 500);
    expect(counts).toEqual({ a: 300, b: 100, c: 100 });
    expect(order.slice(0, 5)).toEqual(["a", "b", "a", "c", "a"]);
  });

  it("a rep who pauses neither hoards nor owes turns when back; a newcomer joins the rotation at once", () => {
    const all = ["a", "b", "c"].map((repId) => ({ repId, weight: 1 }));
    // c is away for leads 31–60, d joins at lead 61.
    const { counts, order } = rotate((i) => {
      if (i <= 30) return all;
      if (i <= 60) return all.filter((r) => r.repId !== "c");
      return [...all, { repId: "d", weight: 1 }];
    }, 120);
    expect(counts).toEqual({ a: 10 + 15 + 15, b: 10 + 15 + 15, c: 10 + 15, d: 15 });
    // After the change every rep gets exactly one lead per round of four.
    for (let round = 60; round < 120; round += 4) expect(new Set(order.slice(round, round + 4)).size).toBe(4);
  });

  it("nobody eligible → null", () => {
    expect(pickNext(new Map(), [], 1)).toBeNull();
    expect(pickNext(new Map(), [{ repId: "a", weight: 0 }], 1)).toBeNull();
  });
});

const base: RepAvailability = {
  id: "r",
  active: true,
  paused: false,
  weight: 1,
  maxOpenLeads: null,
  timezone: null,
  workingHours: null,
  vacations: [],
};
// Monday 2026-11-23 15:30 UTC = 10:30 in New York, 23:30 in Singapore.
const MONDAY_1530_UTC = Date.UTC(2026, 10, 23, 15, 30);

describe("availability", () => {
  it("reads the local weekday and time in a zone", () => {
    expect(localTime(MONDAY_1530_UTC, "America/New_York")).toEqual({ day: "1", minutes: 10 * 60 + 30 });
    expect(localTime(MONDAY_1530_UTC, "Asia/Singapore")).toEqual({ day: "1", minutes: 23 * 60 + 30 });
  });

  it("working hours are checked in the rep's zone, else the workspace's", () => {
    const nineToFive = { "1": [["09:00", "17:00"]] as [string, string][] };
    expect(isWithinWorkingHours(nineToFive, MONDAY_1530_UTC, "America/New_York")).toBe(true);
    expect(isWithinWorkingHours(nineToFive, MONDAY_1530_UTC, "Asia/Singapore")).toBe(false);
    expect(
      skipReason(
        { ...base, workingHours: nineToFive, timezone: "Asia/Singapore" },
        0,
        MONDAY_1530_UTC,
        "America/New_York",
      ),
    ).toBe("off-hours");
    expect(skipReason({ ...base, workingHours: nineToFive }, 0, MONDAY_1530_UTC, "America/New_York")).toBeNull();
    expect(isWithinWorkingHours({ "2": [["00:00", "24:00"]] }, MONDAY_1530_UTC, "UTC")).toBe(false);
  });

  it("skips inactive, paused, zero-weight, on vacation, at cap, and passed reps — and says why", () => {
    const reps: RepAvailability[] = [
      { ...base, id: "ok" },
      { ...base, id: "inactive", active: false },
      { ...base, id: "paused", paused: true },
      { ...base, id: "zero", weight: 0 },
      { ...base, id: "away", vacations: [{ from: MONDAY_1530_UTC - 1, to: MONDAY_1530_UTC + 1 }] },
      { ...base, id: "back", vacations: [{ from: 0, to: MONDAY_1530_UTC }] },
      { ...base, id: "full", maxOpenLeads: 2 },
      { ...base, id: "room", maxOpenLeads: 3 },
      { ...base, id: "passer" },
    ];
    const open = new Map([
      ["full", 2],
      ["room", 2],
    ]);
    const result = eligibleReps(reps, open, MONDAY_1530_UTC, "UTC", new Set(["passer"]));
    expect(result.eligible.map((e) => e.repId)).toEqual(["ok", "back", "room"]);
    expect(result.skipped).toEqual({
      inactive: "inactive",
      paused: "paused",
      zero: "zero-weight",
      away: "on-vacation",
      full: "at-cap",
      passer: "passed",
    });
  });
});

describe("routing rules", () => {
  const lead = { source: "form", formId: "form_1", country: "BR", fields: { product: "Solar", language: "pt" } };

  it("all criteria must match; values compare case-insensitively", () => {
    expect(ruleMatches({ sources: ["form"], countries: ["br"], fields: { product: ["solar", "battery"] } }, lead)).toBe(
      true,
    );
    expect(ruleMatches({ sources: ["whatsapp"] }, lead)).toBe(false);
    expect(ruleMatches({ formIds: ["form_2"] }, lead)).toBe(false);
    expect(ruleMatches({ fields: { budget: [">10k"] } }, lead)).toBe(false);
    expect(ruleMatches({}, lead)).toBe(true);
  });

  it("first match wins, else the default pool", () => {
    const rules = [
      { match: { countries: ["US"] }, poolId: "us" },
      { match: { fields: { language: ["pt"] } }, poolId: "lusophone" },
      { match: { sources: ["form" as const] }, poolId: "web" },
    ];
    expect(routeToPool(rules, lead, "default").poolId).toBe("lusophone");
    expect(routeToPool(rules, { ...lead, source: "api", fields: {} }, "default").poolId).toBe("default");
    expect(routeToPool([], lead, null).poolId).toBeNull();
  });
});

describe("least-loaded", () => {
  it("takes the fewest open leads; ties go to the least recently assigned, whatever the weights", () => {
    const states = new Map<string, RepRotationState>([
      ["a", { repId: "a", current: -5, lastSeq: 7 }],
      ["b", { repId: "b", current: 3, lastSeq: 2 }],
    ]);
    const c = (repId: string, open: number, weight = 1) => ({ repId, open, weight });
    expect(leastLoaded(states, [c("a", 1), c("b", 2), c("c", 3)])).toEqual([c("a", 1)]);
    expect(leastLoaded(states, [c("a", 1, 5), c("b", 1)])).toEqual([c("b", 1)]);
    expect(leastLoaded(states, [c("a", 1), c("b", 1), c("c", 1)])).toEqual([c("c", 1)]); // never assigned
    expect(leastLoaded(states, [c("a", 0, 0)])).toEqual([]);
  });
});

describe("territories and OR-groups", () => {
  const lead = (fields: Record<string, string>) => ({ source: "form", formId: null, country: "US", fields });
  it("matches regions and postal-code prefixes from the form's fields, case and spaces ignored", () => {
    expect(ruleMatches({ regions: ["CA", "Texas"] }, lead({ state: "texas" }))).toBe(true);
    expect(ruleMatches({ regions: ["CA"] }, lead({ region: "NY" }))).toBe(false);
    expect(ruleMatches({ regions: ["CA"] }, lead({}))).toBe(false);
    expect(ruleMatches({ postalPrefixes: ["941", "sw1"] }, lead({ zip: "94107" }))).toBe(true);
    expect(ruleMatches({ postalPrefixes: ["SW1"] }, lead({ postcode: "sw1a 1aa" }))).toBe(true);
    expect(ruleMatches({ postalPrefixes: ["941"] }, lead({ postal_code: "10001" }))).toBe(false);
  });

  it("needs every top-level criterion and, with OR-groups, one group in full", () => {
    const match = {
      countries: ["US"],
      any: [{ regions: ["CA"] }, { postalPrefixes: ["100"], fields: { product: ["solar"] } }],
    };
    expect(ruleMatches(match, lead({ state: "CA" }))).toBe(true);
    expect(ruleMatches(match, lead({ zip: "10001", product: "Solar" }))).toBe(true);
    expect(ruleMatches(match, lead({ zip: "10001" }))).toBe(false);
    expect(ruleMatches(match, { ...lead({ state: "CA" }), country: "MX" })).toBe(false);
  });

  it("without a region field, a +1 number's area code gives the state or province, by code or by name", () => {
    expect(nanpRegion("+14155550123")).toEqual({ code: "CA", name: "California" });
    expect(nanpRegion("+14165550123")).toEqual({ code: "ON", name: "Ontario" });
    expect(nanpRegion("+15145550123")).toEqual({ code: "QC", name: "Quebec" });
    // Shared by two provinces, toll-free, or outside the plan: no region.
    expect(nanpRegion("+19025550123")).toBeNull();
    expect(nanpRegion("+18005550123")).toBeNull();
    expect(nanpRegion("+442079460321")).toBeNull();
    const sf = { ...lead({}), phone: "+14155550123" };
    expect(ruleMatches({ regions: ["ca"] }, sf)).toBe(true);
    expect(ruleMatches({ regions: ["California"] }, sf)).toBe(true);
    expect(ruleMatches({ regions: ["TX"] }, sf)).toBe(false);
    expect(ruleMatches({ regions: ["TX"] }, { ...sf, fields: { state: "tx" } })).toBe(true);
    expect(ruleMatches({ regions: ["CA"] }, { ...sf, fields: { region: "Nevada" } })).toBe(false);
    expect(ruleMatches({ regions: ["CA"] }, { ...sf, fields: { region: "  " } })).toBe(true);
  });
});
