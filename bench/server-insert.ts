import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { createClient } from "@libsql/client/web";
import Database from "libsql";
import type { Cleanup } from "./cleanup";
import { keepAliveFetch } from "./keep-alive-fetch";
import { percentile, runPool } from "./load";
import { ownCpuMs } from "./process-cpu";
import type { BenchContext, ResultRow } from "./scenario";
import { INSERT, TABLE } from "./server-insert-sql";
import { startServerProcess } from "./server-process";
import { startWorkerdInsert } from "./workerd-insert";

/** Load processes for the run that puts the client in processes of its own. */
const CLIENT_PROCESSES = 2;

interface HttpRun {
  rate: number;
  failed: number;
  p50: number;
  serverCpuUsPerRequest: number;
  /** The client's process (this one, or workerd), when it holds nothing else. */
  clientCpuUsPerRequest?: number;
  /** Requests whose lastInsertRowid was missing or another request's too. */
  wrongRowids: number;
  /** The uncounted warm-up INSERTs before, when this client had them: their rate and client CPU. */
  cold?: { rate: number; clientCpuUsPerRequest: number };
}

/** Missing, non-positive and repeated rowids. */
function wrongOf(rowids: number[]): number {
  return rowids.filter((r) => !(r > 0)).length + (rowids.length - new Set(rowids).size);
}

/**
 * INSERTs a Node client sends before the counted ones, through the same client and fetch. A fresh process
 * runs its code in V8's baseline tiers for the first few thousand requests: over the first 2,000 of a run, the
 * client spent about 700 µs of CPU per request and the server 310, and after 3,000 the same ones 370–400 and
 * 180 (same run, load 4), so a count without them measured the JIT warming up, not the request path.
 */
export const NODE_WARM_UP = 3_000;

interface PoolRun {
  rate: number;
  failed: number;
  latencies: number[];
  wrongRowids: number;
  serverCpuMs: number;
  ownCpuMs: number;
}

/** `count` INSERTs through `client` at the bench concurrency, rows `from` on, with both processes' CPU. */
async function insertRun(
  ctx: BenchContext,
  client: ReturnType<typeof createClient>,
  label: string,
  from: number,
  count: number,
  serverCpuMs: () => number,
): Promise<PoolRun> {
  const rowids = new Set<number>();
  let wrongRowids = 0;
  const cpuBefore = serverCpuMs();
  const ownBefore = ownCpuMs();
  const run = await runPool(
    count,
    ctx.concurrency,
    async (i) => {
      const n = from + i;
      const rs = await client.execute({ sql: INSERT, args: [`${label} ${n}`, `${label}-${n}@bench.test`, n] });
      const rowid = Number(rs.lastInsertRowid);
      if (!(rowid > 0) || rowids.has(rowid)) wrongRowids++;
      rowids.add(rowid);
      return true;
    },
    (done) => ctx.progress.update(`server INSERT (${label})`, `${done}/${count} requests`),
  );
  return {
    rate: (count - run.failed) / (run.wallMs / 1000),
    failed: run.failed,
    latencies: run.latencies,
    wrongRowids,
    serverCpuMs: serverCpuMs() - cpuBefore,
    ownCpuMs: ownCpuMs() - ownBefore,
  };
}

async function insertOverHttp(
  ctx: BenchContext,
  url: string,
  label: string,
  serverCpuMs: () => number,
  fetch?: (input: Request) => Promise<Response>,
): Promise<HttpRun> {
  const client = createClient({ url, intMode: "number", ...(fetch ? { fetch } : {}) });
  const cold = await insertRun(ctx, client, `${label} warm-up`, 0, NODE_WARM_UP, serverCpuMs);
  const run = await insertRun(ctx, client, label, NODE_WARM_UP, ctx.leads, serverCpuMs);
  client.close();
  return {
    rate: run.rate,
    failed: run.failed + cold.failed,
    p50: percentile(run.latencies, 50),
    serverCpuUsPerRequest: (run.serverCpuMs * 1000) / ctx.leads,
    clientCpuUsPerRequest: (run.ownCpuMs * 1000) / ctx.leads,
    wrongRowids: run.wrongRowids + cold.wrongRowids,
    cold: { rate: cold.rate, clientCpuUsPerRequest: (cold.ownCpuMs * 1000) / NODE_WARM_UP },
  };
}

