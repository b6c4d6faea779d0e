import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startLibsqlServer } from "../../db/server";
import { migrateDatabase } from "../../db/scripts/migrate";

/** One real libSQL server (over a temp file) for the whole workers suite, migrated like production. */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "leadrelay-test-"));
  const server = await startLibsqlServer({ file: join(dir, "test.db") });
  await migrateDatabase(server.url);
  project.provide("libsqlUrl", server.url);
  return async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
