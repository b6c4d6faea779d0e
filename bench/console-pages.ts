import { createClient } from "@libsql/client";
import type { BenchContext, ResultRow } from "./scenario";

const LEADS = 10_000;
const RUNS = 10;
const STATUSES = ["new", "contacted", "qualified", "won", "lost", "unqualified", "spam"];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * 10,000 leads over the last 30 days, straight into libSQL (the pages read them; how they got there does not matter).
 */
async function seedLeads(ctx: BenchContext) {
  const db = createClient({ url: ctx.db.url });
  const now = Date.now();
  for (let start = 0; start < LEADS; start += 500) {
    const batch = [];
    for (let i = start; i < Math.min(LEADS, start + 500); i++) {
      const created = now - Math.floor((i / LEADS) * 30 * 86_400_000);
      const owner = i % 9 === 0 ? null : ctx.workspace.repIds[i % ctx.workspace.repIds.length]!;
      batch.push({
        sql: `INSERT INTO lead (id, workspace_id, source, status, name, email, fields, owner_rep_id, score, hot,
                assigned_at,
                first_response_at, last_inbound_at, created_at, updated_at)
              VALUES (?, ?, 'form', ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?, ?, ?)`,
        args: [
          `lead_console_${i}`,
          ctx.workspace.id,
          STATUSES[i % STATUSES.length]!,
          `Bench lead ${i}`,
          `console-${i}@bench.test`,
          owner,
          (i % 10) + 1,
          i % 10 >= 7 ? 1 : 0,
          owner ? created + 40 : null,
          i % 3 === 0 ? null : created + 600_000,
          created,
          created,
          created,
        ],
      });
    }
    await db.batch(batch, "write");
  }
  db.close();
}

async function signIn(ctx: BenchContext): Promise<string> {
  const res = await fetch(`${ctx.worker.url}/app/login`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: ctx.worker.url },
    body: new URLSearchParams({ apiKey: ctx.workspace.key }),
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`bench console sign-in: ${res.status}`);
  return cookie;
}

/**
 * Server time of the console's busiest pages for a workspace of 10,000 leads: the lead list (first page with
 * the total), the board (seven columns) and the overview (30 days). Median of 10 loopback GETs after a warm-up.
 */
export async function measureConsolePages(ctx: BenchContext): Promise<ResultRow[]> {
  ctx.progress.update("Console pages", `seeding ${LEADS} leads`);
  await seedLeads(ctx);
  const cookie = await signIn(ctx);
  const rows: ResultRow[] = [];
  for (const [name, path] of [
    ["list", "/app/leads"],
    ["board", "/app/board"],
    ["overview", "/app?days=30"],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const t0 = performance.now();
      const res = await fetch(`${ctx.worker.url}${path}`, { headers: { cookie } });
      await res.text();
      if (res.status !== 200) throw new Error(`bench console ${path}: ${res.status}`);
      if (i > 0) times.push(performance.now() - t0);
    }
    rows.push({
      metric: `Console ${name} page, ${LEADS.toLocaleString("en")} leads (median)`,
      value: `${Math.round(median(times))} ms`,
      how: `GET ${path}, ${RUNS} runs after a warm-up, wrangler dev + local libSQL on loopback; goal < 300 ms`,
    });
  }
  return rows;
}
