import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient } from "@libsql/client/web";
import { migrateDatabase } from "../db/scripts/migrate";
import { startLibsqlServer } from "../db/server";
import { median } from "./load";
import type { BenchContext, ResultRow } from "./scenario";
import { startWorker } from "./stack";

const DUE = 1000;
const CHUNK = 10_000;
const MAX_TICKS = 20;
const WS = "ws_cronbench";

/**
 * Seeds in SQL, not through the API: 100,000 captures would take half an hour here. Each chunk is one
 * INSERT … SELECT over a recursive counter, so rows are made inside the server. Every lead has a
 * Telegram auto-reply in the outbox: sent (history) for the older ones, pending and due a minute ago
 * for the newest DUE. Shape as in bench/cron-tick.ts, without sequences (the figure is the outbox).
 */
async function seed(client: Client, leads: number, onProgress: (done: number) => void): Promise<void> {
  const now = Date.now();
  await client.batch([
    {
      sql: `INSERT INTO workspace (id, name, default_country, timezone, created_at, updated_at)
        VALUES (?, 'Cron bench', 'US', 'UTC', ?, ?)`,
      args: [WS, now, now],
    },
    {
      sql: `INSERT INTO channel (id, workspace_id, kind, config, created_at)
        VALUES ('chan_cronbench', ?, 'telegram', ?, ?)`,
      args: [WS, JSON.stringify({ token: "1:cron" }), now],
    },
  ]);
  for (let from = 0; from < leads; from += CHUNK) {
    const to = Math.min(leads, from + CHUNK) - 1;
    const counter = `WITH RECURSIVE n(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM n WHERE i < ${to})`;
    const args = { ws: WS, now, leads };
    await client.batch(
      [
        {
          sql: `INSERT INTO lead (id, workspace_id, source, status, name, telegram_user_id, fields, last_inbound_at,
              created_at, updated_at)
              ${counter} SELECT printf('lead_%07d', i), :ws, 'telegram', 'new', 'Lead '
                || i, CAST(100000000 + i AS TEXT), '{}',
                :now - (:leads - i) * 1000, :now - (:leads - i) * 1000, :now - (:leads - i) * 1000 FROM n`,
          args,
        },
        {
          sql: `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload,
              idempotency_key, state, attempts, due_at, sent_at, created_at, updated_at)
              ${counter} SELECT printf('obx_%07d', i), :ws, printf('lead_%07d', i), 'auto_reply', 'telegram',
                'chan_cronbench',
                CAST(100000000 + i AS TEXT), '{"text":"Hi {name}"}', printf('auto:lead_%07d', i),
                CASE WHEN i >= :firstDue THEN 'pending' ELSE 'sent' END, CASE WHEN i >= :firstDue THEN 0 ELSE 1 END,
                CASE WHEN i >= :firstDue THEN :now - 60000 ELSE :now - (:leads - i) * 1000 END,
                CASE WHEN i >= :firstDue THEN NULL ELSE :now - (:leads - i) * 1000 END,
                :now - (:leads - i) * 1000, :now - (:leads - i) * 1000 FROM n`,
          args: { ...args, firstDue: leads - DUE },
        },
      ],
      "write",
    );
    onProgress(to + 1);
  }
}

/**
 * Cron ticks through the real Worker: per size a fresh libSQL server and wrangler dev (so "among N leads"
 * holds exactly), seeded, then GET /cdn-cgi/handler/scheduled (it answers once the handler finished)
 * until no outbox row is pending. The sends go to the fake Bot API.
 */
export async function measureCronTick(ctx: BenchContext): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for (const leads of ctx.cronLeads) {
    const label = `cron tick ${leads.toLocaleString("en")} leads`;
    const dir = mkdtempSync(join(tmpdir(), "leadrelay-bench-cron-"));
    const forgetDir = ctx.cleanup.add("cron temp dir", () => rmSync(dir, { recursive: true, force: true }));
    ctx.progress.update(label, "libSQL server, migrations, wrangler dev");
    const db = await startLibsqlServer({ file: join(dir, "cron.db") });
    const forgetDb = ctx.cleanup.add("cron libSQL server", () => db.close());
    await migrateDatabase(db.url);
    const client = createClient({ url: db.url, intMode: "number" });
    const seedStart = performance.now();
    await seed(client, leads, (done) => ctx.progress.update(label, `seeding ${done}/${leads} leads + outbox rows`));
    const seedMs = performance.now() - seedStart;
    const worker = await startWorker(ctx.cleanup, db.url, dir, ctx.vars);

    let sends = 0;
    const stop = ctx.fake.listen((call) => {
      if (call.path === "/bot1:cron/sendMessage") sends++;
    });
    // A tick or wrangler's start-up can outlast the server's keep-alive (5 s): a reused socket may be gone.
    const query = async (sql: string) => {
      for (let i = 0; ; i++) {
        try {
          return await client.execute(sql);
        } catch (err) {
          if (i >= 2) throw err;
        }
      }
    };
    const pending = async () =>
      Number((await query(`SELECT count(*) AS n FROM outbox WHERE state = 'pending'`)).rows[0]?.n);
    const ticks: number[] = [];
    try {
      while (ticks.length < MAX_TICKS && (await pending()) > 0) {
        ctx.progress.update(label, `tick ${ticks.length + 1}, ${sends}/${DUE} sent`);
        const start = performance.now();
        const res = await fetch(`${worker.url}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*`);
        const body = await res.text();
        ticks.push(performance.now() - start);
        if (!res.ok) throw new Error(`bench: scheduled tick answered ${res.status} ${body.slice(0, 200)}`);
      }
      const states = await query(
        `SELECT state, count(*) AS n FROM outbox WHERE id >= printf('obx_%07d', ${leads - DUE}) GROUP BY state`,
      );
      const left = states.rows.map((r) => `${r.state} ${r.n}`).join(", ");
      rows.push({
        metric:
          `Cron tick, ${DUE.toLocaleString("en")} due outbox rows among ${leads.toLocaleString("en")} leads: ` +
          `first tick / median`,
        value: `${Math.round(ticks[0] ?? NaN)} ms / ${Math.round(median(ticks))} ms`,
        how:
          `GET /cdn-cgi/handler/scheduled on wrangler dev (all cron jobs) until none pending: ${ticks.length} ticks ` +
          `(${ticks.map((t) => Math.round(t)).join(", ")} ms); ${sends} sendMessage calls at the fake Bot API; the ` +
          `due rows now: ${left}; ` +
          `fresh database with ${leads.toLocaleString("en")} leads and as many outbox rows seeded in SQL in ` +
          `${Math.round(seedMs)} ms`,
      });
    } finally {
      stop();
      client.close();
      await worker.stop();
      forgetDb();
      await db.close();
      forgetDir();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
