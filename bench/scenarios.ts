import { measureCappedFairness } from "./capped-fairness";
import { measureConsolePages } from "./console-pages";
import { measureCronTick } from "./cron-tick-worker";
import { measureRetryPunctuality } from "./retry-punctuality";
import { measureFairness } from "./round-robin-fairness";
import type { Scenario } from "./scenario";
import { measureServerInsert } from "./server-insert";
import { measureSlaLatency } from "./sla-latency";
import { measureSpeedToLead } from "./speed-to-lead";
import { measureSpeedToLeadTelegram } from "./speed-to-lead-telegram";
import { measureSpeedToLeadWhatsapp } from "./speed-to-lead-whatsapp";
import { measureWhatsappBatch } from "./whatsapp-batch";

/**
 * Scenarios beyond capture/raw INSERT/start-up/bundle, including those waiting for their feature. When the feature
 * lands, give the scenario a `run` (it receives the running stack, the seeded workspace and its reps) and drop
 * `pending`; the report picks it up. run.ts starts the fake Bot API and Graph API (test/support/fake-apis.ts, loopback)
 * and points every bench Worker at them (`ctx.fake`, `ctx.vars`).
 */
export const scenarios: Scenario[] = [
  {
    id: "speed-to-lead-form",
    title: "Speed to lead: form POST → rep alert received at a fake Telegram Bot API (p50 / p90 / p99, ≥ 1,000 leads)",
    plan: "TELEGRAM_API_ROOT → a loopback fake that timestamps each sendMessage; latency = alert received − POST sent",
    run: measureSpeedToLead,
  },
  {
    id: "speed-to-lead-whatsapp",
    title: "Speed to lead: WhatsApp inbound webhook → auto-reply received at a fake Graph API (p50 / p90 / p99)",
    plan: "signed fixture webhooks from test/fixtures; WHATSAPP_GRAPH_URL → a loopback fake timestamping /messages",
    run: measureSpeedToLeadWhatsapp,
  },
  {
    id: "speed-to-lead-telegram",
    title: "Speed to lead: a prospect's Telegram message → rep alert received at a fake Bot API (p50 / p90 / p99)",
    plan: "one webhook update per new user (test/fixtures), secret token as setWebhook set it; alerts matched by name",
    run: measureSpeedToLeadTelegram,
  },
  {
    id: "whatsapp-batch",
    title: "WhatsApp batched delivery: time to answer webhooks holding many first messages, then exactly-once",
    plan: "10 signed POSTs of 200 new prospects and one of 1,000; time to each 200, then the queue drained and counted",
    run: measureWhatsappBatch,
  },
  {
    id: "round-robin-fairness",
    title: "Round-robin fairness under 1,000 concurrent captures",
    plan: "4 equal-weight reps: max − min assignments per rep, and no lead assigned twice",
    run: measureFairness,
  },
  {
    id: "retry-punctuality",
    title: "Retry punctuality: a 429 with retry_after=3 → the resend, through the retry queue",
    plan: "fake Bot API answers each rep chat's first alert with 429 retry_after=3; time to the second call",
    run: measureRetryPunctuality,
  },
  {
    id: "server-insert",
    title: "Local libSQL server: single-row INSERT requests/s beside the same engine in-process",
    plan:
      "fresh server process + file; @libsql/client/web at the bench concurrency (kept-alive node:net fetch, then " +
      "Node's fetch), then libsql in-process on the same file",
    run: measureServerInsert,
  },
  {
    id: "capped-fairness",
    title: "Caps and weights under 1,000 captures (200 in flight), and the unassigned queue draining",
    plan:
      "5 reps 1:1:2:3:3 with caps = shares: cap overshoot, share error, unassigned; then queue drain time after " +
      "closing leads and after raising caps",
    run: measureCappedFairness,
  },
  {
    id: "sla-latency",
    title: "SLA latency: first-response deadline → reassignment alert received at a fake Telegram Bot API",
    plan: "200 leads at 5/s into a 1-minute SLA pool, nobody claims; from each slaDueAt to its hand-over alert",
    run: measureSlaLatency,
  },
  {
    id: "cron-tick",
    title: "Cron tick time, 1,000 due rows among 1,000 vs 100,000 leads",
    plan: "seed outbox rows directly in libSQL, fire /cdn-cgi/handler/scheduled, time until the due rows are done",
    run: measureCronTick,
  },
  {
    id: "console-pages",
    title: "Owner console server time with 10,000 leads: list, board, overview (goal < 300 ms each)",
    plan: "10,000 leads seeded in libSQL; median of 10 signed-in GETs per page after a warm-up",
    run: measureConsolePages,
  },
];
