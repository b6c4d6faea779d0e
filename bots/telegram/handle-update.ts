import { BotError } from "grammy";
import type { Update } from "grammy/types";
import type { TelegramChannel } from "../../workers/domain/channels/telegram-channels";
import type { DomainContext, WorkspaceRef } from "../../workers/domain/context";
import type { InboundHandler } from "../../workers/inbound/inbound-message";
import { createBot } from "./create-bot";
import { UpdateDone } from "./update-done";
import { findBotWithSeen, type UpdateRead, updateSeenStatement } from "./update-read";

/**
 * One update to one bot. An `update_id` already recorded is skipped; otherwise the bot handles it and the id
 * is recorded *after* its effects, so a storage failure leaves it to be tried again (the effects themselves are
 * keyed by the update id, so a partial first try is not doubled): in the batch of the last effect when its handler
 * takes it there (a prospect's first message), else in a batch of its own. Throws what the bot could not store. `read`:
 * what the hook read with its channel lookup (bots/telegram/update-read.ts), saving those reads here.
 */
export async function handleTelegramUpdate(
  ctx: DomainContext,
  found: { channel: TelegramChannel; workspace: WorkspaceRef },
  update: Update,
  read?: UpdateRead,
): Promise<void> {
  const { client } = ctx.database;
  if (read?.seen) return;
  if (!read) {
    const seen = await client.execute(updateSeenStatement(found.channel.id, update.update_id));
    if (seen.rows.length > 0) return;
  }
  const done = new UpdateDone(found.channel.id, update.update_id, ctx.now());
  const bot = createBot(found.channel.config.token, {
    ctx,
    channel: found.channel,
    workspace: found.workspace,
    chatRep: read?.chatRep,
    prospect: read?.prospect,
    done,
  });
  try {
    await bot.handleUpdate(update);
  } catch (err) {
    // grammY wraps what a handler threw; callers map the original (storage, validation, ...).
    let cause: unknown = err;
    while (cause instanceof BotError) cause = cause.error;
    throw cause;
  }
  const left = done.left();
  if (left.length > 0) await client.batch(left, "write");
}

/**
 * The inbound queue's Telegram side: a bot's queued updates, one after another in the order they came. Those the
 * bot's read found recorded are skipped at once; the others check again as they come (one may be handled
 * meanwhile).
 */
export const telegramInbound: InboundHandler = async (ctx, channelId, bodies) => {
  const updates = bodies.map((body) => JSON.parse(body) as Update);
  const { found, seen } = await findBotWithSeen(
    ctx,
    channelId,
    updates.map((u) => u.update_id),
  );
  if (!found) {
    console.warn(JSON.stringify({ bot: "telegram", channel: channelId, dropped: bodies.length, reason: "gone" }));
    return;
  }
  for (const update of updates) if (!seen.has(update.update_id)) await handleTelegramUpdate(ctx, found, update);
};
