import { DurableObject } from "cloudflare:workers";
import type { ChannelList } from "../channels/channel";
import { parseConfig } from "../config";
import { nextSlaDue, SLA_SWEEP_BATCH, slaSweep } from "../cron/sla-sweep";
import { openDatabase } from "../db";
import type { DomainContext } from "../domain/context";
import { rotationService } from "./rotation-service";
import { slaClock } from "./sla-clock";

// Sweeps per alarm before it yields (and re-arms at once): bounded like any one invocation.
const MAX_SWEEPS = 20;

/**
 * One per workspace: an alarm at the workspace's earliest first-response deadline, so a lapsed lead moves
 * on within seconds rather than at the next cron minute, and a workspace with a thousand overdue leads has
 * its own alarm, never delaying another's. The cron sweep stays as the safety net. A class per channel
 * list: its sweeps alert reps through the deployment's channels.
 */
export function slaTimerFor(channels: ChannelList) {
  return class SlaTimer extends DurableObject<Env> {
    /** Fires no later than `dueAt`; answers the alarm time now set. */
    async arm(workspaceId: string, dueAt: number): Promise<number> {
      await this.ctx.storage.put("workspaceId", workspaceId);
      const current = await this.ctx.storage.getAlarm();
      if (current !== null && current <= dueAt) return current;
      await this.ctx.storage.setAlarm(dueAt);
      return dueAt;
    }

    override async alarm(): Promise<void> {
      const workspaceId = await this.ctx.storage.get<string>("workspaceId");
      if (!workspaceId) return;
      const parsed = parseConfig(this.env as unknown as Record<string, unknown>);
      if (!parsed.ok) throw new Error(`Worker misconfigured: ${parsed.issues.join("; ")}`);
      const ctx: DomainContext = {
        config: parsed.config,
        channels,
        database: openDatabase(parsed.config),
        now: Date.now,
        rotation: rotationService(this.env.ROTATION),
        slaClock: slaClock(this.env.SLA_TIMER),
        waitUntil: (p) => this.ctx.waitUntil(p),
      };
      for (let i = 0; i < MAX_SWEEPS; i++) {
        const { checked } = await slaSweep(ctx, Date.now(), workspaceId);
        if (checked < SLA_SWEEP_BATCH) break;
      }
      // A throw above leaves no alarm set here: the platform retries this one with backoff.
      const next = await nextSlaDue(ctx, workspaceId);
      if (next !== null) await this.ctx.storage.setAlarm(Math.max(next, Date.now() + 1_000));
    }
  };
}

/** The instance type (for `DurableObjectNamespace<SlaTimer>`), whatever the channel list. */
export type SlaTimer = InstanceType<ReturnType<typeof slaTimerFor>>;
