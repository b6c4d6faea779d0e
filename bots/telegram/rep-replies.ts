import { Composer } from "grammy";
import { prospectRoute, repReplyStatements } from "../../workers/domain/leads/rep-reply";
import { toAppError } from "../../workers/errors";
import { sendSoon } from "../../workers/outbox/send-now";
import type { BotContext } from "./context";
import { eventKey, insertedIds, outboxInsert, updateKey } from "./outbox-reply";
import { queue } from "./queue";
import { repliedLead } from "./replied-lead";

/**
 * A rep answers a lead by replying (Telegram "reply") to its alert or to a relayed message: the text goes to
 * the prospect through the outbox (as `rep_reply`, which honours an opt-out) on the prospect's own channel
 * (the bot they talk to, or the WhatsApp number they wrote to: workers/domain/leads/rep-reply.ts), is recorded on
 * the lead, and counts as the first response. Only the lead's owner can answer.
 */
export function repRepliesComposer() {
  const composer = new Composer<BotContext>();
  composer.chatType("private").on("message:text", async (ctx, next) => {
    const replyTo = ctx.message.reply_to_message?.message_id;
    const rep = ctx.rep;
    if (!rep || replyTo === undefined || ctx.message.text.startsWith("/")) return next();
    const { deps } = ctx;
    const found = await repliedLead(deps, String(ctx.chat.id), replyTo);
    const lead = found && found.ownerRepId === rep.id ? found : null;
    const key = updateKey(deps, ctx.update.update_id, 0);
    const route = lead ? await prospectRoute(deps.ctx, deps.workspace.id, lead.id) : null;
    if (!lead || !route) {
      await queue(deps, [
        outboxInsert(deps, {
          kind: "bot_reply",
          chatId: ctx.chat.id,
          key,
          text: lead
            ? "This lead did not write to us on Telegram or WhatsApp, so we cannot reach them in a chat. " +
              "Call or email them instead."
            : "Reply to one of your own lead alerts to answer that prospect.",
        }),
      ]);
      return;
    }
    const { statements, outboxCount } = repReplyStatements({
      workspaceId: deps.workspace.id,
      leadId: lead.id,
      repId: rep.id,
      route,
      text: ctx.message.text,
      key,
      dedupKey: eventKey(deps, ctx.update.update_id),
      via: "telegram",
      now: deps.ctx.now(),
      replyFrom: { sender: "telegram", channelId: deps.channel.id, recipient: String(ctx.chat.id) },
    });
    try {
      const results = await deps.ctx.database.client.batch(statements, "write");
      sendSoon(deps.ctx, insertedIds(results.slice(0, outboxCount)));
    } catch (err) {
      throw toAppError(err);
    }
  });
  return composer;
}
