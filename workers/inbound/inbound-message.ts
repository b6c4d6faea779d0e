import type { InboundChannel } from "../../db/schema";
import type { DomainContext } from "../domain/context";

/**
 * One verified webhook delivery on the inbound queue: its raw body (JSON text, exactly as signed), or the id
 * of the `inbound_delivery` row holding a body too large for a queue message.
 */
export type InboundMessage =
  | { channel: InboundChannel; channelId: string; body: string }
  | { channel: InboundChannel; channelId: string; stored: string };

export type InboundQueue = Queue<InboundMessage>;

/** The queue names in wrangler.toml: the consumer tells its batches apart by them. */
export const INBOUND_QUEUE = "leadrelay-inbound";
export const INBOUND_DEAD_LETTERS = "leadrelay-inbound-dlq";

/**
 * Handles, in order, the deliveries one channel received (raw bodies). Wired at the entry from the channel
 * folders, so the queue consumer and the cron sweep never import a channel. Throws a storage failure
 * (STORAGE_UNAVAILABLE) to have them all tried again; anything else a delivery cannot use is logged and dropped
 * by the channel, as the inline webhook does.
 */
export type InboundHandler = (ctx: DomainContext, channelId: string, bodies: string[]) => Promise<void>;

/** The channels whose webhooks may be queued, by kind (from the channel list at the entry). */
export type InboundHandlers = Readonly<Record<InboundChannel, InboundHandler | undefined>>;
