import { type ChannelList, inboundHandlers } from "./channels/channel";
import { type Config, parseConfig } from "./config";
import { CRON_JOBS } from "./cron/jobs";
import { runCron } from "./cron/run-cron";
import { sweepInbound } from "./cron/sweep-inbound";
import { openDatabase } from "./db";
import { consumeImportChunks, IMPORTS_QUEUE, type ImportMessage } from "./domain/imports/import-queue";
import { createApp } from "./http/create-app";
import { consumeInbound, parkDeadLetters } from "./inbound/consume-inbound";
import { INBOUND_DEAD_LETTERS, INBOUND_QUEUE, type InboundMessage } from "./inbound/inbound-message";
import { consumeOutboxRetries, type OutboxRetryMessage, queueRetries } from "./outbox/retry-queue";
import { rotationService } from "./routing/rotation-service";
import { slaClock } from "./routing/sla-clock";
import { slaTimerFor } from "./routing/sla-timer-do";

type App = ReturnType<typeof createApp>;

function badEnvironment(issues: string[]): Response {
  return Response.json(
    { error: { code: "BAD_ENVIRONMENT", message: `Worker misconfigured: ${issues.join("; ")}`, requestId: "none" } },
    { status: 500 },
  );
}

/**
 * The Worker for a list of channels: `fetch`, `scheduled` and `queue`, and the SLA timer Durable Object
 * class, all handing the same list to the app (routes), the outbox (senders) and cron. The entry
 * (workers/index.ts) is this with the shipped channels; a test entry may add its own.
 */
export function workerFor(channels: ChannelList) {
  const inbound = inboundHandlers(channels);
  // Stored deliveries nobody handled are swept before the outbox job, so their rows go out in the same tick.
  const jobs = [...CRON_JOBS.slice(0, -1), sweepInbound(inbound), ...CRON_JOBS.slice(-1)];
  // The env object is stable for the life of an isolate; the app is built once per env, not per request.
  const apps = new WeakMap<object, { app: App; config: Config } | { issues: string[] }>();

  function appFor(env: Env) {
    let entry = apps.get(env);
    if (!entry) {
      const parsed = parseConfig(env as unknown as Record<string, unknown>);
      entry = parsed.ok
        ? { app: createApp(parsed.config, channels), config: parsed.config }
        : { issues: parsed.issues };
      apps.set(env, entry);
    }
    return entry;
  }

  const handler = {
    fetch(request, env, ctx) {
      const entry = appFor(env);
      if ("issues" in entry) return badEnvironment(entry.issues);
      return entry.app.fetch(request, env, ctx);
    },
    async scheduled(controller, env) {
      const entry = appFor(env);
      if ("issues" in entry) throw new Error(`Worker misconfigured: ${entry.issues.join("; ")}`);
      // The tick's own time, not Date.now(): tests drive the clock through `scheduledTime`.
      const tickTime = () => controller.scheduledTime;
      await runCron(entry.config, channels, controller.scheduledTime, rotationService(env.ROTATION), jobs, {
        scheduleRetry: queueRetries(env.OUTBOX_RETRY, tickTime),
        imports: env.IMPORTS,
      });
    },
    async queue(batch, env, executionCtx) {
      const entry = appFor(env);
      if ("issues" in entry) throw new Error(`Worker misconfigured: ${entry.issues.join("; ")}`);
      const { config } = entry;
      const scheduleRetry = queueRetries(env.OUTBOX_RETRY, Date.now);
      const ctx = {
        config,
        channels,
        database: openDatabase(config),
        now: Date.now,
        rotation: rotationService(env.ROTATION),
        slaClock: slaClock(env.SLA_TIMER),
        // A consumed delivery's auto-reply and alerts go out as a webhook's would: right after, in this invocation.
        waitUntil: (p: Promise<unknown>) => executionCtx.waitUntil(p),
        scheduleRetry,
        imports: env.IMPORTS,
      };
      // Queue names as in wrangler.toml.
      if (batch.queue === INBOUND_DEAD_LETTERS) await parkDeadLetters(ctx, batch as MessageBatch<InboundMessage>);
      else if (batch.queue === INBOUND_QUEUE) await consumeInbound(ctx, inbound, batch as MessageBatch<InboundMessage>);
      else if (batch.queue === IMPORTS_QUEUE) await consumeImportChunks(ctx, batch as MessageBatch<ImportMessage>);
      else await consumeOutboxRetries(ctx, batch as MessageBatch<OutboxRetryMessage>);
    },
  } satisfies ExportedHandler<Env>;

  return { handler, SlaTimer: slaTimerFor(channels) };
}
