import { createClient } from "@libsql/client/web";
import { percentile, runPool } from "./load";
import { postWithRetry, tallyText } from "./post-retry";
import type { BenchContext, ResultRow } from "./scenario";
import { api, seedBenchWorkspace } from "./seed";
import { connectTelegramReps } from "./telegram-reps";

const LEADS = 200;
// Paced arrivals, so the deadlines fall one after another over half a minute rather than all at one instant.
const PER_SECOND = 5;
const REPS = 4;
// The shortest SLA a pool takes: the deadlines fall a minute into the run.
const SLA_MINUTES = 1;
const GOAL_P99_MS = 5_000;
// After the last deadline, how long an alert may still take before it counts as missing (in polls).
const POLL_MS = 200;
const LATE_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * SLA deadline → the reassignment alert arriving at the fake Bot API, per lead. `wrangler dev` runs no cron,
 * so only the workspace's SlaTimer Durable Object alarm can fire the deadlines: each latency is from the lead's
 * own `slaDueAt` (as the capture answered it) to the fake receiving "Lead not picked up in time" for that lead.
 */
export async function measureSlaLatency(ctx: BenchContext): Promise<ResultRow[]> {
  const base = ctx.worker.url;
  const ws = await seedBenchWorkspace(base, REPS);
  await connectTelegramReps(base, ws, 710_000);
  await api(
    base,
    "/api/v1/pools",
    { name: "Bench SLA", isDefault: true, slaMinutes: SLA_MINUTES, hotSlaMinutes: SLA_MINUTES, repIds: ws.repIds },
    ws.key,
  );

  const failures = new Map<string, number>();
  const tally = (what: string) => failures.set(what, (failures.get(what) ?? 0) + 1);
  const dueAt = new Map<number, number>();
  const arrivedAt = new Map<number, number>();
  let later = 0;
  const stop = ctx.fake.listen((call) => {
    if (call.api !== "telegram") return;
    const m = /Lead not picked up in time[^\n]*\nSLA (\d+) \(/.exec(String(call.body.text ?? ""));
    if (!m) return;
    const i = Number(m[1]);
    // A second hand-over of the same lead (the next rep's deadline lapsed too) is not this lead's first alert.
    if (arrivedAt.has(i)) later++;
    else arrivedAt.set(i, Date.now());
  });
  try {
    const started = performance.now();
    const { failed } = await runPool(
      LEADS,
      ctx.concurrency,
      async (i) => {
        const wait = started + (i * 1000) / PER_SECOND - performance.now();
        if (wait > 0) await sleep(wait);
        const res = await postWithRetry(
          `${base}/api/v1/leads`,
          {
            headers: { "content-type": "application/json", authorization: `Bearer ${ws.key}` },
            body: JSON.stringify({ name: `SLA ${i}`, email: `sla-${i}@bench.test` }),
          },
          tally,
        );
        const json = res?.json as { lead?: { slaDueAt: number | null } } | undefined;
        if (res?.status !== 201 || !json?.lead?.slaDueAt) return false;
        dueAt.set(i, json.lead.slaDueAt);
        return true;
      },
      (done) => ctx.progress.update("sla latency", `${done}/${LEADS} leads captured`),
    );
    const lastDue = Math.max(...dueAt.values());
    const polls = Math.ceil((lastDue - Date.now() + LATE_MS) / POLL_MS);
    for (let poll = 0; poll < polls && arrivedAt.size < dueAt.size; poll++) {
      const seconds = Math.max(0, Math.round((lastDue - Date.now()) / 1000));
      ctx.progress.update("sla latency", `${arrivedAt.size}/${dueAt.size} alerts; last deadline in ${seconds} s`);
      await sleep(POLL_MS);
    }
    // Where the time goes: deadline → the reassignment written (the alarm's part), then → the alert received.
    const client = createClient({ url: ctx.db.url, intMode: "number" });
    const moved = await client.execute({
      sql: `SELECT l.name, min(e.created_at) AS at FROM lead_event e JOIN lead l ON l.id = e.lead_id
            WHERE e.workspace_id = ? AND e.type = 'reassigned' AND json_extract(e.data, '$.reason') = 'sla'
            GROUP BY l.id`,
      args: [ws.id],
    });
    client.close();
    const reassignLags = moved.rows.flatMap((r) => {
      const i = Number(/^SLA (\d+)$/.exec(String(r.name))?.[1]);
      return dueAt.has(i) ? [Number(r.at) - dueAt.get(i)!] : [];
    });
    const latencies = [...arrivedAt].filter(([i]) => dueAt.has(i)).map(([i, at]) => at - dueAt.get(i)!);
    const early = latencies.filter((ms) => ms < 0).length;
    const missing = dueAt.size - latencies.length;
    const p2 = (samples: number[], q: number) => `${(percentile(samples, q) / 1000).toFixed(2)} s`;
    const p = (q: number) => p2(latencies, q);
    const p99 = percentile(latencies, 99);
    const met = latencies.length > 0 && p99 < GOAL_P99_MS && missing === 0 && early === 0;
    return [
      {
        metric: `SLA latency: deadline → reassignment alert at the fake Bot API, p50 / p90 / p99 (${LEADS} leads)`,
        value:
          latencies.length === 0
            ? "no alert received (see how)"
            : `${p(50)} / ${p(90)} / ${p(99)}, max ${p(100)}; ` +
              `goal p99 < ${GOAL_P99_MS / 1000} s: ${met ? "met" : "MISSED"}`,
        how:
          `${LEADS} POST /api/v1/leads at ${PER_SECOND}/s into a pool with a ${SLA_MINUTES}-minute SLA, ${REPS} reps ` +
          "with chat ids, nobody claims; no cron under wrangler dev, so the SlaTimer alarm fires every deadline; " +
          `from each lead's slaDueAt to the fake receiving its hand-over alert: ${latencies.length}/${dueAt.size} ` +
          `received, ${missing} missing, ${early} before the deadline, ${later} later hand-overs (the next rep's ` +
          `deadline) not counted; deadline → reassignment written p50 / p99: ${p2(reassignLags, 50)} / ` +
          `${p2(reassignLags, 99)}; ${failed} captures failed for good ` +
          `(refused attempts, retried: ${tallyText(failures)})`,
      },
    ];
  } finally {
    stop();
  }
}
