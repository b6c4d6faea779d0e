import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client/web";
import Database from "libsql";
import { keepAliveFetch } from "./keep-alive-fetch";
import { percentile, runPool } from "./load";
import type { BenchContext, ResultRow } from "./scenario";
import { startServerProcess } from "./server-process";

const TABLE = "CREATE TABLE row_sink (id INTEGER PRIMARY KEY, name TEXT, email TEXT, n INTEGER)";
const INSERT = "INSERT INTO row_sink (name, email, n) VALUES (?, ?, ?)";

interface HttpRun {
  rate: number;
  failed: number;
  p50: number;
  serverCpuUsPerRequest: number;
  /** Requests whose lastInsertRowid was missing or another request's too. */
  wrongRowids: number;
}

async function insertOverHttp(
  ctx: BenchContext,
  url: string,
  label: string,
  serverCpuMs: () => number,
  fetch?: (input: Request) => Promise<Response>,
): Promise<HttpRun> {
  const client = createClient({ url, intMode: "number", ...(fetch ? { fetch } : {}) });
  const rowids = new Set<number>();
  let wrongRowids = 0;
  const cpuBefore = serverCpuMs();
  const run = await runPool(
    ctx.leads,
    ctx.concurrency,
    async (i) => {
      const rs = await client.execute({ sql: INSERT, args: [`${label} ${i}`, `${label}-${i}@bench.test`, i] });
      const rowid = Number(rs.lastInsertRowid);
      if (!(rowid > 0) || rowids.has(rowid)) wrongRowids++;
      rowids.add(rowid);
      return true;
    },
    (done) => ctx.progress.update(`server INSERT (${label})`, `${done}/${ctx.leads} requests`),
  );
  const cpuMs = serverCpuMs() - cpuBefore;
  client.close();
  return {
    rate: (ctx.leads - run.failed) / (run.wallMs / 1000),
    failed: run.failed,
    p50: percentile(run.latencies, 50),
    serverCpuUsPerRequest: (cpuMs * 1000) / ctx.leads,
    wrongRowids,
  };
}

/**
 * The local server against the engine under it. The server runs in its own process (as `npm run db:server`
 * and `npm start` run it beside workerd); single-row INSERT requests through @libsql/client/web at the
 * bench's concurrency, first with a kept-alive node:http fetch, then with Node's global fetch; then the
 * same number of autocommit INSERTs in-process on the same file with the server's settings (WAL,
 * synchronous=NORMAL). A fresh server and file, so nothing else counts. The server's CPU per request
 * is the figure the machine's load does not move much.
 */
export async function measureServerInsert(ctx: BenchContext): Promise<ResultRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "leadrelay-server-insert-"));
  const forgetDir = ctx.cleanup.add("server insert dir", () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "sink.db");
  const server = await startServerProcess(ctx.cleanup, file);
  await createClient({ url: server.url }).execute(TABLE);
  const fetch = keepAliveFetch(ctx.concurrency);
  const kept = await insertOverHttp(ctx, server.url, "kept-alive", server.cpuMs, fetch);
  fetch.close();
  const global = await insertOverHttp(ctx, server.url, "global fetch", server.cpuMs);
  await server.stop();

  const db = new Database(file);
  db.exec("PRAGMA synchronous = NORMAL");
  const stmt = db.prepare(INSERT);
  const t0 = performance.now();
  for (let i = 0; i < ctx.leads; i++) stmt.run([`local ${i}`, `local-${i}@bench.test`, i]);
  const localMs = performance.now() - t0;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  forgetDir();

  const localRate = ctx.leads / (localMs / 1000);
  const n = ctx.leads.toLocaleString("en");
  const outcome = (r: HttpRun) =>
    `${r.failed} failed, ${r.wrongRowids} wrong lastInsertRowid; p50 ${r.p50.toFixed(1)} ms; ` +
    `server CPU ${r.serverCpuUsPerRequest.toFixed(0)} µs/request`;
  const ratio = (kept.rate / localRate).toFixed(2);
  return [
    {
      metric: "Local libSQL server: single-row INSERT requests/s vs the engine in-process",
      value: `${kept.rate.toFixed(0)} req/s vs ${localRate.toFixed(0)} inserts/s (${ratio})`,
      how:
        `${n} INSERTs each way on one fresh file: the server in its own process, @libsql/client/web at ` +
        `concurrency ${ctx.concurrency} with a kept-alive node:http fetch (${outcome(kept)}), then libsql ` +
        "in-process, autocommit, WAL, synchronous=NORMAL",
    },
    {
      metric: "Local libSQL server through Node's global fetch",
      value: `${global.rate.toFixed(0)} req/s`,
      how:
        `${n} more INSERTs on the same server, same client library and concurrency, Node's own fetch ` +
        `(undici): ${outcome(global)}`,
    },
  ];
}
