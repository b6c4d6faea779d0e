import { createClient } from "@libsql/client/web";
import { runPool } from "./load";
import type { BenchContext, ResultRow } from "./scenario";
import { seedBenchWorkspace } from "./seed";

const CAPTURES = 1000;
const REPS = 4;

/**
 * 1,000 form captures all in flight at once into a fresh workspace with 4 equal-weight reps: the
 * rotation Durable Object must hand out 250 each (max − min ≤ 1 is perfect), and no lead may be
 * assigned twice or left unassigned.
 */
export async function measureFairness(ctx: BenchContext): Promise<ResultRow[]> {
  const ws = await seedBenchWorkspace(ctx.worker.url, REPS);
  const url = `${ctx.worker.url}/f/${ws.formKey}`;
  const failures = new Map<string, number>();
  const tally = (what: string) => failures.set(what, (failures.get(what) ?? 0) + 1);
  const { failed, wallMs } = await runPool(
    CAPTURES,
    CAPTURES,
    async (i) => {
      // A 503 is retried (up to 3 times, 0.5 s apart) as the embed snippet and webhooks do; each is counted.
      for (let attempt = 0; attempt < 4; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 500));
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: `Fair ${i}`, email: `fair-${i}@bench.test` }),
        }).catch((err: unknown) => {
          tally(`network: ${err instanceof Error ? err.message : String(err)}`);
          return null;
        });
        const body = res ? await res.text() : "";
        if (res?.status === 200) return true;
        if (res) tally(`${res.status} ${/"code":"(\w+)"/.exec(body)?.[1] ?? ""}`.trim());
        if (res && res.status !== 503) return false;
      }
      return false;
    },
    (done) => ctx.progress.update("fairness", `${done}/${CAPTURES} concurrent captures`),
  );
  const client = createClient({ url: ctx.db.url, intMode: "number" });
  const perRep = await client.execute({
    sql: "SELECT owner_rep_id AS rep, count(*) AS n FROM lead WHERE workspace_id = ? GROUP BY owner_rep_id",
    args: [ws.id],
  });
  const events = await client.execute({
    sql: `SELECT count(*) AS n, count(DISTINCT lead_id) AS leads FROM lead_event WHERE workspace_id = ?
      AND type = 'assigned'`,
    args: [ws.id],
  });
  client.close();
  const counts = new Map(ws.repIds.map((id) => [id, 0]));
  let unassigned = 0;
  for (const row of perRep.rows) {
    if (row.rep === null) unassigned += Number(row.n);
    else counts.set(String(row.rep), Number(row.n));
  }
  const values = [...counts.values()];
  const spread = Math.max(...values) - Math.min(...values);
  const assignedEvents = Number(events.rows[0]?.n);
  const doubly = assignedEvents - Number(events.rows[0]?.leads);
  return [
    {
      metric: `Round-robin fairness, ${CAPTURES.toLocaleString("en")} concurrent captures, ${REPS} equal reps`,
      value: `max − min = ${spread} (${values.join(" / ")})`,
      how:
        `all ${CAPTURES} POSTs in flight at once (${(wallMs / 1000).toFixed(1)} s); answers other than 200: ` +
        `${[...failures].map(([k, n]) => `${k} ×${n}`).join(", ") || "none"} (503s retried); ${failed} captures ` +
        `failed for good, ${unassigned} unassigned, ${doubly} leads with more than one \`assigned\` event`,
    },
  ];
}
