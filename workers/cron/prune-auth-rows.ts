import { SESSION_IDLE_MS, SESSION_MAX_MS } from "../domain/team/sessions";
import type { CronJob } from "./job";

// Rows deleted per table per tick: a backlog drains over a few minutes without one long write.
export const PRUNE_BATCH = 500;
// The longest throttle window (sign-ups per IP, one hour): a counter older than that counts nothing.
export const THROTTLE_KEEP_MS = 3_600_000;

/**
 * Sessions that can no longer sign anyone in (idle too long or past their maximum age) and throttle
 * counters whose window has passed. Sign-in already refuses such sessions; this keeps the tables small.
 */
export const pruneAuthRows: CronJob = {
  name: "prune-auth-rows",
  async run({ ctx }) {
    const now = ctx.now();
    const [sessions, throttles] = await ctx.database.client.batch(
      [
        {
          sql: `DELETE FROM session WHERE id IN (SELECT id FROM session
                  WHERE last_seen_at <= :idle OR created_at <= :max LIMIT :limit)`,
          args: { idle: now - SESSION_IDLE_MS, max: now - SESSION_MAX_MS, limit: PRUNE_BATCH },
        },
        {
          sql: `DELETE FROM auth_throttle WHERE key IN (SELECT key FROM auth_throttle
                  WHERE window_start <= :old LIMIT :limit)`,
          args: { old: now - THROTTLE_KEEP_MS, limit: PRUNE_BATCH },
        },
      ],
      "write",
    );
    return { sessions: sessions!.rowsAffected, throttles: throttles!.rowsAffected };
  },
};
