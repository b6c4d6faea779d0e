import { createClient } from "@libsql/client/web";
import { keepAliveFetch } from "./keep-alive-fetch";
import { percentile, runPool } from "./load";
import type { BenchContext, ResultRow } from "./scenario";
import { NODE_WARM_UP } from "./server-insert";

/**
 * The floor under capture: one INSERT of a lead row per call, straight to the same libSQL server with
 * the same client library the Worker uses (@libsql/client/web over HTTP), at the same concurrency. Like the
 * capture run's load client, it is kept alive (node:net) and warm: through Node's fetch, counted from a cold
 * process, this row had measured the client (570–951 rows/s where the same server answers ~4,900 single-row
 * INSERTs a second warm), which flattered the capture ratio. `afterWarmUp` runs between warm-up and count.
 */
export async function measureRawInsert(
  ctx: BenchContext,
  afterWarmUp: () => void = () => {},
): Promise<{ rows: ResultRow[]; insertsPerSecond: number }> {
  const fetch = keepAliveFetch(ctx.concurrency);
  const client = createClient({ url: ctx.db.url, intMode: "number", fetch });
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
  // Uncounted, with ids after the counted rows' (`lead_raw` + 8 digits).
  const warmUp = await runPool(
    NODE_WARM_UP,
    ctx.concurrency,
    (i) => insert(ctx.leads + i),
    (done) => ctx.progress.update("raw INSERT", `warm-up ${done}/${NODE_WARM_UP}`),
  );
  afterWarmUp();
  const { latencies, failed, wallMs } = await runPool(ctx.leads, ctx.concurrency, insert, (done) =>
    ctx.progress.update("raw INSERT", `${done}/${ctx.leads} rows`),
  );
  client.close();
  fetch.close();
  const insertsPerSecond = (ctx.leads - failed) / (wallMs / 1000);
  return {
    insertsPerSecond,
    rows: [
      {
        metric: "Raw INSERT throughput",
        value: `${insertsPerSecond.toFixed(0)} rows/s`,
        how:
          `${ctx.leads.toLocaleString("en")} single-row INSERTs into \`lead\`, @libsql/client/web from Node, ` +
          `concurrency ${ctx.concurrency}, kept-alive node:net fetch, same server, counted after ` +
          `${NODE_WARM_UP.toLocaleString("en")} warm-up INSERTs ` +
          `(${(NODE_WARM_UP / (warmUp.wallMs / 1000)).toFixed(0)} ` +
          `rows/s); ${failed} failed; p50 ${percentile(latencies, 50).toFixed(1)} ms`,
      },
    ],
  };
}
