import { Bot, BotError, type Middleware } from "grammy";
import { toAppError } from "../../workers/errors";
import type { BotContext, BotDeps } from "./context";
import { linkingComposer } from "./linking";
import { membershipComposer } from "./membership";
import { prospectComposer } from "./prospect";
import { repActionsComposer } from "./rep-actions";
import { repCommandsComposer } from "./rep-commands";
import { repRepliesComposer } from "./rep-replies";
import { chatRepOf, chatRepStatement } from "./update-read";

/**
 * One bot per webhook call (cheap: `botInfo` comes from the channel row, so grammY never calls getMe).
 * Order: linking before intake, so `/start rep_<code>` is never taken for a prospect's deep link.
 */
export function createBot(token: string, deps: BotDeps) {
  const bot = new Bot<BotContext>(token, {
    botInfo: deps.channel.config.botInfo,
    client: { apiRoot: deps.ctx.config.TELEGRAM_API_ROOT.replace(/\/+$/, "") },
  });
  bot.use(attachDeps(deps));
  bot.errorBoundary(
    (err) => {
      // Storage failures must reach the webhook route (5xx, so Telegram redelivers the update); anything
      // else is a bug or a bad update: logged and acknowledged, or Telegram would retry it for hours.
      const appErr = toAppError(err instanceof BotError ? err.error : err);
      if (appErr.code === "STORAGE_UNAVAILABLE") throw appErr;
      console.error(
        JSON.stringify({ bot: "telegram", update: err.ctx.update.update_id, code: appErr.code, error: appErr.message }),
      );
    },
    membershipComposer(),
    linkingComposer(),
    repActionsComposer(),
    repRepliesComposer(),
    repCommandsComposer(),
    prospectComposer(),
  );
  // Catch-all last: updates nobody handles (edits, group chatter, service messages) are acknowledged.
  bot.use(() => {});
  return bot;
}

/** Puts the deps on the context and, in private chats, which rep (if any) this chat is linked to. */
function attachDeps(deps: BotDeps): Middleware<BotContext> {
  return async (ctx, next) => {
    ctx.deps = deps;
    ctx.rep = null;
    if (ctx.chat?.type === "private" && deps.chatRep?.chatId === String(ctx.chat.id)) ctx.rep = deps.chatRep.rep;
    else if (ctx.chat?.type === "private") {
      ctx.rep = chatRepOf(
        await deps.ctx.database.client.execute(
          chatRepStatement({ workspaceId: deps.workspace.id }, String(ctx.chat.id)),
        ),
      );
    }
    await next();
  };
}
