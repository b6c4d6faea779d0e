import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { migrateDatabase } from "../db/scripts/migrate";
import { startLibsqlServer } from "../db/server";
import { type RecordedCall, startFakeApis } from "../test/support/fake-apis";
import { Cleanup } from "./cleanup";
import { freePort } from "./free-port";
import { startMiniflareWorker } from "./miniflare-worker";
import { Progress } from "./progress";
import type { BenchContext } from "./scenario";
import { seedBenchWorkspace } from "./seed";
import { measureSpeedToLeadWhatsapp } from "./speed-to-lead-whatsapp";

/**
 * Where the Worker's isolate spends a WhatsApp lead's CPU: the speed-to-lead-whatsapp scenario against the deploy
 * bundle in Miniflare (no wrangler dev proxy) with workerd's inspector open, sampling the isolate (the Worker and
 * its Durable Objects) over the whole scenario. Prints the scenario's rows and the functions with the most self
 * time; writes the profile (open it in Chrome DevTools) to the path given.
 *   node --import tsx bench/whatsapp-profile.ts /tmp/whatsapp.cpuprofile
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

async function inspect(port: number) {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    id: string;
    title: string;
    webSocketDebuggerUrl: string;
  }[];
  const target = targets.find((t) => t.title.includes("core:user:")) ?? targets.at(-1)!;
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  let next = 0;
  const pending = new Map<number, (result: unknown) => void>();
  ws.on("message", (data) => {
    const msg = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  });
  const send = (method: string, params: object = {}) =>
    new Promise<any>((resolve) => {
      const id = ++next;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return { title: target.title, send, close: () => ws.close() };
}

/** Self samples per function (name + file:line), most first, as a share of all samples. */
function selfTimes(profile: Profile, top: number): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map<string, number>();
  for (const id of profile.samples) {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const total = profile.samples.length;
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, n]) => `${((100 * n) / total).toFixed(1).padStart(5)} %  ${key}`);
}

async function main() {
  const out = process.argv[2] ?? join(tmpdir(), "whatsapp.cpuprofile");
  const cleanup = new Cleanup();
  cleanup.onSignals();
  const progress = new Progress();
  try {
    const listeners = new Set<(call: RecordedCall) => void>();
    const fakeApis = await startFakeApis({
      onCall: (call) => {
        for (const fn of listeners) fn(call);
      },
    });
    cleanup.add("fake APIs", () => fakeApis.close());
    const vars = { TELEGRAM_API_ROOT: fakeApis.url, WHATSAPP_GRAPH_URL: `${fakeApis.url}/graph` };
    const dir = mkdtempSync(join(tmpdir(), "leadrelay-profile-"));
    cleanup.add("temp dir", () => rmSync(dir, { recursive: true, force: true }));
    const db = await startLibsqlServer({ file: join(dir, "bench.db") });
    cleanup.add("libSQL server", () => db.close());
    await migrateDatabase(db.url);
    const inspectorPort = await freePort();
    const worker = await startMiniflareWorker(cleanup, db.url, dir, vars, inspectorPort);
    const inspector = await inspect(inspectorPort);
    await inspector.send("Profiler.enable");
    await inspector.send("Profiler.setSamplingInterval", { interval: 200 });
    await inspector.send("Profiler.start");
    const ctx = {
      db,
      worker: { ...worker, port: 0, stop: worker.stop },
      workspace: await seedBenchWorkspace(worker.url),
      cleanup,
      progress,
      fake: {
        url: fakeApis.url,
        listen: (fn: (call: RecordedCall) => void) => {
          listeners.add(fn);
          return () => void listeners.delete(fn);
        },
      },
      vars,
      cronLeads: [],
      leads: 1000,
      concurrency: 16,
    } as unknown as BenchContext;
    const rows = await measureSpeedToLeadWhatsapp(ctx);
    const { profile } = (await inspector.send("Profiler.stop")) as { profile: Profile };
    inspector.close();
    writeFileSync(out, JSON.stringify(profile));
    progress.done();
    for (const r of rows) console.log(`${r.metric}: ${r.value}\n  ${r.how}`);
    console.log(`\n${inspector.title}: ${profile.samples.length} samples, ${out}`);
    console.log(selfTimes(profile, 45).join("\n"));
  } finally {
    await cleanup.run();
  }
}

await main();
