import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const root = new URL("../..", import.meta.url).pathname;
const TIMES = new URL("../file-times.json", import.meta.url);
/** What a file costs besides its tests (its modules fetched, its hooks): added to every file's time. */
const PER_FILE_S = 0.5;

/**
 * `--shard=k/n` by time instead of vitest's hash of each path, from the times a full `npm test` took per file
 * (test/file-times.json, `npm run test:times`). The hash split had put 305 s of tests in one half and 215 s in
 * the other.
 */
export class BalancedShards extends BaseSequencer {
  override async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { index, count } = this.ctx.config.shard ?? { index: 1, count: 1 };
    const byPath = new Map(files.map((spec) => [relative(root, spec.moduleId), spec]));
    return splitByTime([...byPath.keys()], fileTimes(), count)[index - 1]?.map((path) => byPath.get(path)!) ?? [];
  }
}

/**
 * The files in `count` shards of about equal time: longest first, each to the shard with the least time so far
 * (ties to the lower shard, then by path, so every lane computes the same split and each file runs in exactly one).
 * A file without a time counts as the median of the known ones.
 */
export function splitByTime(paths: string[], times: Record<string, number>, count: number): string[][] {
  const known = Object.values(times).sort((a, b) => a - b);
  const median = known[Math.floor(known.length / 2)] ?? 1;
  const files = paths
    .map((path) => ({ path, seconds: (times[path] ?? median) + PER_FILE_S }))
    .sort((a, b) => b.seconds - a.seconds || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const shards = Array.from({ length: count }, () => ({ seconds: 0, paths: [] as string[] }));
  for (const file of files) {
    const lightest = shards.reduce((min, s) => (s.seconds < min.seconds ? s : min));
    lightest.seconds += file.seconds;
    lightest.paths.push(file.path);
  }
  return shards.map((s) => s.paths);
}

/** Seconds per test file (path from the project root); empty when the file is missing or unreadable. */
export function fileTimes(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(TIMES, "utf8")) as Record<string, number>;
  } catch {
    return {};
  }
}