/** Inserts a Worker uses to warm up (module load, JIT, its connections) before the counted ones. */
const WORKERD_WARM_UP = 64;

/**
 * The same INSERTs from a Worker in workerd (Miniflare), @libsql/client/web over workerd's own fetch: the
 * client as the product runs it. The loop runs inside the Worker, so only workerd and the server work.
 */
async function insertFromWorkerd(ctx: BenchContext, url: string, serverCpuMs: () => number): Promise<HttpRun> {
  ctx.progress.update("server INSERT (workerd)", "starting Miniflare");
  const worker = await startWorkerdInsert(ctx.cleanup, url);
  try {
    const from = 10 * ctx.leads;
    await worker.run(from, WORKERD_WARM_UP, ctx.concurrency);
    ctx.progress.update("server INSERT (workerd)", `${ctx.leads} requests in the Worker`);
    const cpuBefore = serverCpuMs();
    const workerdBefore = worker.cpuMs();
    const t0 = performance.now();
    const run = await worker.run(from + WORKERD_WARM_UP, ctx.leads, ctx.concurrency);
    const wallMs = performance.now() - t0;
    return {
      rate: (ctx.leads - run.failed) / (wallMs / 1000),
      failed: run.failed,
      p50: percentile(run.latencies, 50),
      serverCpuUsPerRequest: ((serverCpuMs() - cpuBefore) * 1000) / ctx.leads,
      clientCpuUsPerRequest: ((worker.cpuMs() - workerdBefore) * 1000) / ctx.leads,
      wrongRowids: wrongOf(run.rowids),
    };
  } finally {
    await worker.stop();
  }
}

interface ClientProcess {
  ready: Promise<void>;
  go(): void;
  done: Promise<{ failed: number; rowids: number[]; latencies: number[] }>;
}

function startClientProcess(cleanup: Cleanup, args: string[]): ClientProcess {
  const child = spawn(process.execPath, ["--import", "tsx", resolve("bench/insert-client.ts"), ...args], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  const forget = cleanup.add("server-insert client process", () => child.kill("SIGKILL"));
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-2000);
  });
  const lines = createInterface({ input: child.stdout! });
  const exited = new Promise<never>((_, fail) =>
    child.once("exit", (code) => fail(new Error(`client process exited with ${code}: ${stderr}`))),
  );
  const ready = Promise.race([new Promise<void>((ok) => lines.once("line", () => ok())), exited]);
  const done = ready.then(() =>
    Promise.race([
      new Promise<{ failed: number; rowids: number[]; latencies: number[] }>((ok) =>
        lines.once("line", (line) => ok(JSON.parse(line))),
      ),
      exited,
    ]),
  );
  done.then(
    () => forget(),
    () => undefined,
  );
  return { ready, go: () => child.stdin!.write("go\n"), done };
}

/**
 * The same INSERTs with the client split over processes of its own (concurrency shared out), so the
 * load generator gets more than one core's share: tells whether one client process was the limit.
 */
async function insertFromProcesses(ctx: BenchContext, url: string, serverCpuMs: () => number): Promise<HttpRun> {
  const per = Math.ceil(ctx.leads / CLIENT_PROCESSES);
  const clients = Array.from({ length: CLIENT_PROCESSES }, (_, p) =>
    startClientProcess(ctx.cleanup, [
      url,
      String(p * per),
      String(Math.min(per, ctx.leads - p * per)),
      String(Math.max(1, Math.round(ctx.concurrency / CLIENT_PROCESSES))),
      `process ${p}`,
      String(Math.ceil(NODE_WARM_UP / CLIENT_PROCESSES)),
    ]),
  );
  ctx.progress.update("server INSERT (client processes)", `starting ${CLIENT_PROCESSES} processes`);
  await Promise.all(clients.map((c) => c.ready));
  const cpuBefore = serverCpuMs();
  const t0 = performance.now();
  for (const c of clients) c.go();
  const results = await Promise.all(clients.map((c) => c.done));
  const wallMs = performance.now() - t0;
  const cpuMs = serverCpuMs() - cpuBefore;
  const rowids = results.flatMap((r) => r.rowids);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  return {
    rate: (ctx.leads - failed) / (wallMs / 1000),
    failed,
    p50: percentile(
      results.flatMap((r) => r.latencies),
      50,
    ),
    serverCpuUsPerRequest: (cpuMs * 1000) / ctx.leads,
    wrongRowids: wrongOf(rowids),
  };
}

