import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "../../bench/free-port";
import { startLibsqlServer } from "../../db/server";
import { startWrangler } from "../../scripts/wrangler-dev";

// Each /health is one libSQL subrequest from the Worker. wrangler dev's DevTools inspector proxy turned every
// subrequest into four Network events, each one an HTTP request from its proxy workerd to wrangler's node that
// wrangler logs as "[InspectorProxyWorker] RUNTIME INCOMING MESSAGE"; a queue drain of 3,000 leads opened
// connections for them until workerd ran out of descriptors (bench/README.md, "wrangler dev's inspector").
const HEALTH_CHECKS = 50;

describe("wrangler dev as npm start and the bench start it", () => {
  it("makes no request to wrangler's own process per subrequest (no DevTools inspector proxy)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leadrelay-wrangler-dev-"));
    const logs = join(dir, "logs");
    // wrangler writes its debug log (every request from its proxy workerd included) here, whatever the log level.
    const before = process.env.WRANGLER_LOG_PATH;
    process.env.WRANGLER_LOG_PATH = logs;
    const db = await startLibsqlServer({ file: join(dir, "test.db") });
    try {
      const worker = await startWrangler({ port: await freePort(), libsqlUrl: db.url, dataDir: dir, quiet: true });
      try {
        for (let i = 0; i < HEALTH_CHECKS; i++) expect((await fetch(`${worker.url}/health`)).status).toBe(200);
      } finally {
        await worker.stop();
      }
      const log = readdirSync(logs)
        .map((f) => readFileSync(join(logs, f), "utf8"))
        .join("");
      // The log is this wrangler dev's: it names the Worker's bindings as it starts.
      expect(log).toContain("env.LIBSQL_URL");
      // Each "[InspectorProxyWorker]" entry is one request its proxy workerd made to wrangler's node.
      expect(log.split("[InspectorProxyWorker]").length - 1).toBe(0);
    } finally {
      if (before === undefined) delete process.env.WRANGLER_LOG_PATH;
      else process.env.WRANGLER_LOG_PATH = before;
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
