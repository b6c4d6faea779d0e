import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { localSessionSecret } from "./session-secret";
import { offlineWranglerEnv } from "./wrangler-env";

/** What scripts/wrangler-dev-process.mjs reads from its one argument (JSON). */
export interface WranglerDevOptions {
  config: string;
  port: number;
  persistTo: string;
  logLevel: "error" | "warn";
  vars: Record<string, string>;
}

export interface WranglerDev {
  url: string;
  pid: number;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts `wrangler dev` (without its DevTools inspector: scripts/wrangler-dev-process.mjs) offline against the
 * given libSQL URL and resolves when /health answers.
 */
export async function startWrangler(opts: {
  port: number;
  libsqlUrl: string;
  dataDir: string;
  vars?: Record<string, string>;
  quiet?: boolean;
  /** Another wrangler config (the bench raises the rate limits in a copy); default ./wrangler.toml. */
  config?: string;
  /** Called with the child's kill switch as soon as it is spawned, so a caller can stop it mid-start-up. */
  onSpawn?: (kill: () => void) => void;
}): Promise<WranglerDev> {
  const url = `http://127.0.0.1:${opts.port}`;
  const vars = { LIBSQL_URL: opts.libsqlUrl, ...localSessionSecret(opts.dataDir, opts.vars), ...opts.vars };
  const options: WranglerDevOptions = {
    config: resolve(opts.config ?? "wrangler.toml"),
    port: opts.port,
    persistTo: resolve(opts.dataDir, "wrangler"),
    logLevel: opts.quiet ? "error" : "warn",
    vars,
  };
  // wrangler dev through its API, without the DevTools inspector (see the child's file for why). WRANGLER_LOG
  // is the level of wrangler's own logger, which the command's --log-level set.
  const child = spawn(process.execPath, [resolve("scripts/wrangler-dev-process.mjs"), JSON.stringify(options)], {
    env: { ...offlineWranglerEnv(), WRANGLER_LOG: options.logLevel },
    // A pipe the child only watches: it closes when this process ends, however it ends (a killed test run's
    // global teardown never runs), and the child then stops its workerd instead of outliving us.
    stdio: ["pipe", opts.quiet ? "ignore" : "inherit", "inherit"],
  });
  opts.onSpawn?.(() => child.kill("SIGINT"));
  const exited = new Promise<number | null>((res) => child.once("exit", (code) => res(code)));
  let dead = false;
  void exited.then(() => (dead = true));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (dead) throw new Error("wrangler dev exited before it was ready (is the port free?)");
    if (Date.now() > deadline) {
      child.kill("SIGINT");
      throw new Error(`wrangler dev did not answer on ${url} within 60 s`);
    }
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }

  return {
    url,
    pid: child.pid ?? -1,
    exited,
    async stop() {
      if (dead) return;
      // SIGINT to the wrangler process: it disposes of the dev server, which stops its workerd children.
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
