import { dailyDigest } from "./daily-digest";
import type { CronJob } from "./job";
import { scheduleSequenceSteps } from "./schedule-sequence-steps";
import { sendDueOutbox } from "./send-due-outbox";

/**
 * Every cron tick runs these in order. Jobs that create outbox rows come first, so the rows they
 * write go out in the same tick through `sendDueOutbox`, which stays last.
 */
export const CRON_JOBS: CronJob[] = [
  scheduleSequenceSteps,
  // SLA sweep slot: the Distribution issue adds `slaSweep` (escalations as outbox rows) here.
  dailyDigest,
  sendDueOutbox,
];
