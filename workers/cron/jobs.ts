import { drainUnassigned, workspacesWithQueue } from "../domain/routing/unassigned-queue";
import { dailyDigest } from "./daily-digest";
import type { CronJob } from "./job";
import { pruneAuthRows } from "./prune-auth-rows";
import { resumeImports } from "./resume-imports";
import { scheduleSequenceSteps } from "./schedule-sequence-steps";
import { sendDueOutbox } from "./send-due-outbox";
import { slaSweep } from "./sla-sweep";

// Workspaces whose queue one tick drains; the rest wait a minute (any capacity change drains at once anyway).
const QUEUE_WORKSPACES_PER_TICK = 50;

/**
 * The safety net of the unassigned queue: whatever no trigger placed (working hours that began, a missed
 * drain) is handed out within a minute.
 */
const unassignedQueueJob: CronJob = {
  name: "unassigned-queue",
  async run({ ctx }) {
    let assigned = 0;
    let waiting = 0;
    for (const ws of await workspacesWithQueue(ctx, QUEUE_WORKSPACES_PER_TICK)) {
      const r = await drainUnassigned(ctx, ws);
      assigned += r.assigned;
      waiting += r.waiting;
    }
    return { assigned, waiting };
  },
};

/** The SLA sweep (reassign or escalate leads nobody picked up) as a cron job. */
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
  unassignedQueueJob,
  // SLA sweep: reassignments and escalations; their alerts are outbox rows sent at once, or by `sendDueOutbox`.
  slaSweepJob,
  dailyDigest,
  pruneAuthRows,
  // Before the sends: an import that asked to notify writes its alerts and auto-replies for this tick to send.
  resumeImports,
  sendDueOutbox,
];
