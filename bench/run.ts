/**
 * `npm run bench`: starts its own local stack (libSQL server on a temp file, migrations, wrangler dev on
 * free loopback ports), seeds a workspace through the API, measures, and writes bench/results.md.
 * Everything it starts is stopped at the end, on error, and on Ctrl-C.
 * Options: --leads N (default 2000), --concurrency N (default 16), --startup-runs N (default 3),
 * --cron-leads N,M (default 1000,100000: lead counts of the cron tick runs),
 * --only id,id (measure just these: capture, startup, bundle or a scenario id of bench/scenarios.ts; the
 * table then goes to bench/out/results.partial.md unless --out says otherwise, so results.md stays whole).
 */
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { type RecordedCall, startFakeApis } from "../test/support/fake-apis";
import { measureBundle } from "./bundle-size";
import { measureCapture } from "./capture-throughput";
import { Cleanup } from "./cleanup";
import { cpuSplit, cpuSplitRow } from "./cpu-split";
import { startMiniflareWorker } from "./miniflare-worker";
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
    "cron-leads": { type: "string", default: "1000,100000" },
    only: { type: "string" },
    out: { type: "string" },
  },
});
const known = ["capture", "startup", "bundle", ...scenarios.map((s) => s.id)];
const only = args.only ? new Set(args.only.split(",").map((id) => id.trim())) : undefined;
for (const id of only ?? []) {
  if (!known.includes(id)) {
    console.error(`[bench] --only: unknown "${id}"; one of ${known.join(", ")}`);
    process.exit(2);
  }
}
const wanted = (id: string) => !only || only.has(id);
const out = args.out ?? (only ? "bench/out/results.partial.md" : "bench/results.md");
const leads = Math.max(1000, Math.min(100_000, Number(args.leads)));
const concurrency = Math.max(1, Math.min(256, Number(args.concurrency)));
const startupRuns = Math.max(1, Math.min(10, Number(args["startup-runs"])));
const cronLeads = args["cron-leads"].split(",").map((n) => Math.max(1000, Math.min(100_000, Number(n))));

const cleanup = new Cleanup();
cleanup.onSignals();
const progress = new Progress();
const startedAt = new Date();
const loadAtStart = loadavg();

async function main() {
  const rows: ResultRow[] = [];
  // Every Worker the bench starts sends Telegram and WhatsApp messages here (loopback), never to the real APIs.
  const listeners = new Set<(call: RecordedCall) => void>();
  const fakeApis = await startFakeApis({
    onCall: (call) => {
      for (const fn of listeners) fn(call);
    },
  });
  cleanup.add("fake Bot API", () => fakeApis.close());
  const listen = (fn: (call: RecordedCall) => void) => {
    listeners.add(fn);
    return () => void listeners.delete(fn);
  };
  const fake = { url: fakeApis.url, listen };
  const vars = { TELEGRAM_API_ROOT: fake.url, WHATSAPP_GRAPH_URL: `${fake.url}/graph` };
  const stack = await startStack(cleanup, (step) => progress.update("starting", step), vars);
  progress.update("seeding", "workspace, form, 4 reps through the API");
  const workspace = await seedBenchWorkspace(stack.worker.url);
  const ctx = {
    db: stack.db,
    worker: stack.worker,
    workspace,
    cleanup,
    progress,
    fake,
    vars,
    cronLeads,
    leads,
    concurrency,
  };

  let ratio: string | undefined;
  let directRatio: string | undefined;
  if (wanted("capture")) {
    const split = cpuSplit(stack.worker.pid);
    const capture = await measureCapture(ctx);
    const captureCpu = split.take();
    // The raw run's warm-up is not counted, nor is its CPU.
    const raw = await measureRawInsert(ctx, () => split.take());
    const rawCpu = split.take();
    ratio =
      `${(capture.leadsPerSecond / raw.insertsPerSecond).toFixed(2)} (${capture.leadsPerSecond.toFixed(0)} / ` +
      `${raw.insertsPerSecond.toFixed(0)})`;
    rows.push(
      ...capture.rows,
      ...raw.rows,
      {
        metric: "Capture / raw INSERT",
        value: ratio.split(" ")[0]!,
        how: "same run, same server, same concurrency",
      },
      cpuSplitRow(captureCpu, rawCpu, ctx.leads),
    );
    // The same product code and bindings without wrangler dev's proxy (a second workerd and its node process):
    // the deploy bundle served by Miniflare, against the same libSQL server, into a workspace of its own.
    progress.update("capture", "Miniflare: wrangler deploy --dry-run, then the bundle in workerd");
    const served = "Worker served by Miniflare (no wrangler dev proxy)";
    const mf = await startMiniflareWorker(cleanup, stack.db.url, stack.dir, vars);
    const mfSplit = cpuSplit(mf.pid);
    const direct = await measureCapture(ctx, { url: mf.url, workspace: await seedBenchWorkspace(mf.url), served });
    const directCpu = mfSplit.take();
    await mf.stop();
    directRatio = `${(direct.leadsPerSecond / raw.insertsPerSecond).toFixed(2)} (${direct.leadsPerSecond.toFixed(0)} / ${raw.insertsPerSecond.toFixed(0)})`;
    rows.push(
      ...direct.rows,
      {
        metric: `Capture / raw INSERT, ${served}`,
        value: directRatio.split(" ")[0]!,
        how:
          `${direct.leadsPerSecond.toFixed(0)} / ${raw.insertsPerSecond.toFixed(0)}: the raw INSERT run above, ` +
          "same server and concurrency, same bench run",
      },
      cpuSplitRow(directCpu, rawCpu, ctx.leads, served),
    );
  }
  for (const s of scenarios.filter((p) => p.run && !p.pending && wanted(p.id))) rows.push(...(await s.run!(ctx)));
  await stack.worker.stop();

  if (wanted("startup")) {
    rows.push(
      ...(await measureStartup(cleanup, stack.db.url, startupRuns, (i) =>
        progress.update("start-up", `run ${i}/${startupRuns}`),
      )),
    );
  }
  if (wanted("bundle")) {
    progress.update("bundle", "wrangler deploy --dry-run --minify");
    rows.push(...(await measureBundle(cleanup)));
  }
  progress.done();

  const pending = scenarios.filter((s) => s.pending);
  const durationS = (Date.now() - startedAt.getTime()) / 1000;
  const load = { start: loadAtStart, end: loadavg() };
  writeFileSync(out, renderMarkdown({ startedAt, durationS, rows, pending, ratio, directRatio, load }));
  console.log(`\nLeadRelay bench (${out})\n${renderConsole(rows, pending)}\n`);
}

main()
  .catch((err: unknown) => {
    progress.done();
    console.error(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanup.run());
