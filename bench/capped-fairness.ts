import { createClient } from "@libsql/client/web";
import { runPool } from "./load";
import type { BenchContext, ResultRow } from "./scenario";
import { api } from "./seed";

const CAPTURES = 1000;
const IN_FLIGHT = 200;
// Weights 1:1:2:3:3 of 1,000 = 100/100/200/300/300; each cap equals that share, so the caps bind exactly
// as the last leads land: any overshoot, undershoot or lead left unassigned shows.
const REPS = [1, 1, 2, 3, 3].map((weight) => ({ weight, cap: (CAPTURES * weight) / 10 }));
const FREED = 20;
const POLL_MS = 50;
// Bounded wait for the queue to drain: polls, not wall-clock.
const MAX_POLLS = 600;

/**
 * 1,000 form captures, 200 in flight, into 5 reps with weights and caps equal to their shares: no cap may
 * be overshot, each rep's share must be within ±1 % of its weight, no lead may wait while someone has room.
 * Then 20 more leads (everyone at cap: they queue), 20 leads closed through the API: the time until the
 * queue has handed all 20 out.
 */
export async function measureCappedFairness(ctx: BenchContext): Promise<ResultRow[]> {
  const base = ctx.worker.url;
  const created = await api(base, "/api/v1/workspaces", {
    name: "Bench capped",
    defaultCountry: "US",
    timezone: "UTC",
  });
  const key: string = created.apiKey.key;
  const wsId: string = created.workspace.id;
  const reps: string[] = [];
  for (const [i, r] of REPS.entries()) {
    reps.push(
      (await api(base, "/api/v1/reps", { name: `Capped ${i + 1}`, weight: r.weight, maxOpenLeads: r.cap }, key)).id,
    );
  }
  const capture = async (i: number) => {
    for (let attempt = 0; attempt < 4; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 500));
      const res = await fetch(`${base}/api/v1/leads`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ name: `Capped ${i}`, email: `capped-${i}@bench.test` }),
      }).catch(() => null);
      await res?.text();
      if (res && (res.status === 200 || res.status === 201)) return true;
      if (res && res.status !== 503) return false;
    }
    return false;
  };
  const { failed, wallMs } = await runPool(CAPTURES, IN_FLIGHT, capture, (done) =>
    ctx.progress.update("capped-fairness", `${done}/${CAPTURES} captures, ${IN_FLIGHT} in flight`),
  );
  const client = createClient({ url: ctx.db.url, intMode: "number" });
  const owners = async () => {
    const rs = await client.execute({
      sql: "SELECT COALESCE(owner_rep_id, '') AS rep, count(*) AS n FROM lead WHERE workspace_id = ? AND status = 'new' GROUP BY 1",
      args: [wsId],
    });
    return new Map(rs.rows.map((r) => [String(r.rep), Number(r.n)]));
  };
  const counts = await owners();
  const overshoot = REPS.reduce((sum, r, i) => sum + Math.max(0, (counts.get(reps[i]!) ?? 0) - r.cap), 0);
  const worstShare = Math.max(
    ...REPS.map((r, i) => Math.abs((counts.get(reps[i]!) ?? 0) / CAPTURES - r.weight / 10) * 100),
  );
  const unassigned = counts.get("") ?? 0;

  // Everyone is at cap now: these wait in the queue.
  await runPool(FREED, FREED, (i) => capture(CAPTURES + i));
  const queuedBefore = (await owners()).get("") ?? 0;
  const toClose = await client.execute({
    sql: "SELECT id FROM lead WHERE workspace_id = ? AND owner_rep_id IS NOT NULL AND status = 'new' ORDER BY created_at LIMIT ?",
    args: [wsId, FREED],
  });
  const t0 = performance.now();
  await Promise.all(
    toClose.rows.map((r) =>
      fetch(`${base}/api/v1/leads/${String(r.id)}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ status: "won" }),
      }).then((res) => res.text()),
    ),
  );
  let drainedMs: number | null = null;
  for (let poll = 0; poll < MAX_POLLS; poll++) {
    if (((await owners()).get("") ?? 0) === 0) {
      drainedMs = performance.now() - t0;
      break;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const final = await owners();
  const finalOvershoot = REPS.reduce((sum, r, i) => sum + Math.max(0, (final.get(reps[i]!) ?? 0) - r.cap), 0);
  client.close();
  return [
    {
      metric: `Capped weighted fairness, ${CAPTURES.toLocaleString("en")} captures, ${IN_FLIGHT} in flight, 5 reps 1:1:2:3:3 with caps = shares`,
      value: `cap overshoot ${overshoot}, worst share off by ${worstShare.toFixed(2)} pp, ${unassigned} unassigned (${REPS.map((_, i) => counts.get(reps[i]!) ?? 0).join(" / ")})`,
      how: `POST /api/v1/leads (${(wallMs / 1000).toFixed(1)} s, ${failed} failed for good); counts of open leads per rep in libSQL`,
    },
    {
      metric: `Unassigned queue drain: ${FREED} queued leads, ${FREED} leads closed`,
      value:
        drainedMs === null
          ? `not drained after ${(MAX_POLLS * POLL_MS) / 1000} s`
          : `${(drainedMs / 1000).toFixed(2)} s to drain ${queuedBefore}`,
      how: `PATCH status=won ×${FREED} at once, then poll libSQL every ${POLL_MS} ms until no lead is unowned; overshoot after: ${finalOvershoot}`,
    },
  ];
}
