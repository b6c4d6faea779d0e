import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { expect, it, onTestFinished } from "vitest";

const CLI = new URL("../../db/server/cli.ts", import.meta.url).pathname;

it("runs from the command line, creates the data directory, and stops cleanly on SIGINT", async () => {
  const dir = mkdtempSync(join(tmpdir(), "leadrelay-libsql-cli-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "nested", "data", "cli.db");

  const child = spawn(process.execPath, ["--import", "tsx", CLI, "--file", file, "--port", "0"], {
    env: { ...process.env, LIBSQL_AUTH_TOKEN: "cli-token" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(out.split("\n")[0]!);
    });
    exited.then(() => reject(new Error(`cli exited early: ${stderr}`)));
  });
  const match = /^libsql server listening on (http:\/\/127\.0\.0\.1:\d+) \(file (.+)\)$/.exec(line);
  expect(match, line).not.toBeNull();
  expect(match![2]).toBe(file);
  expect(existsSync(file)).toBe(true);

  const db = createClient({ url: match![1]!, authToken: "cli-token" });
  await db.execute("CREATE TABLE t (x)");
  const tx = await db.transaction("write");
  await tx.execute("INSERT INTO t VALUES (1)");
  await expect(createClient({ url: match![1]! }).execute("SELECT 1")).rejects.toThrow(/UNAUTHORIZED/);

  child.kill("SIGINT");
  expect(await exited).toBe(0);
  db.close();

  // Shutdown checkpointed the WAL into the database file, and the open transaction was rolled back.
  expect(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0).toBe(0);
  const local = createClient({ url: `file:${file}` });
  expect((await local.execute("SELECT count(*) AS n FROM t")).rows[0]!.n).toBe(0);
  local.close();
});
