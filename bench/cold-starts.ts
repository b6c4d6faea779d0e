/**
 * Cold starts of two or more built Workers side by side, in one run (a before/after pair shares the machine's
 * load): `node --import tsx bench/cold-starts.ts [--runs N] <dir-or-index.js> <dir-or-index.js> ...`, each a
 * `wrangler deploy --dry-run --outdir --minify` output. Prints, per bundle and first request, the medians of
 * boot + first answer minus an empty Worker's (wall, workerd CPU), each run, and the load average.
 */
import { existsSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Cleanup } from "./cleanup";
import { describeRuns, type FirstRequest, measureColdStarts, medians } from "./module-eval";

const { values, positionals } = parseArgs({
  options: { runs: { type: "string", default: "7" } },
  allowPositionals: true,
});
const bundles = positionals.map((p) => (statSync(p).isDirectory() ? join(resolve(p), "index.js") : resolve(p)));
if (bundles.length === 0 || !bundles.every(existsSync)) {
  console.error("usage: bench/cold-starts.ts [--runs N] <bundle dir or index.js>...");
  process.exit(2);
}
const runs = Math.max(1, Math.min(30, Number(values.runs)));
const firsts: FirstRequest[] = ["unknown-path", "form-post", "console-page"];
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");

const cleanup = new Cleanup();
cleanup.onSignals();
try {
  console.log(`load average at start: ${load()}`);
  const figures = await measureColdStarts(cleanup, bundles, firsts, runs, (i) => console.log(`round ${i}/${runs}`));
  for (const f of figures) {
    const m = medians(f);
    console.log(
      `${f.bundle} ${f.first}: ${m.wallMs.toFixed(0)} ms wall / ${m.cpuMs.toFixed(0)} ms CPU (${describeRuns(f)})`,
    );
  }
  console.log(`load average at end: ${load()}`);
} finally {
  await cleanup.run();
}
