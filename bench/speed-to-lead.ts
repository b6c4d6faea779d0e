import { measureArrivals, outboxStates, percentiles } from "./arrivals";
import type { BenchContext, ResultRow } from "./scenario";
import { seedBenchWorkspace } from "./seed";
import { connectTelegramReps } from "./telegram-reps";

const LEADS = 1000;
const REPS = 4;

/**
 * Form POST → the rep alert arriving at the fake Bot API, per lead: the alert is written in the capture
 * batch and sent under waitUntil (wrangler dev fires no cron, so nothing else sends it). Leads carry a
 * unique name, which the alert's first line repeats; that is how an arrival is matched to its POST.
 */
export async function measureSpeedToLead(ctx: BenchContext): Promise<ResultRow[]> {
  const ws = await seedBenchWorkspace(ctx.worker.url, REPS);
  await connectTelegramReps(ctx.worker.url, ws, 700_000);

  const url = `${ctx.worker.url}/f/${ws.formKey}`;
  const run = await measureArrivals(ctx, {
    label: "speed to lead (form)",
    total: LEADS,
    async send(i) {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: `S2L ${i}`, email: `s2l-${i}@bench.test`, message: "Call me" }),
      });
      await res.arrayBuffer();
      return res.status === 200;
    },
    match(call) {
      // "New lead (form): S2L 17 · score 5/10", "HOT " first for hot leads.
      const m =
        call.api === "telegram" ? /^(?:HOT )?New lead \(form\): S2L (\d+)\b/m.exec(String(call.body.text)) : null;
      return m ? Number(m[1]) : null;
    },
  });
  return [
    {
      metric:
        `Speed to lead: form POST → rep alert received at the fake Bot API, p50 / p90 / p99 ` +
        `(${LEADS.toLocaleString("en")} leads)`,
      value: percentiles(run.latencies),
      how:
        `${LEADS} form POSTs, concurrency ${ctx.concurrency}, ${REPS} reps with chat ids (PATCH /api/v1/reps/{id}), ` +
        `bot connected through ` +
        `POST /api/v1/channels/telegram; from sending the POST to the fake receiving sendMessage (waitUntil, no ` +
        `cron); ` +
        `${run.received}/${LEADS} alerts received, ${run.missing} missing, ${run.duplicated} duplicated, ` +
        `${run.failed} POSTs failed; ` +
        `rep_alert rows: ${await outboxStates(ctx, ws.id, "rep_alert")}`,
    },
  ];
}
