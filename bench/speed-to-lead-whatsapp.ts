import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  type Arrivals,
  arrivalsOf,
  outboxStates,
  PACED_LEADS,
  PACED_RATE,
  percentiles,
  SINGLE_LEADS,
  saturatedLoop,
  sentOfKind,
} from "./arrivals";
import { cpuPerItem, cpuSplit } from "./cpu-split";
import { scenarioPoster } from "./keep-alive-post";
import type { BenchContext, ResultRow } from "./scenario";
import { seedBenchWorkspace } from "./seed";
import { warmUp } from "./warm-up";

const LEADS = 1000;
/** SAFETY_NET_DELAY_S of workers/inbound/accept-delivery.ts (not imported: that module needs the Worker's types). */
const SAFETY_NET_DELAY_S = 60;
/** The warm-up webhook's prospect, after every measured one. */
const WARM_UP = LEADS + SINGLE_LEADS + PACED_LEADS;
const PHONE_NUMBER_ID = "106540352242922";
const APP_SECRET = "bench-app-secret-0123456789";
/** The inbound text webhook fixture (Meta's current shape, with BSUID fields). */
const FIXTURE = new URL("../test/fixtures/whatsapp/message_text.json", import.meta.url);

/** Prospect i's wa_id: a distinct, valid-looking US number per lead. */
const waId = (i: number) => `1555${String(3_000_000 + i).padStart(7, "0")}`;

/**
 * A prospect's first WhatsApp message, as Meta would deliver it: the fixture re-addressed to this number
 * and prospect, with its own message id, signed over the exact bytes sent (X-Hub-Signature-256).
 */
function inbound(template: any, i: number): { body: string; signature: string } {
  const u = structuredClone(template);
  const value = u.entry[0].changes[0].value;
  value.metadata.phone_number_id = PHONE_NUMBER_ID;
  value.contacts[0].wa_id = waId(i);
  value.contacts[0].user_id = `US.bench${i}`;
  value.contacts[0].profile.name = `WA ${i}`;
  value.messages[0].from = waId(i);
  value.messages[0].id = `wamid.BENCH${i}x${Date.now()}`;
  value.messages[0].timestamp = String(Math.floor(Date.now() / 1000));
  value.messages[0].text.body = "Hi, how much for a quote?";
  const body = JSON.stringify(u);
  return { body, signature: `sha256=${createHmac("sha256", APP_SECRET).update(body).digest("hex")}` };
}

/**
 * WhatsApp inbound → the instant auto-reply arriving at the fake Graph API, per lead. With the inbound queue a
 * single-message webhook is answered at once and handled right after under waitUntil (capture, then the auto-reply
 * sent), its queued copy delayed a minute as the safety net; without it the 200 waits for the capture. Each has its
 * own wa_id, which is the `to` of the reply: that is how an arrival is matched to its webhook.
 */
