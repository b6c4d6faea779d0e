import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { offlineWranglerEnv } from "../scripts/wrangler-env";
import type { Cleanup } from "./cleanup";
import { measureModuleEvaluation } from "./module-eval";
import type { ResultRow } from "./scenario";

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

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
  const evaluation = await measureModuleEvaluation(join(out, "index.js"), 5);
  rmSync(out, { recursive: true, force: true });
  forgetDir();
  return [
    {
      metric: "Worker bundle (minified)",
      value: `${kib(raw)} raw / ${kib(gzip)} gzip`,
      how: `wrangler deploy --dry-run --outdir --minify (${files.join(", ")}); gzip -9 computed here`,
    },
    {
      metric: "Worker start-up in workerd: module parse + evaluation (median of 5)",
      value: `${evaluation.medianMs.toFixed(0)} ms`,
      how:
        `Miniflare boot + first answer (unknown path, no libSQL) of the minified bundle minus the same for an ` +
        `empty Worker, alternated; runs: ${evaluation.samples.map((s) => s.toFixed(0)).join(", ")} ms`,
    },
  ];
}
