import { createClient } from "@libsql/client/web";
import { percentile, runPool } from "./load";
import type { BenchContext, ResultRow } from "./scenario";
import { seedBenchWorkspace } from "./seed";

const LEADS = 1000;
const REPS = 4;
/** After the last POST, how long alerts may still take before the rest count as missing. */
const DRAIN_MS = 30_000;
/** Then a short extra wait, so a late duplicate is seen too. */
const GRACE_MS = 2_000;

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Form POST → the rep alert arriving at the fake Bot API, per lead: the alert is written in the capture
 * batch and sent under waitUntil (wrangler dev fires no cron, so nothing else sends it). Leads carry a
 * unique name, which the alert text repeats; that is how an arrival is matched to its POST.
 */
export async function measureSpeedToLead(ctx: BenchContext): Promise<ResultRow[]> {
  const ws = await seedBenchWorkspace(ctx.worker.url, REPS);
  for (const [i, id] of ws.repIds.entries()) {
    const res = await fetch(`${ctx.worker.url}/api/v1/reps/${id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", authorization: `Bearer ${ws.key}` },
      body: JSON.stringify({ telegramChatId: String(700_000 + i) }),
    });
    if (res.status !== 200) throw new Error(`bench: PATCH rep ${id}: ${res.status} ${await res.text()}`);
  }
  // Connected the way an owner does it: the Worker checks the token (getMe) and registers its webhook at the fake.
  const connected = await fetch(`${ctx.worker.url}/api/v1/channels/telegram`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ws.key}` },
    body: JSON.stringify({ token: "7000001:BENCHbenchBENCHbench0001" }),
  });
  if (connected.status !== 201) throw new Error(`bench: POST /api/v1/channels/telegram: ${connected.status} ${await connected.text()}`);

  const sentAt = new Map<number, number>();
  const arrivals = new Map<number, number[]>();
  const stop = ctx.fake.listen((call) => {
    const m = call.api === "telegram" ? /^(?:HOT )?New lead \(form\): S2L (\d+)\b/m.exec(String(call.body.text)) : null;
    if (!m) return;
    const i = Number(m[1]);
    arrivals.set(i, [...(arrivals.get(i) ?? []), performance.now()]);
  });
  const url = `${ctx.worker.url}/f/${ws.formKey}`;
  let lastPost = 0;
  try {
    const { failed } = await runPool(
      LEADS,
      ctx.concurrency,
      async (i) => {
        sentAt.set(i, performance.now());
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: `S2L ${i}`, email: `s2l-${i}@bench.test`, message: "Call me" }),
        });
        await res.arrayBuffer();
        lastPost = performance.now();
        return res.status === 200;
      },
      (done) => ctx.progress.update("speed to lead", `${done}/${LEADS} POSTs, ${arrivals.size} alerts received`),
    );
    const expected = LEADS - failed;
    while (arrivals.size < expected && performance.now() - lastPost < DRAIN_MS) {
      ctx.progress.update("speed to lead", `waiting for alerts: ${arrivals.size}/${expected}`);
      await sleep(100);
    }
    await sleep(GRACE_MS);
    stop();

    const latencies = [...arrivals].map(([i, times]) => times[0]! - sentAt.get(i)!);
    const duplicates = [...arrivals.values()].filter((t) => t.length > 1).length;
    const missing = LEADS - failed - arrivals.size;
    // A fresh client: the first one's socket may have outlived the server's keep-alive during the run.
    const after = createClient({ url: ctx.db.url, intMode: "number" });
    const states = await after.execute({
      sql: `SELECT state, count(*) AS n FROM outbox WHERE workspace_id = ? AND kind = 'rep_alert' GROUP BY state`,
      args: [ws.id],
    });
    after.close();
    const outbox = states.rows.map((r) => `${r.state} ${r.n}`).join(", ") || "none";
    return [
      {
        metric: `Speed to lead: form POST → rep alert received at the fake Bot API, p50 / p90 / p99 (${LEADS.toLocaleString("en")} leads)`,
        // No arrivals means the alert text no longer matches (or nothing was sent): say so rather than print NaN.
        value: latencies.length
          ? `${fmt(percentile(latencies, 50))} / ${fmt(percentile(latencies, 90))} / ${fmt(percentile(latencies, 99))}`
          : "no alert received (see how)",
        how:
          `${LEADS} form POSTs, concurrency ${ctx.concurrency}, ${REPS} reps with chat ids (PATCH /api/v1/reps/{id}), bot connected through ` +
          `POST /api/v1/channels/telegram; from sending the POST to the fake receiving sendMessage (waitUntil, no cron); ` +
          `${arrivals.size}/${LEADS} alerts received, ${missing} missing, ${duplicates} duplicated, ${failed} POSTs failed; rep_alert rows: ${outbox}`,
      },
    ];
  } finally {
    stop();
  }
}
