import { createClient } from "@libsql/client/web";
import { percentile, runPool } from "./load";
import type { BenchContext, ResultRow } from "./scenario";

/**
 * The floor under capture: one INSERT of a lead row per call, straight to the same libSQL server with
 * the same client library the Worker uses (@libsql/client/web over HTTP), at the same concurrency.
 */
export async function measureRawInsert(ctx: BenchContext): Promise<{ rows: ResultRow[]; insertsPerSecond: number }> {
  const client = createClient({ url: ctx.db.url, intMode: "number" });
  const now = Date.now();
  const insert = async (i: number) => {
    await client.execute({
      sql: `INSERT INTO lead (id, workspace_id, source, status, name, email, fields, last_inbound_at, created_at,
            updated_at)
            VALUES (?, ?, 'api', 'new', ?, ?, '{}', ?, ?, ?)`,
      args: [
        `lead_raw${String(i).padStart(8, "0")}`,
        ctx.workspace.id,
        `Raw ${i}`,
        `raw-${i}@bench.test`,
        now,
        now,
        now,
      ],
    });
    return true;
  };
  const { latencies, failed, wallMs } = await runPool(ctx.leads, ctx.concurrency, insert, (done) =>
    ctx.progress.update("raw INSERT", `${done}/${ctx.leads} rows`),
  );
  client.close();
  const insertsPerSecond = (ctx.leads - failed) / (wallMs / 1000);
  return {
    insertsPerSecond,
    rows: [
      {
        metric: "Raw INSERT throughput",
        value: `${insertsPerSecond.toFixed(0)} rows/s`,
        how:
          `${ctx.leads.toLocaleString("en")} single-row INSERTs into \`lead\`, @libsql/client/web from Node, ` +
          `concurrency ${ctx.concurrency}, same server; ${failed} failed; p50 ` +
          `${percentile(latencies, 50).toFixed(1)} ms`,
      },
    ],
  };
}
