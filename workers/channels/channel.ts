import type { Config } from "../config";
import type { LeadActionsRef } from "../domain/leads/lead-action-names";
import type { App } from "../http/app";
import type { InboundHandler, InboundHandlers } from "../inbound/inbound-message";
import type { Sender } from "../outbox/sender";

/**
 * How the core writes to a prospect on a channel without naming it: SQL over the lead row `l`
 * (prospectRoute, a new lead's auto-reply).
 */
export interface ProspectReach {
  /** The prospect's address here (chat id, phone id, …); NULL when they never wrote on this channel. */
  recipient: string;
  /** The bot or number that answers them: the one they last wrote to, else the workspace's first; NULL = none. */
  channel: string;
}

/**
 * How the core writes to a rep on a channel (lead alerts, escalations): SQL over the rep row `r`. `channel` may
 * use `:channelId`, the bot or number the lead's prospect wrote to, for channels that answer from it.
 */
export interface RepReach {
  /**
   * True when the rep has an address here. Over the rep row only: a capture on a current routing context trusts
   * the answer it read (a change to the rep moves the workspace's routing version).
   */
  reachable: string;
  recipient: string;
  /** The bot or number that writes to the rep; NULL when the workspace has none that can. */
  channel: string;
}

/**
 * A chat platform as one module (its folder under bots/, or a test's): everything the core needs to know
 * about it, so adding one edits no shared file but the list at the entry. The core (domain, outbox, cron)
 * reaches channels only through this list, on `DomainContext.channels`.
 */
export interface Channel {
  /** Stored in `channel.kind` and `outbox.sender`; unique in the list. */
  readonly kind: string;
  /**
   * Its webhook route(s) under /hooks/: authenticate, read the body with a limit, dedupe by the platform's ids,
   * then call the channel's handler, which turns a prospect's message into `captureLead` input and a rep's into a
   * reply or an action. Registered at start-up: a webhook may be the first request a cold isolate serves.
   */
  hooks(app: App): void;
  /**
   * Its owner API routes (under /api/: connect and list its bots or numbers), registered on the owner app when
   * that is built, on the first /api or /app request of an isolate (workers/http/owner-app.ts).
   */
  ownerRoutes?(app: App): void;
  /** Its outbox sender: sends, classifies the platform's answer, honours its limits and messaging window. */
  sender(config: Config): Sender;
  /**
   * Handles queued webhook deliveries (raw bodies, in arrival order) when its webhook route queues them
   * (workers/inbound/); absent when its webhooks are always handled inline.
   */
  inbound?: InboundHandler;
  /** A lead's neutral actions as this platform's buttons (what its sender attaches to an alert). */
  renderActions(ref: LeadActionsRef): unknown;
  /**
   * Messaging-window rule, for platforms that allow free text only for a while after the recipient's last
   * message (WhatsApp: 24 hours). `lastInbound` is SQL over the outbox row `o`: when the recipient last wrote to
   * its sending channel. Absent: always open.
   */
  window?: { lastInbound: string; isOpen(lastInboundAt: number | null, now: number): boolean };
  /** How prospects are answered here; absent when prospects never write on it. */
  prospect?: ProspectReach;
  /** How reps are alerted here; absent when reps never work leads on it. Earlier channels in the list win. */
  rep?: RepReach;
}

/** Every channel the deployment speaks, in order of preference for reaching a rep. */
export type ChannelList = readonly Channel[];

export function channelOfKind(channels: ChannelList, kind: string): Channel | undefined {
  return channels.find((c) => c.kind === kind);
}

/** The queue consumer's and the cron sweep's view of the list: each channel's handler for queued deliveries. */
export function inboundHandlers(channels: ChannelList): InboundHandlers {
  return Object.fromEntries(channels.flatMap((c) => (c.inbound ? [[c.kind, c.inbound]] : [])));
}
