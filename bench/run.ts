/**
 * `npm run bench`: starts its own local stack (libSQL server on a temp file, migrations, wrangler dev on
 * free loopback ports), seeds a workspace through the API, measures, and writes bench/results.md.
 * Everything it starts is stopped at the end, on error, and on Ctrl-C.
 * Options: --leads N (default 2000), --concurrency N (default 16), --startup-runs N (default 3).
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { measureBundle } from "./bundle-size";
import { measureCapture } from "./capture-throughput";
import { Cleanup } from "./cleanup";
import { Progress } from "./progress";
import { measureRawInsert } from "./raw-insert";
import { renderConsole, renderMarkdown } from "./report";
import type { ResultRow } from "./scenario";
import { scenarios } from "./scenarios";
import { seedBenchWorkspace } from "./seed";
import { startStack } from "./stack";
import { measureStartup } from "./startup-time";

const { values: args } = parseArgs({
  options: {
    leads: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "16" },
    "startup-runs": { type: "string", default: "3" },
    out: { type: "string", default: "bench/results.md" },
  },
});
const leads = Math.max(1000, Math.min(100_000, Number(args.leads)));
const concurrency = Math.max(1, Math.min(256, Number(args.concurrency)));
const startupRuns = Math.max(1, Math.min(10, Number(args["startup-runs"])));

const cleanup = new Cleanup();
cleanup.onSignals();
const progress = new Progress();
const startedAt = new Date();

async function main() {
  const rows: ResultRow[] = [];
  const stack = await startStack(cleanup, (step) => progress.update("starting", step));
  progress.update("seeding", "workspace, form, 4 reps through the API");
  const workspace = await seedBenchWorkspace(stack.worker.url);
  const ctx = { db: stack.db, worker: stack.worker, workspace, cleanup, progress, leads, concurrency };

  const capture = await measureCapture(ctx);
  const raw = await measureRawInsert(ctx);
  const ratio = `${(capture.leadsPerSecond / raw.insertsPerSecond).toFixed(2)} (${capture.leadsPerSecond.toFixed(0)} / ${raw.insertsPerSecond.toFixed(0)})`;
  rows.push(...capture.rows, ...raw.rows, { metric: "Capture / raw INSERT", value: ratio.split(" ")[0]!, how: "same run, same server, same concurrency" });
  for (const s of scenarios.filter((p) => p.run && !p.pending)) rows.push(...(await s.run!(ctx)));
  await stack.worker.stop();

  rows.push(...(await measureStartup(cleanup, stack.db.url, startupRuns, (i) => progress.update("start-up", `run ${i}/${startupRuns}`))));
  progress.update("bundle", "wrangler deploy --dry-run --minify");
  rows.push(...(await measureBundle(cleanup)));
  progress.done();

  const pending = scenarios.filter((s) => s.pending);
  const durationS = (Date.now() - startedAt.getTime()) / 1000;
  writeFileSync(args.out, renderMarkdown({ startedAt, durationS, rows, pending, ratio }));
  console.log(`\nLeadRelay bench (${args.out})\n${renderConsole(rows, pending)}\n`);
}

main()
  .catch((err: unknown) => {
    progress.done();
    console.error(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanup.run());
