import { Composer } from "grammy";
import { redeemRepInvite } from "../../workers/domain/team/rep-invites";
import { commitAndSend } from "../../workers/outbox/commit-and-send";
import type { BotContext } from "./context";
import { outboxInsert, updateKey } from "./outbox-reply";

// What createRepTelegramInvite hands out (32 base62 chars); anything else is not worth a database call.
const INVITE = /^rep_([A-Za-z0-9]{32})$/;

/** `/start rep_<code>`: an owner's one-time invite links this private chat to a rep. */
export function linkingComposer() {
  const composer = new Composer<BotContext>();
  composer.chatType("private").command("start", async (ctx, next) => {
    const payload = ctx.match.trim();
    if (!payload.startsWith("rep_")) return next();
    const { deps } = ctx;
    const code = INVITE.exec(payload)?.[1];
    const linked = code
      ? await redeemRepInvite({ ctx: deps.ctx, workspace: deps.workspace }, code, String(ctx.chat.id), deps.channel.id)
      : null;
    await commitAndSend(deps.ctx, [
      outboxInsert(deps, {
        kind: "bot_reply",
        chatId: ctx.chat.id,
        key: updateKey(deps, ctx.update.update_id, 0),
        text: linked
          ? `Linked: you are ${linked.name}. New leads will be alerted here, with buttons to work them.`
          : "This invite link is invalid, expired or already used. Ask your owner for a new one.",
      }),
    ]);
  });
  return composer;
}
