import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { median } from "./load";
import type { BenchContext, ResultRow } from "./scenario";
import { seedBenchWorkspace } from "./seed";

const MESSAGES = 200;
const RUNS = 3;
const PHONE_NUMBER_ID = "106540352242923";
const APP_SECRET = "bench-batch-secret-0123456789";
const FIXTURE = new URL("../test/fixtures/whatsapp/message_text.json", import.meta.url);

/**
 * Meta batches up to 1,000 updates in one POST and waits for the answer: the time to a 200 for one delivery
 * of 200 first messages from 200 new prospects (each a lead: capture, routing, auto-reply row), signed.
 */
export async function measureWhatsappBatch(ctx: BenchContext): Promise<ResultRow[]> {
  const ws = await seedBenchWorkspace(ctx.worker.url, 4);
  const connected = await fetch(`${ctx.worker.url}/api/v1/channels/whatsapp`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ws.key}` },
    body: JSON.stringify({
      phoneNumberId: PHONE_NUMBER_ID,
      accessToken: "EAAbenchBATCHtoken0123456789",
      appSecret: APP_SECRET,
      verifyToken: "bench-verify-token",
      autoReplyText: "Thanks {name}!",
    }),
  });
  const channel = (await connected.json()) as { id?: string };
  if (connected.status !== 201 || !channel.id)
    throw new Error(`bench: connect number: ${connected.status} ${JSON.stringify(channel)}`);
  const template = JSON.parse(readFileSync(FIXTURE, "utf8"));
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    ctx.progress.update("WhatsApp batch", `run ${run + 1}/${RUNS}: ${MESSAGES} messages in one delivery`);
    const u = structuredClone(template);
    const value = u.entry[0].changes[0].value;
    value.metadata.phone_number_id = PHONE_NUMBER_ID;
    const contact = value.contacts[0];
    const message = value.messages[0];
    value.contacts = [];
    value.messages = [];
    for (let i = 0; i < MESSAGES; i++) {
      const wa = `1555${String(run * 100_000 + 5_000_000 + i).padStart(7, "0")}`;
      value.contacts.push({
        ...contact,
        wa_id: wa,
        user_id: `US.batch${run}x${i}`,
        profile: { name: `Batch ${run}-${i}` },
      });
      value.messages.push({
        ...message,
        from: wa,
        id: `wamid.BATCH${run}x${i}x${Date.now()}`,
        timestamp: String(Math.floor(Date.now() / 1000)),
      });
    }
    const body = JSON.stringify(u);
    const signature = `sha256=${createHmac("sha256", APP_SECRET).update(body).digest("hex")}`;
    const t0 = performance.now();
    const res = await fetch(`${ctx.worker.url}/hooks/whatsapp/${channel.id}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signature },
      body,
    });
    const report = await res.text();
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`bench: batched delivery answered ${res.status} ${report.slice(0, 300)}`);
  }
  return [
    {
      metric: `WhatsApp batched delivery: ${MESSAGES} first messages in one webhook → 200 (median of ${RUNS})`,
      value: `${median(times).toFixed(0)} ms`,
      how:
        `runs: ${times.map((t) => t.toFixed(0)).join(", ")} ms; one signed POST holding ${MESSAGES} new prospects ` +
        `(each captured, routed, auto-reply queued), answered only once all is stored`,
    },
  ];
}
