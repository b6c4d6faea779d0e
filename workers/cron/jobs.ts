import { dailyDigest } from "./daily-digest";
import type { CronJob } from "./job";
import { scheduleSequenceSteps } from "./schedule-sequence-steps";
import { sendDueOutbox } from "./send-due-outbox";
import { slaSweep } from "./sla-sweep";

/** The Distribution issue's SLA sweep (reassign or escalate leads nobody picked up) as a cron job. */
const slaSweepJob: CronJob = {
  name: "sla-sweep",
  async run({ ctx }) {
    const { checked, outcomes } = await slaSweep(ctx, ctx.now());
    return {
      checked,
      reassigned: outcomes.filter((o) => o.kind === "reassigned").length,
      escalated: outcomes.filter((o) => o.kind === "escalated").length,
    };
  },
};

/**
 * Every cron tick runs these in order. Jobs that create outbox rows come first, so the rows they
 * write go out in the same tick through `sendDueOutbox`, which stays last.
 */
export const CRON_JOBS: CronJob[] = [
  scheduleSequenceSteps,
  // SLA sweep: reassignments and escalations (their chat alerts become outbox rows with the Telegram issue).
  slaSweepJob,
  dailyDigest,
  sendDueOutbox,
];