export async function measureSpeedToLeadWhatsapp(ctx: BenchContext): Promise<ResultRow[]> {
  const ws = await seedBenchWorkspace(ctx.worker.url, 4);
  const connected = await fetch(`${ctx.worker.url}/api/v1/channels/whatsapp`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ws.key}` },
    body: JSON.stringify({
      phoneNumberId: PHONE_NUMBER_ID,
      accessToken: "EAAbenchACCESStoken0123456789",
      appSecret: APP_SECRET,
      verifyToken: "bench-verify-token",
      autoReplyText: "Thanks {name}! A rep will call you within minutes.",
    }),
  });
  const channel = (await connected.json()) as { id?: string };
  if (connected.status !== 201 || !channel.id)
    throw new Error(`bench: POST /api/v1/channels/whatsapp: ${connected.status} ${JSON.stringify(channel)}`);

  const template = JSON.parse(readFileSync(FIXTURE, "utf8"));
  const hook = new URL(`${ctx.worker.url}/hooks/whatsapp/${channel.id}`);
  const index = new Map(Array.from({ length: WARM_UP }, (_, i) => [waId(i), i]));
  const stats = async () =>
    ((await (await fetch(`${ctx.db.url}/_stats`)).json()) as { pipelineRequests: number }).pipelineRequests;
  // The load client shares the 2 cores with what it measures: node:http, answers uncompressed (keep-alive-post.ts).
  const client = scenarioPoster(ctx.cleanup, ctx.concurrency);
  /** Prospect i's first message, signed, posted as Meta would. */
  const post = (i: number) => {
    const { body, signature } = inbound(template, i);
    return client.post(
      hook,
      { "content-type": "application/json", "accept-encoding": "identity", "x-hub-signature-256": signature },
      body,
    );
  };
  // Prospect WARM_UP (not in `index`): its webhook warms the isolate and its auto-reply is sent before counting starts.
  const warm = await warmUp(
    async () => (await post(WARM_UP)).body,
    async () => (await sentOfKind(ctx, ws.id, "auto_reply")) >= 1,
  );
  const warmSent = await sentOfKind(ctx, ws.id, "auto_reply");
  const before = await stats();
  // Why a webhook was not answered 200: its status and body, or the network error.
  const failures = new Map<string, number>();
  let lastSentAt = 0;
  const run = arrivalsOf(ctx, {
    async send(i) {
      lastSentAt = Date.now();
      try {
        const res = await post(i);
        if (res.status !== 200) {
          const why = `${res.status} ${res.body.slice(0, 80)}`;
          failures.set(why, (failures.get(why) ?? 0) + 1);
        }
        return res.status === 200;
      } catch (err) {
        const why =
          err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? "")}` : String(err);
        failures.set(why.slice(0, 120), (failures.get(why.slice(0, 120)) ?? 0) + 1);
        return false;
      }
    },
    match(call) {
      if (call.api !== "whatsapp" || call.body.type !== "text") return null;
      return index.get(String(call.body.to)) ?? null;
    },
  });
  const split = cpuSplit(ctx.worker.pid);
  const saturated = await run("speed to lead (WhatsApp)", LEADS, 0, { untilArrival: true });
  const cpu = split.take();
  // Includes the sends' own writes (claim, result) under waitUntil, as the form figure does not: the whole cost of a
  // lead. Divided by the leads whose auto-reply was sent by then (a queue still draining would otherwise flatter it).
  const requests = (await stats()) - before;
  const sentRows = (await sentOfKind(ctx, ws.id, "auto_reply")) - warmSent;
  const perLead = requests / Math.max(1, sentRows);
  const saturatedFailures = failedWhy(failures);
  failures.clear();
  // The saturated run's safety-net copies reach the consumer a minute after their webhooks: wait them out, or the
  // runs below would time the consumer's pass over 1,000 copies rather than a lead.
  const settled = await settleSafetyNet(stats, lastSentAt);
  // What one prospect waits when the desk is not flooded, as for the form: one webhook at a time, then a steady rate.
  const single = await run("speed to lead (WhatsApp), one at a time", SINGLE_LEADS, LEADS, { concurrency: 1 });
  const steady = await run("speed to lead (WhatsApp), paced", PACED_LEADS, LEADS + SINGLE_LEADS, {
    perSecond: PACED_RATE,
  });
  client.close();
  const counts = (r: Arrivals, n: number) =>
    `${r.received}/${n} auto-replies received, ${r.missing} missing, ${r.duplicated} duplicated, ` +
    `${r.failed} webhooks failed`;
  return [
    {
      metric:
        `Speed to lead: WhatsApp inbound webhook → auto-reply received at the fake Graph API, p50 / p90 / ` +
        `p99 (${LEADS.toLocaleString("en")} leads, saturated: ${ctx.concurrency} in flight until replied)`,
      value: percentiles(saturated.latencies),
      how:
        `${LEADS} signed webhooks (the pywa text-message fixture, one new prospect each; node:http, kept-alive ` +
        "sockets), " +
        `${saturatedLoop(ctx.concurrency, "auto-reply")}, number connected ` +
        `through POST /api/v1/channels/whatsapp with an auto-reply; from sending the webhook to the fake receiving ` +
        `POST /<phone-number-id>/messages ` +
        `(waitUntil, no cron); ${counts(saturated, LEADS)}${saturatedFailures}; CPU per lead from /proc over this ` +
        `run: ${cpuPerItem(cpu, LEADS)}, the bench process holding the load client, the libSQL server and the ` +
        `fake APIs; auto_reply rows after the three runs: ${await outboxStates(ctx, ws.id, "auto_reply")}`,
    },
    {
      metric: `Speed to lead (WhatsApp), one webhook at a time, p50 / p90 / p99 (${SINGLE_LEADS} leads)`,
      value: percentiles(single.latencies),
      how:
        "same number and path, after the saturated run and its safety-net copies " +
        `(${settled ? "consumed" : "still arriving after 60 polls"}); each webhook sent when the previous one ` +
        "answered (its " +
        `auto-reply may still be on its way); ${counts(single, SINGLE_LEADS)}`,
    },
    {
      metric: `Speed to lead (WhatsApp), paced ${PACED_RATE} webhooks/s, p50 / p90 / p99 (${PACED_LEADS} leads)`,
      value: percentiles(steady.latencies),
      how:
        `same number and path; open loop, one webhook every ${1000 / PACED_RATE} ms whatever the answers; ` +
        `${counts(steady, PACED_LEADS)}${failedWhy(failures)}`,
    },
    {
      metric: "libSQL pipeline requests per WhatsApp lead (webhook + its auto-reply send)",
      value: perLead.toFixed(2),
      how:
        "GET /_stats on the local server before and after the saturated WhatsApp speed-to-lead run, divided by the " +
        `leads whose auto-reply was sent by then (${sentRows}): the hook's channel lookup with the delivery's ` +
        "reads, the " +
        "capture's batch after the 200, the auto-reply's claim and result. Counted after one warm-up webhook " +
        `(${warm ? "its auto-reply sent first" : "not settled in 60 s: partly counted"}): the isolate reads the ` +
        "workspace's routing context and scoring rules once, shared by the captures in flight, then keeps them. " +
        "Each webhook's delayed safety-net copy reaches the queue consumer a minute later, after this count " +
        "when the run takes less than that",
    },
  ];
}

/**
 * Until the delayed copies of the webhooks sent up to `lastSentAt` have been consumed: past their delay, then until
 * the libSQL server saw no request for 2 s (each consumer batch reads once). False when it never went quiet.
 */
async function settleSafetyNet(stats: () => Promise<number>, lastSentAt: number): Promise<boolean> {
  await sleep(Math.max(0, lastSentAt + SAFETY_NET_DELAY_S * 1000 + 1000 - Date.now()));
  let last = await stats();
  for (let polls = 0, quiet = 0; polls < 60; polls++) {
    await sleep(500);
    const now = await stats();
    quiet = now === last ? quiet + 1 : 0;
    if (quiet === 4) return true;
    last = now;
  }
  return false;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** " (3× 503 …; 1× fetch failed …)", or nothing when every webhook was answered 200. */
const failedWhy = (failures: Map<string, number>) =>
  failures.size ? ` (${[...failures].map(([why, n]) => `${n}× ${why}`).join("; ")})` : "";
