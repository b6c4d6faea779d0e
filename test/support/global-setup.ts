import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../db/scripts/migrate";
import { logToStderr, startLibsqlServer } from "../../db/server";
import { startFaultProxy } from "./fault-proxy";

/** One real libSQL server (over a temp file) for the whole workers suite, migrated like production. */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "leadrelay-test-"));
  // Its log names the cause of any SQLITE_BUSY a test meets (which lock, held how long), on this lane's output.
  const server = await startLibsqlServer({
    file: join(dir, "test.db"),
    log: logToStderr,
  });
  await migrateDatabase(server.url);
  project.provide("libsqlUrl", server.url);
  // The same database behind a proxy tests can take down and bring back (storage.error tests).
  const fault = await startFaultProxy(server.url);
  project.provide("faultyLibsqlUrl", fault.url);
  project.provide("faultControlUrl", fault.controlUrl);
  return async () => {
    await fault.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
