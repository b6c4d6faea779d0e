import type { InboundChannel } from "../../db/schema";
import type { DomainContext } from "../domain/context";
import { AppError, toAppError } from "../errors";
import type { InboundHandlers, InboundMessage } from "./inbound-message";

// A failed delivery comes back after 1, 2, 4 … s, at most 10 minutes apart (wrangler.toml caps the attempts;
// then the dead-letter queue parks it for the cron sweep).
const retryDelay = (attempts: number) => Math.min(600, 2 ** Math.max(0, attempts - 1));

interface Group {
  channel: InboundChannel;
  channelId: string;
  messages: Message<InboundMessage>[];
  bodies: string[];
  stored: string[];
}

/**
 * The inbound queue's consumer. A batch's deliveries are grouped by channel, keeping their order, and each
 * channel's handler gets all of them at once: a contact's messages are handled in the order they arrived,
 * also when two deliveries of the same contact share a batch. Channels run side by side. A group that meets a
 * storage failure (or a bug) is retried as a whole with backoff — handling is idempotent by message and
 * update id, so what the first try stored is not doubled. A stored delivery's row is deleted once handled.
 */
export async function consumeInbound(
  ctx: DomainContext,
  handlers: InboundHandlers,
  batch: MessageBatch<InboundMessage>,
): Promise<void> {
  const storedIds = batch.messages.flatMap((m) => ("stored" in m.body ? [m.body.stored] : []));
  const storedBodies = new Map<string, string>();
  if (storedIds.length > 0) {
    try {
      const rs = await ctx.database.client.execute({
        sql: `SELECT id, body FROM inbound_delivery WHERE id IN (SELECT value FROM json_each(?))`,
        args: [JSON.stringify(storedIds)],
      });
      for (const r of rs.rows) storedBodies.set(String(r.id), String(r.body));
    } catch (err) {
      logFailure("inbound.load", err);
      for (const m of batch.messages) m.retry({ delaySeconds: retryDelay(m.attempts) });
      return;
    }
  }
  const groups = new Map<string, Group>();
  for (const m of batch.messages) {
    const { channel, channelId } = m.body;
    const body = "stored" in m.body ? storedBodies.get(m.body.stored) : m.body.body;
    // A stored delivery whose row is gone was handled already (by an earlier try or the cron sweep).
    if (body === undefined) {
      m.ack();
      continue;
    }
    const key = `${channel}:${channelId}`;
    const group = groups.get(key) ?? { channel, channelId, messages: [], bodies: [], stored: [] };
    group.messages.push(m);
    group.bodies.push(body);
    if ("stored" in m.body) group.stored.push(m.body.stored);
    groups.set(key, group);
  }
  await Promise.all(
    [...groups.values()].map(async (group) => {
      try {
        await handleGroup(ctx, handlers, group);
        for (const m of group.messages) m.ack();
      } catch (err) {
        const appErr = toAppError(err);
        logFailure("inbound.consume", appErr, group.channelId);
        // A 4xx-kind error would fail the same way again: dropped with the log line above.
        if (appErr.status < 500) for (const m of group.messages) m.ack();
        else for (const m of group.messages) m.retry({ delaySeconds: retryDelay(m.attempts) });
      }
    }),
  );
}

/** One channel's deliveries through its handler, then the stored rows they came from are dropped. */
export async function handleGroup(
  ctx: DomainContext,
  handlers: InboundHandlers,
  group: Pick<Group, "channel" | "channelId" | "bodies" | "stored">,
): Promise<void> {
  const handle = handlers[group.channel];
  // A kind this deployment no longer speaks: nothing can handle it, now or later (logged, then acknowledged).
  if (!handle) throw new AppError("BAD_REQUEST", `No channel handles queued "${group.channel}" deliveries.`);
  await handle(ctx, group.channelId, group.bodies);
  if (group.stored.length === 0) return;
  try {
    await ctx.database.client.execute({
      sql: `DELETE FROM inbound_delivery WHERE id IN (SELECT value FROM json_each(?))`,
      args: [JSON.stringify(group.stored)],
    });
  } catch (err) {
    throw toAppError(err);
  }
}

/**
 * The dead-letter queue's consumer: a delivery that failed every attempt is stored as an `inbound_delivery`
 * row (keyed by the queue message, so a redelivery stores nothing twice), which the cron sweep retries every
 * minute from then on. If even that write fails, the message is retried later (up to an hour apart).
 */
export async function parkDeadLetters(ctx: DomainContext, batch: MessageBatch<InboundMessage>): Promise<void> {
  const rows = batch.messages.flatMap((m) =>
    "body" in m.body
      ? [{ id: `dlq-${m.id}`, channel: m.body.channel, channelId: m.body.channelId, body: m.body.body }]
      : [],
  );
  try {
    if (rows.length > 0)
      await ctx.database.client.execute({
        sql: `INSERT INTO inbound_delivery (id, channel_id, channel, body, received_at)
              SELECT d.value ->> 'id', d.value ->> 'channelId', d.value ->> 'channel', d.value ->> 'body', ?
              FROM json_each(?) d JOIN channel c ON c.id = d.value ->> 'channelId'
              WHERE true ON CONFLICT DO NOTHING`,
        args: [ctx.now(), JSON.stringify(rows)],
      });
    // A stored delivery's row is still there: the sweep finds it without help.
    batch.ackAll();
  } catch (err) {
    logFailure("inbound.park", err);
    for (const m of batch.messages) m.retry({ delaySeconds: Math.min(3600, 60 * 2 ** Math.max(0, m.attempts - 1)) });
  }
}

function logFailure(job: string, err: unknown, channel?: string) {
  console.error(JSON.stringify({ job, channel, error: err instanceof Error ? err.message : String(err) }));
}
