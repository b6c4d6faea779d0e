import { createClient } from "@libsql/client/web";
import type { StatsSnapshot } from "../db/server/stats";
import { keepAlivePoster } from "./keep-alive-post";
import { percentile, runPool } from "./load";
import type { BenchContext, ResultRow } from "./scenario";
import type { BenchWorkspace } from "./seed";

const serverStats = async (url: string) => (await (await fetch(`${url}/_stats`)).json()) as StatsSnapshot;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/** Where the capture run posts: the Worker's URL, the workspace it seeded, and what serves it (for the rows). */
export interface CaptureTarget {
  url: string;
  workspace: BenchWorkspace;
  /** "" for wrangler dev (the rows as they always were), else a suffix naming what serves the Worker. */
  served: string;
}

/** Form POSTs through wrangler dev (or Miniflare) → Worker → local libSQL, at a fixed concurrency. */
export async function measureCapture(
  ctx: BenchContext,
  target: CaptureTarget = { url: ctx.worker.url, workspace: ctx.workspace, served: "" },
): Promise<{ rows: ResultRow[]; leadsPerSecond: number }> {
  const url = new URL(`${target.url}/f/${target.workspace.formKey}`);
  // node:http rather than Node's fetch: the load client shares the 2 cores with what it measures (keep-alive-post.ts).
  const client = keepAlivePoster(ctx.concurrency);
  // No compression: workerd gzips even this 80-byte answer when asked, and un-gzipping it cost the bench
  // process (which also holds the libSQL server) about 0.5 ms per POST in a profile, more than the answer
  // is worth and a cost the raw INSERT client, whose answers come uncompressed, does not pay.
  const headers = { "content-type": "application/json", origin: "https://bench.test", "accept-encoding": "identity" };
  const post = async (tag: string, i: number) => {
    const body = JSON.stringify({
      name: `Lead ${tag}${i}`,
      email: `lead-${tag}${i}@bench.test`,
      message: "Benchmark lead",
    });
    return (await client.post(url, headers, body)).status === 200;
  };
  // Warm-up: the isolate, its form cache and the server's connection pool; not counted.
  await runPool(64, ctx.concurrency, (i) => post("warm", i));
  const before = await serverStats(ctx.db.url);

  const { latencies, failed, wallMs } = await runPool(
    ctx.leads,
    ctx.concurrency,
    (i) => post("", i),
    (done, bad) => ctx.progress.update("capture", `${done}/${ctx.leads} leads${bad ? `, ${bad} failed` : ""}`),
  );
  const after = await serverStats(ctx.db.url);
  client.close();
  const db = createClient({ url: ctx.db.url, intMode: "number" });
  const stored = Number(
    (
      await db.execute({
        sql: "SELECT count(*) AS n FROM lead WHERE workspace_id = ? AND name NOT LIKE 'Lead warm%'",
        args: [target.workspace.id],
      })
    ).rows[0]?.n,
  );
  db.close();

  const leadsPerSecond = (ctx.leads - failed) / (wallMs / 1000);
  const perLead = (after.pipelineRequests - before.pipelineRequests) / ctx.leads;
  const statementsPerLead = (after.statements - before.statements) / ctx.leads;
  const how =
    `${ctx.leads.toLocaleString("en")} form POSTs (JSON, new contact each), concurrency ` +
    `${ctx.concurrency}, ${target.served ? "Miniflare (the deploy bundle, no wrangler dev proxy)" : "wrangler dev"} ` +
    "→ local libSQL, node:http client with kept-alive sockets, answers uncompressed (accept-encoding: identity)";
  const named = (metric: string) => (target.served ? `${metric}, ${target.served}` : metric);
  return {
    leadsPerSecond,
    rows: [
      {
        metric: named("Capture throughput"),
        value: `${leadsPerSecond.toFixed(0)} leads/s`,
        how: `${how}; ${failed} failed, ${stored} leads stored`,
      },
      {
        metric: named("Capture latency p50 / p90 / p99"),
        value:
          `${fmt(percentile(latencies, 50))} / ${fmt(percentile(latencies, 90))} / ` +
          `${fmt(percentile(latencies, 99))}`,
        how: "client-side, per POST, same run",
      },
      {
        metric: named("libSQL pipeline requests per captured lead"),
        value: perLead.toFixed(2),
        how: "GET /_stats on the local server before and after the run (form settings cached in the isolate)",
      },
      {
        metric: named("libSQL statements per captured lead"),
        value: statementsPerLead.toFixed(1),
        how:
          "same counters; every statement the server executed for the run, BEGIN and COMMIT included, over the " +
          "leads (a raw INSERT is 1)",
      },
    ],
  };
}
