import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { migrateDatabase } from "../db/scripts/migrate";
import { type LibsqlServer, startLibsqlServer } from "../db/server";
import { startWrangler, type WranglerDev } from "../scripts/wrangler-dev";
import type { Cleanup } from "./cleanup";
import { freePort } from "./free-port";

export interface Stack {
  db: LibsqlServer;
  worker: WranglerDev;
  dir: string;
}

// Under the project (and git-ignored) so the copied config's relative paths still point at the sources.
export const OUT_DIR = resolve("bench/out");

/**
 * wrangler.toml with the public rate limits raised: the bench posts thousands of leads from one address
 * to one form, which the production limits rightly refuse. The binding's limits are deploy-time config
 * (its API takes only a key), so they are raised in a copy rather than through a var; the limiter still
 * runs on every request, so its cost stays in the figures.
 */
export function benchWranglerConfig(): string {
  const original = readFileSync("wrangler.toml", "utf8");
  const raised = original
    .replace(/^main = "(.+)"$/m, (_m, main: string) => `main = "${resolve(main)}"`)
    // [alias] targets resolve against the config's folder too.
    .replace(/^("[^"]+" = )"(\.\/[^"]+)"$/gm, (_m, key: string, path: string) => `${key}"${resolve(path)}"`)
    .replace(/simple = \{ limit = \d+, period = 60 \}/g, "simple = { limit = 1000000000, period = 60 }");
  if (!raised.includes("limit = 1000000000"))
    throw new Error("bench: no [[ratelimits]] found in wrangler.toml to raise");
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, "wrangler.bench.toml");
  // A running wrangler dev watches this file: rewriting it (truncate, then write) while the bench stack's
  // Worker runs made that one read an empty config and log "Missing entry-point". Write only on change.
  if (!existsSync(file) || readFileSync(file, "utf8") !== raised) writeFileSync(file, raised);
  return file;
}

/** libSQL server on a temp file + migrations + wrangler dev on free loopback ports; all registered for cleanup. */
export async function startStack(
  cleanup: Cleanup,
  onStep: (step: string) => void,
  vars?: Record<string, string>,
): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), "leadrelay-bench-"));
  cleanup.add("temp dir", () => rmSync(dir, { recursive: true, force: true }));
  onStep("libSQL server");
  const db = await startLibsqlServer({ file: join(dir, "bench.db") });
  cleanup.add("libSQL server", () => db.close());
  onStep("migrations");
  await migrateDatabase(db.url);
  onStep("wrangler dev");
  const worker = await startWorker(cleanup, db.url, dir, vars);
  return { db, worker, dir };
}

export async function startWorker(
  cleanup: Cleanup,
  libsqlUrl: string,
  dir: string,
  vars?: Record<string, string>,
): Promise<WranglerDev> {
  let forget: () => void = () => {};
  const worker = await startWrangler({
    port: await freePort(),
    libsqlUrl,
    dataDir: dir,
    vars,
    quiet: true,
    config: benchWranglerConfig(),
    onSpawn: (kill) => (forget = cleanup.add("wrangler dev (starting)", kill)),
  });
  forget();
  cleanup.add("wrangler dev", () => worker.stop());
  return worker;
}
