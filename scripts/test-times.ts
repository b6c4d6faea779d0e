/**
 * `npm run test:times`: after a full `npm test`, writes each test file's time (seconds, from the lanes' JSON reports
 * in .cache/test-times/) to test/file-times.json, which `--shard` splits the workerd files by
 * (test/support/balanced-shards.ts). Run it after adding or growing a slow test file, and commit the result.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

/** Where scripts/test.ts has each lane write its report. */
const DIR = ".cache/test-times";
const OUT = "test/file-times.json";

interface JsonReport {
  testResults: { name: string; startTime: number; endTime: number }[];
}

let reports: string[] = [];
try {
  reports = readdirSync(DIR).filter((f) => f.endsWith(".json"));
} catch {}
if (reports.length === 0) {
  console.error(`test:times: no reports in ${DIR}; run a full \`npm test\` first`);
  process.exit(1);
}
const times: Record<string, number> = {};
for (const file of reports) {
  const report = JSON.parse(readFileSync(join(DIR, file), "utf8")) as JsonReport;
  for (const r of report.testResults)
    times[relative(process.cwd(), r.name)] = Math.round((r.endTime - r.startTime) / 100) / 10;
}
const sorted = Object.fromEntries(Object.entries(times).sort(([a], [b]) => (a < b ? -1 : 1)));
writeFileSync(OUT, `${JSON.stringify(sorted, null, 2)}\n`);
const total = Object.values(times).reduce((a, b) => a + b, 0);
console.log(
  `test:times: ${Object.keys(times).length} files, ${total.toFixed(0)} s in all, from ${reports.join(", ")} → ${OUT}`,
);