/**
 * The local server against the engine under it. The server runs in its own process (as `npm run db:server`
 * and `npm start` run it beside workerd); single-row INSERT requests through @libsql/client/web at the
 * bench's concurrency, first with a kept-alive node:net fetch, then the same from separate client
 * processes, then with Node's global fetch, then from a Worker in workerd (the product's client); then the
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
  const split = await insertFromProcesses(ctx, server.url, server.cpuMs);
  const global = await insertOverHttp(ctx, server.url, "global fetch", server.cpuMs);
  const workerd = await insertFromWorkerd(ctx, server.url, server.cpuMs);
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
  const warm = NODE_WARM_UP.toLocaleString("en");
  const coldText = (r: HttpRun) =>
    r.cold
      ? `; before them ${warm} warm-up INSERTs through the same client: ${r.cold.rate.toFixed(0)} req/s, ` +
        `client CPU ${r.cold.clientCpuUsPerRequest.toFixed(0)} µs/request`
      : "";
  const outcome = (r: HttpRun, client?: string) =>
    `${r.failed} failed, ${r.wrongRowids} wrong lastInsertRowid; p50 ${r.p50.toFixed(1)} ms; ` +
    `server CPU ${r.serverCpuUsPerRequest.toFixed(0)} µs/request` +
    (client && r.clientCpuUsPerRequest !== undefined
      ? `, ${client} CPU ${r.clientCpuUsPerRequest.toFixed(0)} µs/request`
      : "") +
    coldText(r);
  const ratio = (kept.rate / localRate).toFixed(2);
  return [
    {
      metric: "Local libSQL server: single-row INSERT requests/s vs the engine in-process",
      value: `${kept.rate.toFixed(0)} req/s vs ${localRate.toFixed(0)} inserts/s (${ratio})`,
      how:
        `${n} INSERTs each way on one fresh file: the server in its own process, @libsql/client/web at ` +
        `concurrency ${ctx.concurrency} with a kept-alive node:net fetch, counted after ${warm} warm-up INSERTs ` +
        `(${outcome(kept, "client process")}), then libsql in-process, autocommit, WAL, synchronous=NORMAL`,
    },
    {
      metric: `Local libSQL server, load from ${CLIENT_PROCESSES} client processes`,
      value: `${split.rate.toFixed(0)} req/s`,
      how:
        `${n} more INSERTs on the same server: the same client and fetch in ${CLIENT_PROCESSES} processes of ` +
        `their own, concurrency ${ctx.concurrency} in all, started together once each was up and had sent its ` +
        `share of ${warm} warm-up INSERTs: ${outcome(split)}`,
    },
    {
      metric: "Local libSQL server through Node's global fetch",
      value: `${global.rate.toFixed(0)} req/s`,
      how:
        `${n} more INSERTs on the same server, same client library and concurrency, Node's own fetch ` +
        `(undici), counted after ${warm} warm-up INSERTs: ${outcome(global, "client process")}`,
    },
    {
      metric: "Local libSQL server, client in workerd vs the engine in-process",
      value: `${workerd.rate.toFixed(0)} req/s vs ${localRate.toFixed(0)} inserts/s (${(workerd.rate / localRate).toFixed(2)})`,
      how:
        `${n} more INSERTs on the same server from a Worker in Miniflare's workerd: @libsql/client/web with ` +
        `workerd's own fetch (as the product's Worker), concurrency ${ctx.concurrency} inside the Worker, after ` +
        `${WORKERD_WARM_UP} warm-up INSERTs: ${outcome(workerd, "workerd")}`,
    },
  ];
}
