import { Composer } from "grammy";
import { applyRepLeadAction, repActionState } from "../../workers/domain/leads/lead-actions";
import { getLead } from "../../workers/domain/leads/leads";
import { AppError } from "../../workers/errors";
import { actionLabel, decodeLeadAction, type LeadAction, leadActionsKeyboard } from "./callback-data";
import type { BotContext } from "./context";

// Below the alert's facts, the state line the bot rewrites on every tap.
const STATE_MARK = "\n\n\u2014 ";
// After these the lead is out of this rep's hands: the buttons go.
const FINAL: ReadonlySet<LeadAction> = new Set(["won", "lost", "pass"]);

/**
 * A rep's tap on an alert button. The lead changes through the same domain verbs the owner API uses
 * (claim, status, snooze, pass). Answering the callback and editing the alert are direct API calls, not
 * outbox rows: both are only meaningful within seconds of the tap (Telegram shows a spinner until the
 * answer), neither is a message to anyone, and the stored lead is the source of truth if they fail —
 * a retry from the cron job minutes later would only show a stale state.
 */
export function repActionsComposer() {
  const composer = new Composer<BotContext>();
  composer.on("callback_query:data", async (ctx, next) => {
    const decoded = decodeLeadAction(ctx.callbackQuery.data);
    if (!decoded) return next();
    const { deps, rep } = ctx;
    const answer = (text: string, alert = false) =>
      ctx
        .answerCallbackQuery({ text, show_alert: alert })
        .catch((err: unknown) => logApiError("answerCallbackQuery", err));
    if (!rep) {
      await answer("Only a linked rep can work leads here.", true);
      return;
    }
    const { action, leadId } = decoded;
    const scope = { ctx: deps.ctx, workspace: deps.workspace };
    try {
      await applyRepLeadAction(scope, rep.id, leadId, action);
    } catch (err) {
      // The rep's mistake or a stale alert (lead passed on, not theirs): tell them, change nothing.
      if (err instanceof AppError && err.status < 500) {
        await answer(err.message, true);
        return;
      }
      throw err;
    }
    const { lead } = await getLead(scope, leadId);
    await answer(`${actionLabel(action)} \u2713`);
    const base = (ctx.callbackQuery.message?.text ?? "").split(STATE_MARK)[0];
    const state = repActionState(action, lead.status);
    const text = `${base}${STATE_MARK}${actionLabel(action)} by ${rep.name} \u00b7 status: ${state}`;
    await ctx
      .editMessageText(text, FINAL.has(action) ? {} : { reply_markup: leadActionsKeyboard(leadId) })
      .catch((err: unknown) => logApiError("editMessageText", err));
  });
  return composer;
}

function logApiError(method: string, err: unknown) {
  console.warn(JSON.stringify({ bot: "telegram", method, error: err instanceof Error ? err.message : String(err) }));
}
