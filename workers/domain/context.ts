import type { ChannelList } from "../channels/channel";
import type { Config } from "../config";
import type { Database } from "../db";
import type { InboundQueue } from "../inbound/inbound-message";
import type { ScheduleRetry } from "../outbox/retry-queue";
import type { RotationService } from "../routing/rotation-service";
import type { SlaClock } from "../routing/sla-clock";
import type { ImportsQueue } from "./imports/import-queue";

/** What every domain verb receives: no `env`, no request, so any transport (HTTP, bots, cron) can call it. */
export interface DomainContext {
  config: Config;
  /** The channels of this deployment (the list at the entry): the core writes to chat apps only through it. */
  channels: ChannelList;
  database: Database;
  now: () => number;
  rotation: RotationService;
  /** Arms the workspace's SLA alarm for a new deadline; absent = the cron sweep alone. */
  slaClock?: SlaClock | undefined;
  /** Work after the response (the outbox's immediate send); absent where nothing outlives the call. */
  waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
  /** Brings failed sends back at their retry time (a delayed queue message); absent: the cron job retries. */
  scheduleRetry?: ScheduleRetry | undefined;
  /** Takes verified webhook deliveries for the queue consumer; absent: the hooks handle them inline. */
  inbound?: InboundQueue | undefined;
  /** Runs a started CSV import chunk after chunk (a queue); absent: the page's script and the cron job do. */
  imports?: ImportsQueue | undefined;
}

export interface Actor {
  // "person": someone signed in to the console (id = person id); "api": an API key (id = key id).
  type: "system" | "owner" | "rep" | "prospect" | "api" | "person";
  id?: string | null;
}

export interface WorkspaceRef {
  id: string;
  defaultCountry: string;
}

/** What a workspace-scoped verb receives: the context and the caller's workspace, which every query filters by. */
export interface Scope {
  ctx: DomainContext;
  workspace: WorkspaceRef;
}
