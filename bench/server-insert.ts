import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client/web";
import Database from "libsql";
import { startLibsqlServer } from "../db/server";
import { percentile, runPool } from "./load";
import type { BenchContext, ResultRow } from "./scenario";

const TABLE = "CREATE TABLE row_sink (id INTEGER PRIMARY KEY, name TEXT, email TEXT, n INTEGER)";
const INSERT = "INSERT INTO row_sink (name, email, n) VALUES (?, ?, ?)";

/**
 * The local server against the engine under it: single-row INSERT requests through @libsql/client/web
 * at the bench's concurrency, then the same number of autocommit INSERTs in-process on the same file
 * with the server's settings (WAL, synchronous=NORMAL). A fresh server and file, so nothing else counts.
 */
export async function measureServerInsert(ctx: BenchContext): Promise<ResultRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "leadrelay-server-insert-"));
  const forgetDir = ctx.cleanup.add("server insert dir", () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "sink.db");
  const server = await startLibsqlServer({ file });
  const forgetServer = ctx.cleanup.add("server insert libSQL server", () => server.close());
  const client = createClient({ url: server.url, intMode: "number" });
  await client.execute(TABLE);
  const overHttp = await runPool(
    ctx.leads,
    ctx.concurrency,
    async (i) => {
      await client.execute({ sql: INSERT, args: [`http ${i}`, `http-${i}@bench.test`, i] });
      return true;
    },
    (done) => ctx.progress.update("server INSERT", `${done}/${ctx.leads} requests`),
  );
  client.close();
  await server.close();
  forgetServer();

  const db = new Database(file);
  db.exec("PRAGMA synchronous = NORMAL");
  const stmt = db.prepare(INSERT);
  const t0 = performance.now();
  for (let i = 0; i < ctx.leads; i++) stmt.run([`local ${i}`, `local-${i}@bench.test`, i]);
  const localMs = performance.now() - t0;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  forgetDir();

  const httpRate = (ctx.leads - overHttp.failed) / (overHttp.wallMs / 1000);
  const localRate = ctx.leads / (localMs / 1000);
  return [
    {
      metric: "Local libSQL server: single-row INSERT requests/s vs the engine in-process",
      value: `${httpRate.toFixed(0)} req/s vs ${localRate.toFixed(0)} inserts/s (${(httpRate / localRate).toFixed(2)})`,
      how:
        `${ctx.leads.toLocaleString("en")} INSERTs each way on one fresh file: @libsql/client/web over HTTP at ` +
        `concurrency ${ctx.concurrency} (${overHttp.failed} failed; p50 ` +
        `${percentile(overHttp.latencies, 50).toFixed(1)} ms), then libsql in-process, autocommit, WAL, ` +
        `synchronous=NORMAL`,
    },
  ];
}
