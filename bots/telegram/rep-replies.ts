import { Composer } from "grammy";
import { toAppError } from "../../workers/errors";
import { newId } from "../../workers/lib/ids";
import { sendSoon } from "../../workers/outbox/send-now";
import type { BotContext } from "./context";
import { insertedIds, outboxInsert, updateKey } from "./outbox-reply";
import { queue } from "./queue";

/**
 * A rep answers a lead by replying (Telegram "reply") to its alert or to a relayed message: the text goes to
 * the prospect through the outbox (as `rep_reply`, which honours an opt-out), is recorded on the lead, and
 * counts as the first response. The lead is found by the replied-to message: the outbox stored its
 * Telegram message id when it sent the alert or relay to this rep's chat.
 */
export function repRepliesComposer() {
  const composer = new Composer<BotContext>();
  composer.chatType("private").on("message:text", async (ctx, next) => {
    const replyTo = ctx.message.reply_to_message?.message_id;
    const rep = ctx.rep;
    if (!rep || replyTo === undefined || ctx.message.text.startsWith("/")) return next();
    const { deps } = ctx;
    const now = deps.ctx.now();
    try {
      const found = await deps.ctx.database.client.execute({
        sql: `SELECT l.id, l.telegram_user_id FROM outbox o JOIN lead l ON l.id = o.lead_id
              WHERE o.workspace_id = :ws AND o.channel_id = :ch AND o.recipient = :chat AND o.provider_message_id = :mid
                AND l.owner_rep_id = :rep
              LIMIT 1`,
        args: { ws: deps.workspace.id, ch: deps.channel.id, chat: String(ctx.chat.id), mid: String(replyTo), rep: rep.id },
      });
      const lead = found.rows[0];
      const key = updateKey(deps, ctx.update.update_id, 0);
      if (!lead || lead.telegram_user_id === null) {
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
      const results = await deps.ctx.database.client.batch(
        [
          outboxInsert(deps, { kind: "rep_reply", chatId: String(lead.telegram_user_id), leadId: String(lead.id), key, text }),
          {
            sql: `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, dedup_key, created_at)
                  VALUES (:id, :ws, :lead, 'message', 'rep', :rep, :data, :dedup, :now) ON CONFLICT DO NOTHING`,
            args: { id: newId("evt", now), ws: deps.workspace.id, lead: String(lead.id), rep: rep.id, data: JSON.stringify({ channel: "telegram", direction: "out", text }), dedup: `tg:${ctx.update.update_id}`, now },
          },
          // A human answer is a response: it starts first-response time if nothing did, and stops the SLA clock.
          {
            sql: `UPDATE lead SET first_response_at = COALESCE(first_response_at, :now), sla_due_at = NULL, updated_at = :now
                  WHERE workspace_id = :ws AND id = :lead`,
            args: { ws: deps.workspace.id, lead: String(lead.id), now },
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
