import type { SlaTimer } from "./sla-timer-do";

/** How domain verbs ask for an SLA deadline to fire on time; absent (tests, scripts) = the cron sweep only. */
export interface SlaClock {
  arm(workspaceId: string, dueAt: number): Promise<void>;
}

// Per isolate: the earliest alarm this isolate knows is set per workspace. While it is still ahead and no
// later than a new deadline, that alarm will fire first and re-arm for the next due lead: no call needed.
const armed = new Map<string, number>();

export function slaClock(
  namespace: DurableObjectNamespace<SlaTimer> | undefined,
  now: () => number = Date.now,
): SlaClock | undefined {
  if (!namespace) return undefined;
  return {
    async arm(workspaceId, dueAt) {
      const known = armed.get(workspaceId);
      if (known !== undefined && known > now() && known <= dueAt) return;
      const at = await namespace.get(namespace.idFromName(workspaceId)).arm(workspaceId, dueAt);
      armed.set(workspaceId, at);
    },
  };
}

/**
 * After a write that set a deadline: arm the alarm without holding up the answer. A failure is only
 * logged — the cron sweep still catches the deadline within a minute.
 */
export function armSlaSoon(
  ctx: { slaClock?: SlaClock | undefined; waitUntil?: ((p: Promise<unknown>) => void) | undefined },
  workspaceId: string,
  dueAt: number | null | undefined,
): void {
  if (dueAt === null || dueAt === undefined || !ctx.slaClock || !ctx.waitUntil) return;
  ctx.waitUntil(
    ctx.slaClock.arm(workspaceId, dueAt).catch((err: unknown) => {
      console.warn(
        JSON.stringify({
          slaTimer: "arm failed",
          workspaceId,
          error: err instanceof Error ? err.message : String(err),
        }),
      );
    }),
  );
}
