import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { offlineWranglerEnv } from "../scripts/wrangler-env";
import type { Cleanup } from "./cleanup";
import { describeRuns, FIRST_REQUESTS, type FirstRequest, measureColdStarts, medians } from "./module-eval";
import type { ResultRow } from "./scenario";

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const COLD_START_RUNS = 5;

/** What `wrangler deploy` would upload: `--dry-run --outdir --minify`, offline; JS modules only (no source maps). */
export async function measureBundle(cleanup: Cleanup): Promise<ResultRow[]> {
  const out = mkdtempSync(join(tmpdir(), "leadrelay-bundle-"));
  const forgetDir = cleanup.add("bundle dir", () => rmSync(out, { recursive: true, force: true }));
  const child = spawn(resolve("node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", out, "--minify"], {
    env: offlineWranglerEnv(),
    stdio: ["ignore", "ignore", "pipe"],
  });
  const forgetChild = cleanup.add("wrangler deploy --dry-run", () => child.kill("SIGINT"));
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => child.once("exit", r));
  forgetChild();
  if (code !== 0) throw new Error(`wrangler deploy --dry-run failed (${code}): ${stderr.slice(-500)}`);
  const files = readdirSync(out).filter((f) => /\.(m?js|wasm)$/.test(f));
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const bytes = readFileSync(join(out, f));
    raw += statSync(join(out, f)).size;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  const firsts: FirstRequest[] = ["unknown-path", "form-post", "console-page"];
  const coldStarts = await measureColdStarts(cleanup, [join(out, "index.js")], firsts, COLD_START_RUNS);
  rmSync(out, { recursive: true, force: true });
  forgetDir();
  return [
    {
      metric: "Worker bundle (minified)",
      value: `${kib(raw)} raw / ${kib(gzip)} gzip`,
      how: `wrangler deploy --dry-run --outdir --minify (${files.join(", ")}); gzip -9 computed here`,
    },
    ...coldStarts.map((f) => {
      const m = medians(f);
      return {
        metric: `Worker cold start in workerd, first request ${f.first} (median of ${COLD_START_RUNS}), wall / workerd CPU`,
        value: `${m.wallMs.toFixed(0)} ms / ${m.cpuMs.toFixed(0)} ms`,
        how:
          `Miniflare boot + first answer to ${FIRST_REQUESTS[f.first]}, minified bundle, minus the same for an ` +
          `empty Worker with the same bindings booted right before it; ${describeRuns(f)} (workerd, 10 ms ticks)`,
      };
    }),
  ];
}
