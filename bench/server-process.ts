import { spawn } from "node:child_process";
import { resolve } from "node:path";
import type { Cleanup } from "./cleanup";
import { freePort } from "./free-port";
import { processCpuMs } from "./process-cpu";

export interface ServerProcess {
  url: string;
  /** CPU time (user + system) the server process has used so far, in ms; NaN where /proc is missing. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/**
 * The local libSQL server in its own process, as `npm run db:server` runs it, so that the bench's load
 * (its HTTP client) and the server do not share one event loop; the Worker reaches it the same way.
 */
export async function startServerProcess(cleanup: Cleanup, file: string): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", resolve("db/server/cli.ts"), "--file", file, "--port", String(port)],
    // stderr is kept, not shown: the bench draws one progress line, and tsx's esbuild child prints a Go
    // stack trace when its parent exits under it. It is shown only if the server fails to start.
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-2000);
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const forget = cleanup.add("libSQL server process", () => child.kill("SIGKILL"));
  await new Promise<void>((ready, fail) => {
    let seen = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      seen += chunk.toString("utf8");
      if (seen.includes("listening on")) ready();
    });
    child.once("exit", (code) => fail(new Error(`libSQL server exited with ${code} before listening: ${stderr}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    cpuMs: () => processCpuMs(child.pid!),
    async stop() {
      child.kill("SIGTERM");
      await exited;
      forget();
    },
  };
}
