import type { SenderKind } from "../../db/schema";
import { claimDue, reapExhausted } from "../outbox/claim";
import { addReport, deliverClaimed } from "../outbox/deliver";
import type { CronJob } from "./job";

// Per tick at most 4 × 50 sends: inside the Workers subrequest limit (1,000 on older paid plans,
// 10,000 now) and the 30 s CPU budget of a per-minute cron, with room for the other jobs.
export const OUTBOX_CLAIM_BATCH = 50;
export const OUTBOX_MAX_BATCHES = 4;

/** Claims due rows (lease) and sends them, batch after batch, until none are due or the bound is hit. */
export const sendDueOutbox: CronJob = {
  name: "send-due-outbox",
  async run({ ctx, senders }) {
    const kinds = Object.keys(senders) as SenderKind[];
    const total = { claimed: 0, sent: 0, retried: 0, failed: 0, skipped: 0, held: 0, dead: await reapExhausted(ctx) };
    for (let i = 0; i < OUTBOX_MAX_BATCHES; i++) {
      const rows = await claimDue(ctx, kinds, OUTBOX_CLAIM_BATCH);
      total.claimed += rows.length;
      addReport(total, await deliverClaimed(ctx, senders, rows));
      if (rows.length < OUTBOX_CLAIM_BATCH) break;
    }
    return total;
  },
};
