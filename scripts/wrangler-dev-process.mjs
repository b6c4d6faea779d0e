/**
 * `wrangler dev` for the local stack, through wrangler's own dev server API (`unstable_startWorker`, what the
 * `wrangler dev` command runs) with one difference: no DevTools inspector. Spawned by scripts/wrangler-dev.ts
 * with its options (`WranglerDevOptions` there) as one JSON argument; SIGINT or SIGTERM stops it and its workerd
 * processes, and so does the end of its stdin (the parent's end of that pipe closes when the parent exits, even
 * killed). Plain JavaScript so that Node loads it without tsx, whose loader cost wrangler's start-up seconds of CPU
 * more.
 *
 * Why not the command: `wrangler dev` always starts its inspector proxy, which enables the Network domain on the
 * Worker's isolate and, for every event it then gets (four per subrequest: libSQL, Telegram, WhatsApp), makes
 * one HTTP request from its proxy workerd to this node process to log it at debug level, whether or not a
 * DevTools client is attached; a failed one logs its failure the same way. A fast queue drain opened thousands
 * of connections to this process until workerd ran out of file descriptors (bench/README.md, "wrangler dev's
 * inspector"). The command has no flag to leave it out; the API has `dev.inspector: false`. The Worker's console
 * output still reaches the terminal (workerd's structured logs).
 */

import { createRequire } from "node:module";

// Loaded as CommonJS, as the wrangler command loads it: an ESM import of its bundle (over 10 MB) first scans the
// whole text for its export names, which measured about a second of CPU more here.
const { unstable_startWorker } = createRequire(import.meta.url)("wrangler");

const opts = JSON.parse(process.argv[2] ?? "{}");
const worker = await unstable_startWorker({
  config: opts.config,
  bindings: Object.fromEntries(Object.entries(opts.vars).map(([name, value]) => [name, { type: "plain_text", value }])),
  dev: {
    inspector: false,
    server: { hostname: "127.0.0.1", port: opts.port },
    persist: opts.persistTo,
    logLevel: opts.logLevel,
  },
});
await worker.ready;

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await worker.dispose();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
// Our parent holds the other end of stdin: when it is gone, so are we.
process.stdin.on("end", () => void stop());
process.stdin.on("close", () => void stop());
process.stdin.resume();
