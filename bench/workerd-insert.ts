import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import type { Cleanup } from "./cleanup";
import { processTreeCpu } from "./process-cpu";
import type { WorkerdRun } from "./workerd-insert-worker";

export interface WorkerdInsert {
  /** Runs `count` INSERTs from `from` on with `concurrency` in flight, inside the Worker. */
  run(from: number, count: number, concurrency: number): Promise<WorkerdRun>;
  /** CPU time (ms) the Worker's workerd process has used so far; NaN without /proc. */
  cpuMs(): number;
  stop(): Promise<void>;
}

const workerdPids = () =>
  new Set([...processTreeCpu(process.pid)].filter(([, p]) => p.name === "workerd").map(([pid]) => pid));

/**
 * A Worker in Miniflare's workerd whose only job is INSERTs through @libsql/client/web and workerd's fetch: the
 * client the product really runs, against the same local server as the node rows. Bundled here with esbuild
 * for workerd (the `workerd`/`worker`/`browser` export conditions, as wrangler resolves them).
 */
export async function startWorkerdInsert(cleanup: Cleanup, dbUrl: string): Promise<WorkerdInsert> {
  const outdir = mkdtempSync(join(tmpdir(), "leadrelay-workerd-insert-"));
  const forgetDir = cleanup.add("workerd insert bundle dir", () => rmSync(outdir, { recursive: true, force: true }));
  const scriptPath = join(outdir, "worker.js");
  await build({
    entryPoints: [resolve("bench/workerd-insert-worker.ts")],
    outfile: scriptPath,
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    logLevel: "silent",
  });
  const before = workerdPids();
  const mf = new Miniflare({ modules: true, modulesRoot: outdir, scriptPath, compatibilityDate: "2026-04-26" });
  const forgetMf = cleanup.add("workerd insert Miniflare", () => mf.dispose());
  await mf.ready;
  const pid = [...workerdPids()].find((p) => !before.has(p));
  return {
    async run(from, count, concurrency) {
      const query = new URLSearchParams({
        db: dbUrl,
        from: String(from),
        count: String(count),
        concurrency: String(concurrency),
      });
      const res = await mf.dispatchFetch(`http://bench.local/?${query}`, { method: "POST" });
      if (!res.ok) throw new Error(`workerd insert Worker answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as WorkerdRun;
    },
    cpuMs: () => (pid === undefined ? Number.NaN : (processTreeCpu(pid).get(pid)?.cpuMs ?? Number.NaN)),
    async stop() {
      await mf.dispose();
      forgetMf();
      rmSync(outdir, { recursive: true, force: true });
      forgetDir();
    },
  };
}
