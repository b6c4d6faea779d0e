import { median } from "./load";
import type { BenchContext, ResultRow } from "./scenario";
import { seedBenchWorkspace } from "./seed";

const LEADS = 10;
const RETRY_AFTER_S = 3;

/**
 * A rep alert refused with 429 `retry_after: 3`, and when it comes back: the time between the refused
 * call and the next one for the same lead at the fake Bot API. Each lead goes to its own rep (round robin
 * over as many reps as leads), whose chat the fake answers once with the 429. wrangler dev fires no cron,
 * so a resend can only come from the retry queue.
 */
export async function measureRetryPunctuality(ctx: BenchContext): Promise<ResultRow[]> {
  const ws = await seedBenchWorkspace(ctx.worker.url, LEADS);
  const chats = ws.repIds.map((_, i) => String(710_000 + i));
  for (const [i, id] of ws.repIds.entries()) {
    const res = await fetch(`${ctx.worker.url}/api/v1/reps/${id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", authorization: `Bearer ${ws.key}` },
      body: JSON.stringify({ telegramChatId: chats[i] }),
    });
    if (res.status !== 200) throw new Error(`bench: PATCH rep ${id}: ${res.status} ${await res.text()}`);
    await fetch(`${ctx.fake.url}/_script`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ recipient: chats[i], responses: [`telegram_429_after_${RETRY_AFTER_S}s`] }),
    });
  }
  const connected = await fetch(`${ctx.worker.url}/api/v1/channels/telegram`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ws.key}` },
    body: JSON.stringify({ token: "7000002:BENCHbenchBENCHbench0002" }),
  });
  if (connected.status !== 201)
    throw new Error(`bench: POST /api/v1/channels/telegram: ${connected.status} ${await connected.text()}`);

  const arrivals = new Map<number, number[]>();
  const stop = ctx.fake.listen((call) => {
    const m = call.api === "telegram" ? /New lead \(form\): Retry (\d+)\b/.exec(String(call.body.text)) : null;
    if (m) arrivals.set(Number(m[1]), [...(arrivals.get(Number(m[1])) ?? []), performance.now()]);
  });
  try {
    for (let i = 0; i < LEADS; i++) {
      const res = await fetch(`${ctx.worker.url}/f/${ws.formKey}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: `Retry ${i}`, email: `retry-${i}@bench.test` }),
      });
      await res.arrayBuffer();
    }
    // Bounded: at most 300 × 100 ms for every lead's second call.
    for (let i = 0; i < 300 && [...arrivals.values()].filter((a) => a.length >= 2).length < LEADS; i++) {
      ctx.progress.update(
        "retry punctuality",
        `${[...arrivals.values()].filter((a) => a.length >= 2).length}/${LEADS} resent`,
      );
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    stop();
  }
  const gaps = [...arrivals.values()].filter((a) => a.length >= 2).map((a) => (a[1]! - a[0]!) / 1000);
  const onTime = gaps.filter((g) => g >= RETRY_AFTER_S && g <= RETRY_AFTER_S + 1).length;
  return [
    {
      metric:
        `Retry punctuality: rep alert refused with 429 retry_after=${RETRY_AFTER_S} → resent after (median; ` +
        `min–max)`,
      value: gaps.length
        ? `${median(gaps).toFixed(2)} s (${Math.min(...gaps).toFixed(2)}–${Math.max(...gaps).toFixed(2)} s)`
        : "none resent",
      how:
        `${LEADS} form leads, each to its own rep whose chat the fake answers once with 429; ` +
        `${gaps.length}/${LEADS} resent, ${onTime} within ${RETRY_AFTER_S}–${RETRY_AFTER_S + 1} s; no cron ` +
        `(wrangler dev), so every resend came from the retry queue`,
    },
  ];
}
