import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { measureArrivals, outboxStates, percentiles, sentOfKind } from "./arrivals";
import type { BenchContext, ResultRow } from "./scenario";
import { seedBenchWorkspace } from "./seed";
import { warmUp } from "./warm-up";

const LEADS = 1000;
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
  const url = `${ctx.worker.url}/hooks/whatsapp/${channel.id}`;
  const index = new Map(Array.from({ length: LEADS }, (_, i) => [waId(i), i]));
  const stats = async () =>
    ((await (await fetch(`${ctx.db.url}/_stats`)).json()) as { pipelineRequests: number }).pipelineRequests;
  // Prospect LEADS (not in `index`): its webhook warms the isolate and its auto-reply is sent before counting starts.
  const warm = await warmUp(
    async () => {
      const { body, signature } = inbound(template, LEADS);
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": signature },
        body,
      });
      await res.text();
    },
    async () => (await sentOfKind(ctx, ws.id, "auto_reply")) >= 1,
  );
  const warmSent = await sentOfKind(ctx, ws.id, "auto_reply");
  const before = await stats();
  // Why a webhook was not answered 200: its status and body, or the network error.
  const failures = new Map<string, number>();
  const run = await measureArrivals(ctx, {
    label: "speed to lead (WhatsApp)",
    total: LEADS,
    async send(i) {
      const { body, signature } = inbound(template, i);
      try {
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", "x-hub-signature-256": signature },
          body,
        });
        const answer = await res.text();
        if (res.status !== 200) {
          const why = `${res.status} ${answer.slice(0, 80)}`;
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
  // Includes the sends' own writes (claim, result) under waitUntil, as the form figure does not: the whole cost of a
  // lead. Divided by the leads whose auto-reply was sent by then (a queue still draining would otherwise flatter it).
  const requests = (await stats()) - before;
  const sentRows = (await sentOfKind(ctx, ws.id, "auto_reply")) - warmSent;
  const perLead = requests / Math.max(1, sentRows);
  return [
    {
      metric:
        `Speed to lead: WhatsApp inbound webhook → auto-reply received at the fake Graph API, p50 / p90 / ` +
        `p99 (${LEADS.toLocaleString("en")} leads)`,
      value: percentiles(run.latencies),
      how:
        `${LEADS} signed webhooks (the pywa text-message fixture, one new prospect each), concurrency ` +
        `${ctx.concurrency}, number connected ` +
        `through POST /api/v1/channels/whatsapp with an auto-reply; from sending the webhook to the fake receiving ` +
        `POST /<phone-number-id>/messages ` +
        `(waitUntil, no cron); ${run.received}/${LEADS} auto-replies received, ${run.missing} missing, ` +
        `${run.duplicated} duplicated, ${run.failed} webhooks failed${failedWhy(failures)}; ` +
        `auto_reply rows: ${await outboxStates(ctx, ws.id, "auto_reply")}`,
    },
    {
      metric: "libSQL pipeline requests per WhatsApp lead (webhook + its auto-reply send)",
      value: perLead.toFixed(2),
      how:
        "GET /_stats on the local server before and after the WhatsApp speed-to-lead run, divided by the leads " +
        `whose auto-reply was sent by then (${sentRows}): the hook's channel lookup with the delivery's reads, the ` +
        "capture's batch after the 200, the auto-reply's claim and result. Counted after one warm-up webhook " +
        `(${warm ? "its auto-reply sent first" : "not settled in 60 s: partly counted"}): the isolate reads the ` +
        "workspace's routing context and scoring rules once, shared by the captures in flight, then keeps them. " +
        "Each webhook's delayed safety-net copy reaches the queue consumer a minute later, after this count " +
        "when the run takes less than that",
    },
  ];
}

/** " (3× 503 …; 1× fetch failed …)", or nothing when every webhook was answered 200. */
const failedWhy = (failures: Map<string, number>) =>
  failures.size ? ` (${[...failures].map(([why, n]) => `${n}× ${why}`).join("; ")})` : "";
