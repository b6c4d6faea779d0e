import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fileTimes, splitByTime } from "../support/balanced-shards";

const times = { "a.test.ts": 100, "b.test.ts": 60, "c.test.ts": 50, "d.test.ts": 10, "e.test.ts": 1 };

describe("splitting test files into shards by time", () => {
  it("puts every file in exactly one shard, the slowest first into the lightest", () => {
    const [one, two] = splitByTime(Object.keys(times), times, 2);
    // 100.5 | 60.5, then 50.5 to the second (111), 10.5 to the first (111), the tie's 1.5 to the first.
    expect(one).toEqual(["a.test.ts", "d.test.ts", "e.test.ts"]);
    expect(two).toEqual(["b.test.ts", "c.test.ts"]);
  });

  it("gives the same split whatever order the files come in", () => {
    const paths = Object.keys(times);
    expect(splitByTime([...paths].reverse(), times, 3)).toEqual(splitByTime(paths, times, 3));
  });

  it("counts a file without a time as the median of the known ones", () => {
    const recorded = { "x.test.ts": 9, "y.test.ts": 5, "z.test.ts": 1 };
    const [one, two] = splitByTime(["new.test.ts", ...Object.keys(recorded)], recorded, 2);
    // new counts 5 like y: 9.5 | 5.5 + 5.5, then z to the first.
    expect(one).toEqual(["x.test.ts", "z.test.ts"]);
    expect(two).toEqual(["new.test.ts", "y.test.ts"]);
  });

  it("splits this repository's workerd files into halves within one file's time of each other", () => {
    const recorded = fileTimes();
    const paths = ["test/workers", "test/workers-queue"].flatMap((dir) =>
      readdirSync(dir)
        .filter((f) => f.endsWith(".test.ts"))
        .map((f) => `${dir}/${f}`),
    );
    const halves = splitByTime(paths, recorded, 2);
    expect(halves.flat().sort()).toEqual([...paths].sort());
    const seconds = halves.map((h) => h.reduce((sum, p) => sum + (recorded[p] ?? 0), 0));
    const longest = Math.max(...paths.map((p) => recorded[p] ?? 0));
    expect(Math.abs((seconds[0] ?? 0) - (seconds[1] ?? 0))).toBeLessThanOrEqual(longest);
  });
});
