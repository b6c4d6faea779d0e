import { Composer } from "grammy";
import type { BotContext } from "./context";

/**
 * `my_chat_member` in a private chat: the user blocked the bot (`kicked`) or came back (`member`). Blocking
 * suppresses the chat at once, so queued follow-ups and alerts are skipped instead of each earning a 403;
 * unblocking lifts only that suppression (an opt-out stays).
 */
export function membershipComposer() {
  const composer = new Composer<BotContext>();
  composer.chatType("private").on("my_chat_member", async (ctx) => {
    const { deps } = ctx;
    const status = ctx.myChatMember.new_chat_member.status;
    const args = { ws: deps.workspace.id, chat: String(ctx.chat.id), now: deps.ctx.now() };
    if (status === "kicked") {
      await deps.ctx.database.client.execute({
        sql: `INSERT INTO suppression (workspace_id, sender, address, reason, detail, lead_id, created_at)
              VALUES (:ws, 'telegram', :chat, 'blocked', 'my_chat_member: the user blocked the bot', NULL, :now)
              ON CONFLICT DO NOTHING`,
        args,
      });
    } else if (status === "member") {
      await deps.ctx.database.client.execute({
        sql: `DELETE FROM suppression WHERE workspace_id = :ws AND sender = 'telegram' AND address = :chat
          AND reason = 'blocked'`,
        args: { ws: args.ws, chat: args.chat },
      });
    }
  });
  return composer;
}
