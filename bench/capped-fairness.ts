import { createClient } from "@libsql/client/web";
import { runPool } from "./load";
import { postWithRetry, tallyText } from "./post-retry";
import type { BenchContext, ResultRow } from "./scenario";
import { api } from "./seed";

const CAPTURES = 1000;
const IN_FLIGHT = 200;
// Weights 1:1:2:3:3 of 1,000 = 100/100/200/300/300; each cap equals that share, so the caps bind exactly
// as the last leads land: any overshoot, undershoot or lead left unassigned shows.
const REPS = [1, 1, 2, 3, 3].map((weight) => ({ weight, cap: (CAPTURES * weight) / 10 }));
const FREED = 20;
// The goals each row is judged against.
const SHARE_TOLERANCE_PCT = 1;
const DRAIN_GOAL_MS = 5_000;
const POLL_MS = 50;
// Bounded wait for the queue to drain: polls, not wall-clock.
const MAX_POLLS = 600;

/**
 * 1,000 form captures, 200 in flight, into 5 reps with weights and caps equal to their shares: no cap may
 * be overshot, each rep's share must be within ±1 % of its weight, no lead may wait while someone has room.
 * Then twice 20 more leads (everyone at cap: they queue) and capacity freed, once by closing 20 leads through
 * the API and once by raising the caps: each time, how long until the queue has handed all 20 out.
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
  const failures = new Map<string, number>();
  const tally = (what: string) => failures.set(what, (failures.get(what) ?? 0) + 1);
  const capture = async (i: number) => {
    const res = await postWithRetry(
      `${base}/api/v1/leads`,
      {
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ name: `Capped ${i}`, email: `capped-${i}@bench.test` }),
      },
      tally,
    );
    return res !== null && (res.status === 200 || res.status === 201);
  };
  const { failed, wallMs } = await runPool(CAPTURES, IN_FLIGHT, capture, (done) =>
    ctx.progress.update("capped-fairness", `${done}/${CAPTURES} captures, ${IN_FLIGHT} in flight`),
  );
  const client = createClient({ url: ctx.db.url, intMode: "number" });
  const owners = async () => {
    const rs = await client.execute({
      sql: `SELECT COALESCE(owner_rep_id, '') AS rep, count(*) AS n FROM lead
            WHERE workspace_id = ? AND status = 'new' GROUP BY 1`,
      args: [wsId],
    });
    return new Map(rs.rows.map((r) => [String(r.rep), Number(r.n)]));
  };
  const counts = await owners();
  const overshoot = REPS.reduce((sum, r, i) => sum + Math.max(0, (counts.get(reps[i]!) ?? 0) - r.cap), 0);
  // Relative to each rep's own share: 1 % of a 100-lead share is 1 lead.
  const shareOf = (weight: number) => (CAPTURES * weight) / 10;
  const offShare = (r: { weight: number }, i: number) =>
    (Math.abs((counts.get(reps[i]!) ?? 0) - shareOf(r.weight)) / shareOf(r.weight)) * 100;
  const worstShare = Math.max(...REPS.map(offShare));
  const unassigned = counts.get("") ?? 0;

  const patch = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    }).then((res) => res.text());
  /** Queues FREED leads (everyone is at cap), frees room with `free`, and times the queue's drain. */
  const drain = async (round: number, free: () => Promise<unknown>) => {
    await runPool(FREED, FREED, (i) => capture(CAPTURES + round * FREED + i));
    const queued = (await owners()).get("") ?? 0;
    const t0 = performance.now();
    await free();
    for (let poll = 0; poll < MAX_POLLS; poll++) {
      if (((await owners()).get("") ?? 0) === 0) return { queued, ms: performance.now() - t0 };
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    return { queued, ms: null };
  };
  const closed = await drain(0, async () => {
    const toClose = await client.execute({
      sql: `SELECT id FROM lead WHERE workspace_id = ? AND owner_rep_id IS NOT NULL AND status = 'new'
            ORDER BY created_at LIMIT ?`,
      args: [wsId, FREED],
    });
    await Promise.all(toClose.rows.map((r) => patch(`/api/v1/leads/${String(r.id)}`, { status: "won" })));
  });
  // Each rep's cap up by its share of FREED: room for exactly the queued leads, split by weight.
  const raised = REPS.map((r) => ({ ...r, cap: r.cap + (FREED * r.weight) / 10 }));
  const raisedCaps = await drain(1, () =>
    Promise.all(raised.map((r, i) => patch(`/api/v1/reps/${reps[i]}`, { maxOpenLeads: r.cap }))),
  );
  const final = await owners();
  const finalOvershoot = raised.reduce((sum, r, i) => sum + Math.max(0, (final.get(reps[i]!) ?? 0) - r.cap), 0);
  client.close();
  const drained = (d: { queued: number; ms: number | null }) =>
    d.ms === null
      ? `not drained after ${(MAX_POLLS * POLL_MS) / 1000} s`
      : `${(d.ms / 1000).toFixed(2)} s to drain ${d.queued}`;
  const met = (ok: boolean) => (ok ? "met" : "MISSED");
  const fairOk = overshoot === 0 && worstShare <= SHARE_TOLERANCE_PCT && unassigned === 0 && failed === 0;
  const drainOk = [closed, raisedCaps].every((d) => d.queued === FREED && d.ms !== null && d.ms <= DRAIN_GOAL_MS);
  return [
    {
      metric:
        `Capped weighted fairness, ${CAPTURES.toLocaleString("en")} captures, ${IN_FLIGHT} in flight, ` +
        "5 reps 1:1:2:3:3 with caps = shares",
      value:
        `cap overshoot ${overshoot}, worst rep off its share by ${worstShare.toFixed(2)} %, ${unassigned} unassigned ` +
        `(${REPS.map((_, i) => counts.get(reps[i]!) ?? 0).join(" / ")}); goals 0 / ±${SHARE_TOLERANCE_PCT} % / 0: ` +
        met(fairOk),
      how:
        `POST /api/v1/leads (${(wallMs / 1000).toFixed(1)} s, ${failed} failed for good; refused attempts, ` +
        `retried: ${tallyText(failures)}); ` +
        "open leads per rep counted in libSQL; capacity equals the leads, so a lead left waiting is one a rep had " +
        "room for",
    },
    {
      metric: `Unassigned queue drain: ${FREED} queued leads, then room for ${FREED}`,
      value:
        `closing leads: ${drained(closed)}; raising caps: ${drained(raisedCaps)}; ` +
        `goal ≤ ${DRAIN_GOAL_MS / 1000} s: ${met(drainOk)}`,
      how:
        `PATCH status=won ×${FREED} at once, then (${FREED} more queued) PATCH maxOpenLeads of the 5 reps by their ` +
        `shares; from the first PATCH, poll libSQL every ${POLL_MS} ms until no lead is unowned; overshoot after: ` +
        `${finalOvershoot}`,
    },
  ];
}
