import { Composer } from "grammy";
import { toAppError } from "../../workers/errors";
import { newId } from "../../workers/lib/ids";
import { sendSoon } from "../../workers/outbox/send-now";
import type { BotContext } from "./context";
import { eventKey, insertedIds, outboxInsert, updateKey } from "./outbox-reply";
import { queue } from "./queue";
import { repliedLead } from "./replied-lead";

/**
 * A rep answers a lead by replying (Telegram "reply") to its alert or to a relayed message: the text goes to
 * the prospect through the outbox (as `rep_reply`, which honours an opt-out), on the bot the prospect
 * talks to, is recorded on the lead, and counts as the first response. Only the lead's owner can answer.
 */
export function repRepliesComposer() {
  const composer = new Composer<BotContext>();
  composer.chatType("private").on("message:text", async (ctx, next) => {
    const replyTo = ctx.message.reply_to_message?.message_id;
    const rep = ctx.rep;
    if (!rep || replyTo === undefined || ctx.message.text.startsWith("/")) return next();
    const { deps } = ctx;
    const now = deps.ctx.now();
    const found = await repliedLead(deps, String(ctx.chat.id), replyTo);
    const lead = found && found.ownerRepId === rep.id ? found : null;
    const key = updateKey(deps, ctx.update.update_id, 0);
    if (!lead || lead.telegramUserId === null) {
      await queue(deps, [
        outboxInsert(deps, {
          kind: "bot_reply",
          chatId: ctx.chat.id,
          key,
          text: lead
            ? "This lead did not write to us on Telegram, so the bot cannot reach them. Call or email them instead."
            : "Reply to one of your own lead alerts to answer that prospect.",
        }),
      ]);
      return;
    }
    const text = ctx.message.text.slice(0, 4000);
    try {
      const results = await deps.ctx.database.client.batch(
        [
          outboxInsert(deps, { kind: "rep_reply", chatId: lead.telegramUserId, leadId: lead.id, key, text, ...(lead.prospectChannelId ? { channelId: lead.prospectChannelId } : {}) }),
          {
            sql: `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, dedup_key, created_at)
                  VALUES (:id, :ws, :lead, 'message', 'rep', :rep, :data, :dedup, :now) ON CONFLICT DO NOTHING`,
            args: { id: newId("evt", now), ws: deps.workspace.id, lead: lead.id, rep: rep.id, data: JSON.stringify({ channel: "telegram", direction: "out", text }), dedup: eventKey(deps, ctx.update.update_id), now },
          },
          // A human answer is a response: it starts first-response time if nothing did, and stops the SLA clock.
          {
            sql: `UPDATE lead SET first_response_at = COALESCE(first_response_at, :now), sla_due_at = NULL, updated_at = :now
                  WHERE workspace_id = :ws AND id = :lead`,
            args: { ws: deps.workspace.id, lead: lead.id, now },
          },
        ],
        "write",
      );
      sendSoon(deps.ctx, insertedIds(results.slice(0, 1)));
    } catch (err) {
      throw toAppError(err);
    }
  });
  return composer;
}
