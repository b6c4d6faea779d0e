import { readFileSync } from "node:fs";
import { createClient } from "@libsql/client/web";
import { measureArrivals, outboxStates, percentiles, saturatedLoop, sentOfKind } from "./arrivals";
import { scenarioPoster } from "./keep-alive-post";
import type { BenchContext, ResultRow } from "./scenario";
import { seedBenchWorkspace } from "./seed";
import { connectTelegramReps } from "./telegram-reps";
import { warmUp } from "./warm-up";

const LEADS = 1000;
const REPS = 4;
/** A prospect's first private message (the project's own fixture). */
const FIXTURE = new URL("../test/fixtures/telegram/private_text.json", import.meta.url);

/** Prospect i's Telegram user (and private chat) id: clear of the reps' chat ids. */
const userId = (i: number) => 7_400_000_000 + i;

/**
 * A prospect's first Telegram message → the rep alert arriving at the fake Bot API, per lead: one update per
 * new user, named `TG <i>`, whose alert's first line repeats the name; that is how an arrival is matched.
 */
export async function measureSpeedToLeadTelegram(ctx: BenchContext): Promise<ResultRow[]> {
  const ws = await seedBenchWorkspace(ctx.worker.url, REPS);
  await connectTelegramReps(ctx.worker.url, ws, 720_000);
  const client = createClient({ url: ctx.db.url, intMode: "number" });
  let bot: { id: string; secret: string };
  try {
    const rs = await client.execute({
      sql: `SELECT id, config FROM channel WHERE workspace_id = ? AND kind = 'telegram'`,
      args: [ws.id],
    });
    const row = rs.rows[0];
    if (!row) throw new Error("bench: no Telegram channel after connecting the bot");
    bot = { id: String(row.id), secret: String(JSON.parse(String(row.config)).secretToken) };
  } finally {
    client.close();
  }

  const template = JSON.parse(readFileSync(FIXTURE, "utf8"));
  const base = Date.now() % 1_000_000_000;
  const url = `${ctx.worker.url}/hooks/telegram/${bot.id}`;
  // Why an update was not answered 200: its status and body, or the network error.
  const failures = new Map<string, number>();
  const stats = async () =>
    ((await (await fetch(`${ctx.db.url}/_stats`)).json()) as { pipelineRequests: number }).pipelineRequests;
  // The load client shares the 2 cores with what it measures: node:http, answers uncompressed (keep-alive-post.ts).
  const load = scenarioPoster(ctx.cleanup, ctx.concurrency);
  const hook = new URL(url);
  /** User i's first message, as Telegram would deliver it with the secret token setWebhook set. */
  const post = (i: number) => {
    const update = structuredClone(template);
    update.update_id = base + i;
    update.message.message_id = i + 1;
    update.message.from = { ...update.message.from, id: userId(i), first_name: `TG ${i}` };
    update.message.chat = { ...update.message.chat, id: userId(i), first_name: `TG ${i}` };
    update.message.date = Math.floor(Date.now() / 1000);
    return load.post(
      hook,
      {
        "content-type": "application/json",
        "accept-encoding": "identity",
        "x-telegram-bot-api-secret-token": bot.secret,
      },
      JSON.stringify(update),
    );
  };
  // User LEADS (outside the matched 0..LEADS-1): warms the isolate; its alert is sent before counting starts.
  const warm = await warmUp(
    async () => (await post(LEADS)).body,
    async () => (await sentOfKind(ctx, ws.id, "rep_alert")) >= 1,
  );
  const before = await stats();
  const fail = (why: string) => failures.set(why.slice(0, 120), (failures.get(why.slice(0, 120)) ?? 0) + 1);
  const run = await measureArrivals(ctx, {
    label: "speed to lead (Telegram)",
    total: LEADS,
    untilArrival: true,
    async send(i) {
      try {
        const res = await post(i);
        if (res.status !== 200) fail(`${res.status} ${res.body.slice(0, 80)}`);
        return res.status === 200;
      } catch (err) {
        fail(err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? "")}` : String(err));
        return false;
      }
    },
    match(call) {
      const m =
        call.api === "telegram" ? /^(?:HOT )?New lead \(telegram\): TG (\d+)\b/m.exec(String(call.body.text)) : null;
      return m ? Number(m[1]) : null;
    },
  });
  load.close();
  const requests = (await stats()) - before;
  return [
    {
      metric:
        `Speed to lead: Telegram message → rep alert received at the fake Bot API, p50 / p90 / p99 ` +
        `(${LEADS.toLocaleString("en")} leads, saturated: ${ctx.concurrency} in flight until alerted)`,
      value: percentiles(run.latencies),
      how:
        `${LEADS} webhook updates (the private-text fixture, one new user each; node:http, kept-alive sockets), ` +
        `${saturatedLoop(ctx.concurrency, "alert")}, ` +
        `${REPS} reps with chat ids, bot connected through POST /api/v1/channels/telegram; from sending the update ` +
        `to the fake receiving the alert's sendMessage (waitUntil, no cron); ${run.received}/${LEADS} alerts ` +
        `received, ${run.missing} missing, ${run.duplicated} duplicated, ${run.failed} updates failed` +
        `${failures.size ? ` (${[...failures].map(([why, n]) => `${n}× ${why}`).join("; ")})` : ""}; ` +
        `rep_alert rows: ${await outboxStates(ctx, ws.id, "rep_alert")}`,
    },
    {
      metric: "libSQL pipeline requests per Telegram lead (update + its rep alert and auto-reply sends)",
      value: (requests / Math.max(1, run.received)).toFixed(2),
      how:
        "GET /_stats on the local server before and after the Telegram speed-to-lead run, divided by the alerts " +
        `received (${run.received}): the hook's bot lookup with the update's reads, the capture's batch after the ` +
        "200 (with the conversation, its first question and the update's mark), one claim of the alert and the " +
        "question and their results. Counted after one warm-up update " +
        `(${warm ? "its alert sent first" : "not settled in 60 s: partly counted"}), as for WhatsApp. Each update's ` +
        "delayed safety-net copy reaches the queue consumer a minute later, after this count when the run takes " +
        "less than that",
    },
  ];
}
