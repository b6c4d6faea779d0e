/**
 * `npm start`: the whole product locally, no account, no network.
 * libSQL server (file under the data dir) → migrations → `wrangler dev` → idempotent demo workspace,
 * then a cron tick every minute (wrangler dev does not fire cron triggers by itself). Ctrl-C stops all.
 * Worker settings such as TELEGRAM_API_ROOT or EMAIL_API_URL come from the environment (scripts/worker-vars.ts)
 * or from `.dev.vars`.
 */

import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { migrateDatabase } from "../db/scripts/migrate";
import { logToStderr, startLibsqlServer } from "../db/server";
import { ensureDemoWorkspace } from "./demo-seed";
import { workerVarsFromEnv } from "./worker-vars";
import { startWrangler } from "./wrangler-dev";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "8787" },
    "db-port": { type: "string", default: process.env.LIBSQL_PORT ?? "8080" },
    "data-dir": { type: "string", default: process.env.DATA_DIR ?? ".data" },
  },
});

const started = performance.now();
const dataDir = resolve(args["data-dir"]);
mkdirSync(dataDir, { recursive: true });
const step = (msg: string) => console.log(`[start] ${msg}`);

const db = await startLibsqlServer({
  file: resolve(dataDir, "leadrelay.db"),
  port: Number(args["db-port"]),
  log: logToStderr,
});
step(`libSQL server on ${db.url} (file ${resolve(dataDir, "leadrelay.db")})`);
await migrateDatabase(db.url);
step("migrations applied");

const vars = workerVarsFromEnv(process.env);
const passed = Object.keys(vars);
if (passed.length > 0) step(`from the environment: ${passed.join(", ")}`);
const worker = await startWrangler({ port: Number(args.port), libsqlUrl: db.url, dataDir, vars });
step(`worker ready on ${worker.url}`);
const demo = await ensureDemoWorkspace(worker.url, dataDir);

const readySeconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`
LeadRelay is running (ready in ${readySeconds} s)

  Worker        ${worker.url}
  API docs      ${worker.url}/api/openapi.json
  Demo API key  ${demo.apiKey}
  Demo form     ${demo.formKey}   (POST ${worker.url}/f/${demo.formKey})
  Dashboard     ${worker.url}/app   (sign in with the demo API key)
  Embed snippet <script src="${worker.url}/embed.js" data-form="${demo.formKey}" async></script>

Try it:
  curl -s -X POST ${worker.url}/f/${demo.formKey} -H 'content-type: application/json' \\
    -d '{"name":"Ada Lovelace","email":"ada@example.com","phone":"+1 415 555 0101","message":"Hi!"}'
  curl -s ${worker.url}/api/v1/leads -H 'authorization: Bearer ${demo.apiKey}'

Ctrl-C stops everything.`);

// wrangler dev does not run cron triggers on a schedule: tick the scheduled handler ourselves.
const cron = setInterval(() => {
  fetch(`${worker.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("* * * * *")}`).catch((err: unknown) =>
    step(`cron tick failed: ${String(err)}`),
  );
}, 60_000);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  step(`${signal}: stopping`);
  clearInterval(cron);
  await worker.stop();
  await db.close();
  step("stopped");
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
worker.exited.then((code) => {
  if (!stopping) {
    console.error(`[start] wrangler exited unexpectedly (code ${code})`);
    void db.close().then(() => process.exit(1));
  }
});
