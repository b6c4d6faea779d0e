import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { migrateDatabase } from "../db/scripts/migrate";
import { startLibsqlServer } from "../db/server";
import type { Cleanup } from "./cleanup";
import { freePort } from "./free-port";
import { median } from "./load";
import { reapedChildrenCpuMs } from "./process-cpu";
import { seedBenchWorkspace } from "./seed";
import { benchWranglerConfig } from "./stack";

// The smallest Worker there is, with the same bindings as the product (its two Durable Object classes, queues,
// rate limiters): what workerd costs with nothing to parse or evaluate.
const EMPTY_WORKER =
  "export class Rotation {}\nexport class SlaTimer {}\nexport default { fetch() { return new Response('ok'); } };";

/** What a cold start is asked first. */
export type FirstRequest = "unknown-path" | "form-post" | "console-page";

export const FIRST_REQUESTS: Record<FirstRequest, string> = {
  "unknown-path": "an unknown path (the router's 404; no libSQL)",
  "form-post": "a form POST capturing a new lead (libSQL, rate limiter, rotation Durable Object)",
  "console-page": "the console's sign-in page (GET /app/login)",
};

let contacts = 0;
// URL and init, not a Request: Miniflare's dispatchFetch takes undici's own Request class, not Node's global one.
type FirstFetch = [url: string, init?: { method: string; headers: Record<string, string>; body: string }];
function firstRequest(kind: FirstRequest, formKey: string): FirstFetch {
  if (kind === "form-post") {
    const n = ++contacts;
    const headers = { "content-type": "application/json", "cf-connecting-ip": "203.0.113.9" };
    const body = JSON.stringify({ name: `Cold start ${n}`, email: `cold-${n}-${Date.now()}@example.com` });
    return [`http://localhost/f/${formKey}`, { method: "POST", headers, body }];
  }
  return [kind === "console-page" ? "http://localhost/app/login" : "http://localhost/__no_such_route"];
}

interface Boot {
  wallMs: number;
  /** CPU of the workerd process, counted once it has exited and been reaped; NaN without /proc. */
  cpuMs: number;
}

type Source = { script: string } | { scriptPath: string; modulesRoot: string };

/** The product's bindings (wrangler.toml, limits raised as for the bench) with this libSQL server. */
function productOptions(libsqlUrl: string) {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(benchWranglerConfig());
  return {
    ...workerOptions,
    bindings: { ...workerOptions.bindings, LIBSQL_URL: libsqlUrl, SESSION_SECRET: "s".repeat(40) },
    modules: true,
  };
}

/** A fresh workerd for `source`, timed from Miniflare's construction to the first answer being read. */
async function bootAndAnswer(
  options: object,
  source: Source,
  request: FirstFetch = ["http://localhost/"],
): Promise<Boot & { status: number }> {
  const cpu0 = reapedChildrenCpuMs();
  const t0 = performance.now();
  const mf = new Miniflare({ ...options, ...source } as ConstructorParameters<typeof Miniflare>[0]);
  let status: number;
  try {
    const res = await mf.dispatchFetch(...request);
    await res.arrayBuffer();
    status = res.status;
  } finally {
    await mf.dispose();
  }
  return { wallMs: performance.now() - t0, cpuMs: reapedChildrenCpuMs() - cpu0, status };
}

const EXPECTED: Record<FirstRequest, number> = { "unknown-path": 404, "form-post": 200, "console-page": 200 };

export interface StartupFigures {
  bundle: string;
  first: FirstRequest;
  /** Boot + first answer of the bundle minus the same for the empty Worker of the same round, ms. */
  wallMs: number[];
  cpuMs: number[];
}

/**
 * Cold starts of built Workers in workerd: for each bundle and each first request, boot + first answer minus
 * the same for an empty Worker with the same bindings, booted right before it, so machine load hits both alike.
 * Bundles and requests alternate within each round (a before/after pair measured in one run shares the
 * machine's state). Bounded by `runs`. A local libSQL server (migrated, one workspace with a form and four reps
 * seeded through the first bundle) answers the form POSTs, so a captured lead costs what it costs in the bench.
 */
export async function measureColdStarts(
  cleanup: Cleanup,
  bundles: string[],
  firsts: FirstRequest[],
  runs: number,
  onRun: (i: number) => void = () => {},
): Promise<StartupFigures[]> {
  const [seedBundle] = bundles;
  if (!seedBundle) throw new Error("measureColdStarts: no bundle");
  const dir = mkdtempSync(join(tmpdir(), "leadrelay-boot-"));
  const forgetDir = cleanup.add("cold start dir", () => rmSync(dir, { recursive: true, force: true }));
  const db = await startLibsqlServer({ file: join(dir, "boot.db") });
  const forgetDb = cleanup.add("cold start libSQL server", () => db.close());
  try {
    await migrateDatabase(db.url);
    const options = productOptions(db.url);
    const source = (bundle: string): Source => ({ scriptPath: bundle, modulesRoot: dirname(bundle) });
    const seeder = new Miniflare({
      ...options,
      ...source(seedBundle),
      host: "127.0.0.1",
      port: await freePort(),
    } as ConstructorParameters<typeof Miniflare>[0]);
    const forgetSeeder = cleanup.add("cold start seeder", () => seeder.dispose());
    const { formKey } = await seedBenchWorkspace((await seeder.ready).origin);
    await seeder.dispose();
    forgetSeeder();

    const figures = bundles.flatMap((bundle) => firsts.map((first) => ({ bundle, first, wallMs: [], cpuMs: [] })));
    const at = (bundle: string, first: FirstRequest) =>
      figures.find((f) => f.bundle === bundle && f.first === first) as StartupFigures;
    for (let i = 0; i < runs; i++) {
      onRun(i + 1);
      for (const first of firsts) {
        // Odd rounds take the bundles in reverse, so neither is always the one measured right after the other.
        for (const bundle of i % 2 === 0 ? bundles : [...bundles].reverse()) {
          const empty = await bootAndAnswer(options, { script: EMPTY_WORKER });
          const full = await bootAndAnswer(options, source(bundle), firstRequest(first, formKey));
          if (full.status !== EXPECTED[first])
            throw new Error(`cold start (${first}) of ${bundle}: answered ${full.status}, not ${EXPECTED[first]}`);
          at(bundle, first).wallMs.push(full.wallMs - empty.wallMs);
          at(bundle, first).cpuMs.push(full.cpuMs - empty.cpuMs);
        }
      }
    }
    return figures;
  } finally {
    await db.close();
    forgetDb();
    rmSync(dir, { recursive: true, force: true });
    forgetDir();
  }
}

export const describeRuns = (f: StartupFigures) =>
  `runs: ${f.wallMs.map((s) => s.toFixed(0)).join(", ")} ms wall, ${f.cpuMs.map((s) => s.toFixed(0)).join(", ")} ms CPU`;

export const medians = (f: StartupFigures) => ({ wallMs: median(f.wallMs), cpuMs: median(f.cpuMs) });
