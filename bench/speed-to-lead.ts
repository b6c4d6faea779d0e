import {
  type Arrivals,
  arrivalsOf,
  outboxStates,
  PACED_LEADS,
  PACED_RATE,
  percentiles,
  SINGLE_LEADS,
  saturatedLoop,
} from "./arrivals";
import { scenarioPoster } from "./keep-alive-post";
import type { BenchContext, ResultRow } from "./scenario";
import { seedBenchWorkspace } from "./seed";
import { connectTelegramReps } from "./telegram-reps";

const LEADS = 1000;
const REPS = 4;
const LOAD_HEADERS = { "content-type": "application/json", "accept-encoding": "identity" };

/**
 * Form POST → the rep alert arriving at the fake Bot API, per lead: the alert is written in the capture
 * batch and sent under waitUntil (wrangler dev fires no cron, so nothing else sends it). Leads carry a
 * unique name, which the alert's first line repeats; that is how an arrival is matched to its POST.
 */
export async function measureSpeedToLead(ctx: BenchContext): Promise<ResultRow[]> {
  const ws = await seedBenchWorkspace(ctx.worker.url, REPS);
  await connectTelegramReps(ctx.worker.url, ws, 700_000);

  const url = new URL(`${ctx.worker.url}/f/${ws.formKey}`);
  // The load client shares the 2 cores with what it measures: node:http, answers uncompressed (keep-alive-post.ts).
  const client = scenarioPoster(ctx.cleanup, ctx.concurrency);
  const run = arrivalsOf(ctx, {
    async send(i) {
      const body = JSON.stringify({ name: `S2L ${i}`, email: `s2l-${i}@bench.test`, message: "Call me" });
      return (await client.post(url, LOAD_HEADERS, body)).status === 200;
    },
    match(call) {
      // "New lead (form): S2L 17 · score 5/10", "HOT " first for hot leads.
      const m =
        call.api === "telegram" ? /^(?:HOT )?New lead \(form\): S2L (\d+)\b/m.exec(String(call.body.text)) : null;
      return m ? Number(m[1]) : null;
    },
  });
  const saturated = await run("speed to lead (form)", LEADS, 0, { untilArrival: true });
  // What one prospect waits when the desk is not flooded: the same path, one POST at a time, then arriving at a
  // steady rate. Same workspace, reps and bot, after the saturated run (so the isolate and caches are warm).
  const single = await run("speed to lead (form), one at a time", SINGLE_LEADS, LEADS, { concurrency: 1 });
  const steady = await run("speed to lead (form), paced", PACED_LEADS, LEADS + SINGLE_LEADS, { perSecond: PACED_RATE });
  client.close();
  const alertRows = await outboxStates(ctx, ws.id, "rep_alert");
  const counts = (r: Arrivals, n: number) =>
    `${r.received}/${n} alerts received, ${r.missing} missing, ${r.duplicated} duplicated, ${r.failed} POSTs failed`;
  return [
    {
      metric:
        `Speed to lead: form POST → rep alert received at the fake Bot API, p50 / p90 / p99 ` +
        `(${LEADS.toLocaleString("en")} leads, saturated: ${ctx.concurrency} in flight until alerted)`,
      value: percentiles(saturated.latencies),
      how:
        `${LEADS} form POSTs (node:http, kept-alive sockets), ${saturatedLoop(ctx.concurrency, "alert")}, ` +
        `${REPS} reps with chat ids (PATCH /api/v1/reps/{id}), bot connected through ` +
        `POST /api/v1/channels/telegram; from sending the POST to the fake receiving sendMessage (waitUntil, no ` +
        `cron); ${counts(saturated, LEADS)}; rep_alert rows after the three runs: ${alertRows}`,
    },
    {
      metric: `Speed to lead (form), one lead at a time, p50 / p90 / p99 (${SINGLE_LEADS} leads)`,
      value: percentiles(single.latencies),
      how:
        "same workspace and path, after the saturated run; each POST sent when the previous one answered; " +
        counts(single, SINGLE_LEADS),
    },
    {
      metric: `Speed to lead (form), paced ${PACED_RATE} leads/s, p50 / p90 / p99 (${PACED_LEADS} leads)`,
      value: percentiles(steady.latencies),
      how:
        `same workspace and path; open loop, one POST every ${1000 / PACED_RATE} ms whatever the answers; ` +
        `${counts(steady, PACED_LEADS)}`,
    },
  ];
}
