/**
 * Measures (does not test) a cron tick with 1,000 due rows among few vs many leads:
 *   npx tsx bench/cron-tick.ts [--leads 1000,100000] [--due 1000]
 * For each size: a fresh local libSQL server over a temp file, migrated; N leads, each with a sent
 * auto-reply in the outbox history and a finished sequence enrolment, except `due` leads that have a
 * pending outbox row and an active enrolment whose next step is due. Then it times the claim query
 * alone, and real ticks (runCron: all jobs, Telegram sends to a local fake) until nothing is due.
 * Figures depend on the machine and on whatever else runs on it; compare sizes within one run.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "libsql";
import { migrateDatabase } from "../db/scripts/migrate";
import { startLibsqlServer } from "../db/server";
import { startFakeApis } from "../test/support/fake-apis";
import { parseConfig } from "../workers/config";
import { runCron } from "../workers/cron/run-cron";
import { openDatabase } from "../workers/db";
import { claimDue } from "../workers/outbox/claim";

const { values } = parseArgs({
  options: { leads: { type: "string", default: "1000,100000" }, due: { type: "string", default: "1000" } },
});
const sizes = values.leads.split(",").map(Number);
const due = Number(values.due);
const T0 = Date.UTC(2026, 5, 10, 12, 0, 0); // noon UTC: outside quiet hours, digest hour passed

function seed(file: string, leads: number) {
  const db = new Database(file);
  db.exec("PRAGMA journal_mode = WAL");
  const ws = "ws_bench";
  db.prepare(
    `INSERT INTO workspace (id, name, default_country, timezone, created_at, updated_at)
      VALUES (?, 'Bench', 'US', 'UTC', ?, ?)`,
  ).run(ws, T0, T0);
  db.prepare(
    `INSERT INTO channel (id, workspace_id, kind, config, created_at) VALUES ('chan_bench', ?, 'telegram', ?, ?)`,
  ).run(ws, JSON.stringify({ token: "1:bench" }), T0);
  db.prepare(
    `INSERT INTO sequence (id, workspace_id, name, active, quiet_start, quiet_end, created_at, updated_at)
      VALUES ('seq_bench', ?, 'Bench', 1, NULL, NULL, ?, ?)`,
  ).run(ws, T0, T0);
  const step = db.prepare(
    `INSERT INTO sequence_step (id, sequence_id, workspace_id, position, delay_minutes, sender, text, created_at,
      updated_at) VALUES (?, 'seq_bench', ?, ?, ?, 'telegram', ?, ?, ?)`,
  );
  step.run("step_1", ws, 1, 0, "Hi {name}", T0, T0);
  step.run("step_2", ws, 2, 1440, "Still there, {name}?", T0, T0);
  const lead = db.prepare(
    `INSERT INTO lead (id, workspace_id, source, status, name, telegram_user_id, fields, last_inbound_at, created_at,
      updated_at) VALUES (?, ?, 'telegram', 'new', ?, ?, '{}', ?, ?, ?)`,
  );
  const out = db.prepare(
    `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload, idempotency_key,
      state, attempts, due_at, sent_at, created_at, updated_at)
        VALUES (?, ?, ?, 'auto_reply', 'telegram', 'chan_bench', ?, '{"text":"Hi {name}"}', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const enr = db.prepare(
    `INSERT INTO sequence_enrollment (id, workspace_id, sequence_id, lead_id, next_position, next_due_at, state,
      enrolled_at, updated_at) VALUES (?, ?, 'seq_bench', ?, ?, ?, ?, ?, ?)`,
  );
  db.exec("BEGIN");
  for (let i = 0; i < leads; i++) {
    const id = `lead_${String(i).padStart(7, "0")}`;
    const isDue = i >= leads - due;
    const created = T0 - (leads - i) * 1000;
    lead.run(id, ws, `Lead ${i}`, String(100_000_000 + i), created, created, created);
    // History: a sent auto-reply for every older lead; the `due` newest have theirs still pending.
    if (isDue)
      out.run(
        `obx_${i}`,
        ws,
        id,
        String(100_000_000 + i),
        `auto:${id}`,
        "pending",
        0,
        T0 - 60_000,
        null,
        created,
        created,
      );
    else
      out.run(`obx_${i}`, ws, id, String(100_000_000 + i), `auto:${id}`, "sent", 1, created, created, created, created);
    if (isDue) enr.run(`enr_${i}`, ws, id, 1, T0 - 30_000, "active", created, created);
    else enr.run(`enr_${i}`, ws, id, 3, null, "done", created, created);
  }
  db.exec("COMMIT");
  const plan = (sql: string) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(" | ");
  const plans = {
    claim: plan(
      `SELECT id FROM outbox WHERE state = 'pending' AND due_at <= 1 AND (lease_until IS NULL OR lease_until <= 1)
        ORDER BY due_at LIMIT 50`,
    ),
    enrollments: plan(
      `SELECT id FROM sequence_enrollment WHERE state = 'active' AND next_due_at <= 1 ORDER BY next_due_at LIMIT 100`,
    ),
  };
  db.close();
  return plans;
}

const ms = (start: number) => Math.round((performance.now() - start) * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// runCron logs one line per busy tick; keep the output to the figures.
const print = console.log.bind(console);
console.log = () => {};

const fake = await startFakeApis();
const usedPorts = new Set<number>();
for (const leads of sizes) {
  const dir = mkdtempSync(join(tmpdir(), "leadrelay-bench-"));
  const file = join(dir, "bench.db");
  // Node's fetch keeps idle sockets per origin: a new server on a port used before would meet a stale
  // socket (ECONNRESET), so every size gets a port of its own.
  let server = await startLibsqlServer({ file });
  while (usedPorts.has(server.port)) {
    const again = await startLibsqlServer({ file });
    await server.close();
    server = again;
  }
  usedPorts.add(server.port);
  await migrateDatabase(server.url);
  const seedStart = performance.now();
  const plans = seed(file, leads);
  const seedMs = ms(seedStart);

  const parsed = parseConfig({ LIBSQL_URL: server.url, TELEGRAM_API_ROOT: fake.url });
  if (!parsed.ok) throw new Error(parsed.issues.join());
  const config = parsed.config;
  // No SLA deadlines are seeded, so the SLA sweep never asks the rotation for a rep.
  const rotation = { pick: () => Promise.reject(new Error("no rotation in the bench")) };
  const ctx = { config, database: openDatabase(config), now: () => T0, rotation };

  // Seeding 100,000 rows takes longer than the server's keep-alive timeout (5 s): the first request may
  // meet a socket the server just closed (ECONNRESET). Warm up, with retries, before timing anything.
  for (let i = 0; ; i++) {
    try {
      await ctx.database.client.execute("SELECT 1");
      break;
    } catch (err) {
      if (i >= 3) throw err;
    }
  }

  // The claim query alone (50 rows), repeated; the lease is released after each run.
  const claimTimes: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    const rows = await claimDue(ctx, ["telegram"], 50);
    claimTimes.push(ms(start));
    await ctx.database.client.execute({
      sql: `UPDATE outbox SET lease_until = NULL, attempts = 0 WHERE id IN (SELECT value FROM json_each(?))`,
      args: [JSON.stringify(rows.map((r) => r.id))],
    });
  }

  // Real ticks, one simulated minute apart, until nothing is due.
  const tickTimes: number[] = [];
  let now = T0;
  for (let i = 0; i < 40; i++) {
    const start = performance.now();
    const results = (await runCron(config, now, rotation)) as Record<string, Record<string, number>>;
    tickTimes.push(ms(start));
    now += 60_000;
    if (!results["send-due-outbox"]?.claimed && !results["schedule-sequence-steps"]?.due) break;
  }
  const left = await ctx.database.client.execute(`SELECT state, count(*) AS n FROM outbox GROUP BY state`);
  print(
    JSON.stringify({
      leads,
      due,
      seedMs,
      claim50MedianMs: median(claimTimes),
      ticks: tickTimes.length,
      tickMs: {
        first: tickTimes[0],
        median: median(tickTimes),
        max: Math.max(...tickTimes),
        total: Math.round(tickTimes.reduce((a, b) => a + b, 0)),
      },
      outboxStates: Object.fromEntries(left.rows.map((r) => [r.state, Number(r.n)])),
      plans,
    }),
  );
  ctx.database.client.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
await fake.close();
