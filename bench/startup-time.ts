import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Cleanup } from "./cleanup";
import { median } from "./load";
import type { ResultRow } from "./scenario";
import { startWorker } from "./stack";

/**
 * Cold start as a developer or CI meets it: from spawning `wrangler dev` to the first `GET /health` 200
 * (bundling, workerd boot, module evaluation, one libSQL round trip). startWrangler polls every 150 ms,
 * which bounds the resolution. This is not Cloudflare's edge start-up, which the bundle size drives.
 */
export async function measureStartup(
  cleanup: Cleanup,
  libsqlUrl: string,
  runs: number,
  onRun: (i: number) => void,
): Promise<ResultRow[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    onRun(i + 1);
    const dir = mkdtempSync(join(tmpdir(), "leadrelay-startup-"));
    const t0 = performance.now();
    const worker = await startWorker(cleanup, libsqlUrl, dir);
    samples.push(performance.now() - t0);
    await worker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    {
      metric: `Start-up, spawn wrangler dev → first /health 200 (median of ${runs})`,
      value: `${median(samples).toFixed(0)} ms`,
      how:
        `runs: ${samples.map((s) => s.toFixed(0)).join(", ")} ms; includes esbuild bundling + workerd boot + ` +
        `module evaluation + SELECT 1`,
    },
  ];
}
