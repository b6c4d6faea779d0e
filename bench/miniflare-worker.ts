import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { localSessionSecret } from "../scripts/session-secret";
import { offlineWranglerEnv } from "../scripts/wrangler-env";
import type { Cleanup } from "./cleanup";
import { freePort } from "./free-port";
import { processTreeCpu } from "./process-cpu";
import { benchWranglerConfig } from "./stack";

/** A Worker the bench posts to: its URL and the workerd process (for the CPU split), and how to stop it. */
export interface ServedWorker {
  url: string;
  /** The root of the processes that serve it (wrangler dev's node, or Miniflare's one workerd). */
  pid: number;
  stop(): Promise<void>;
}

/** `wrangler deploy --dry-run --outdir`: the Worker exactly as it would be uploaded (not minified, like dev). */
async function buildBundle(config: string, outdir: string): Promise<string> {
  const child = spawn(
    resolve("node_modules/.bin/wrangler"),
    ["deploy", "--dry-run", "--outdir", outdir, "--config", config],
    { env: offlineWranglerEnv(), stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => child.once("exit", r));
  if (code !== 0) throw new Error(`wrangler deploy --dry-run failed (${code}): ${stderr.slice(-500)}`);
  return join(outdir, "index.js");
}

const workerdChildren = () =>
  new Set([...processTreeCpu(process.pid)].filter(([, p]) => p.name === "workerd").map(([pid]) => pid));

/**
 * The same Worker without `wrangler dev`: the deploy bundle served by Miniflare, which runs one workerd with
 * the bindings wrangler derives from the same config (Durable Objects, queues, rate limiters, vars). wrangler
 * dev puts a proxy of its own in front (a second workerd and its node process, which logs every request);
 * production has neither, so this is the closer picture of what a capture costs the Worker itself.
 */
export async function startMiniflareWorker(
  cleanup: Cleanup,
  libsqlUrl: string,
  dataDir: string,
  vars: Record<string, string> = {},
  /** Opens workerd's inspector here (a CPU profile of the Worker); off in the bench runs. */
  inspectorPort?: number,
): Promise<ServedWorker> {
  const config = benchWranglerConfig();
  const outdir = mkdtempSync(join(tmpdir(), "leadrelay-mf-"));
  const forgetDir = cleanup.add("Miniflare bundle dir", () => rmSync(outdir, { recursive: true, force: true }));
  const scriptPath = await buildBundle(config, outdir);
  const { workerOptions } = unstable_getMiniflareWorkerOptions(config);
  const port = await freePort();
  const before = workerdChildren();
  const mf = new Miniflare({
    ...workerOptions,
    bindings: {
      ...workerOptions.bindings,
      LIBSQL_URL: libsqlUrl,
      ...localSessionSecret(dataDir, vars),
      ...vars,
    },
    modules: true,
    modulesRoot: outdir,
    scriptPath,
    host: "127.0.0.1",
    port,
    durableObjectsPersist: join(dataDir, "miniflare-do"),
    ...(inspectorPort ? { inspectorPort } : {}),
  } as ConstructorParameters<typeof Miniflare>[0]);
  const forgetMf = cleanup.add("Miniflare", () => mf.dispose());
  const url = (await mf.ready).origin;
  const pid = [...workerdChildren()].find((p) => !before.has(p)) ?? -1;
  return {
    url,
    pid,
    async stop() {
      await mf.dispose();
      forgetMf();
      rmSync(outdir, { recursive: true, force: true });
      forgetDir();
    },
  };
}
