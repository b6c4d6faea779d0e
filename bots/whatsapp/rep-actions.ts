import { actionLabel } from "../../workers/domain/leads/lead-action-names";
import { applyRepLeadAction, repActionState } from "../../workers/domain/leads/lead-actions";
import { getLead } from "../../workers/domain/leads/leads";
import { AppError } from "../../workers/errors";
import { commitAndSend } from "../../workers/outbox/commit-and-send";
import { type AlertReply, alertActionList } from "./alert-actions";
import type { WhatsappDeps, WhatsappRep } from "./context";
import { messageKey, whatsappOutboxInsert } from "./outbox-reply";

/**
 * A rep's tap on an alert's reply button or list row. The lead changes through the same domain verbs as the
 * Telegram buttons and the owner API (claim, status, snooze, pass; only the owner changes its status).
 * "More actions" answers with the list of every action. The confirmation is an outbox row like every
 * other message (WhatsApp has no callback answer to show).
 */
export async function handleRepAction(
  deps: WhatsappDeps,
  rep: WhatsappRep,
  to: string,
  messageId: string,
  reply: AlertReply,
): Promise<void> {
  const scope = { ctx: deps.ctx, workspace: deps.workspace };
  const key = messageKey(deps, messageId, 0);
  const { leadId } = reply;
  if (reply.action === "more") {
    const { lead } = await getLead(scope, leadId).catch(() => ({ lead: null }));
    await commitAndSend(deps.ctx, [
      whatsappOutboxInsert(deps, {
        kind: "bot_reply",
        to,
        key,
        leadId: lead?.id ?? null,
        text: `${lead?.name ?? "Lead"} (${leadId}): choose what to do.`,
        interactive: alertActionList(leadId),
      }),
    ]);
    return;
  }
  const { action } = reply;
  try {
    await applyRepLeadAction(scope, rep.id, leadId, action);
  } catch (err) {
    // The rep's mistake or a stale alert (lead passed on, not theirs, gone): tell them, change nothing.
    if (err instanceof AppError && err.status < 500) {
      await commitAndSend(deps.ctx, [
        whatsappOutboxInsert(deps, {
          kind: "bot_reply",
          to,
          key,
          text: `${actionLabel(action)}: not done. ${err.message}`,
        }),
      ]);
      return;
    }
    throw err;
  }
  const { lead } = await getLead(scope, leadId);
  const state = repActionState(action, lead.status);
  await commitAndSend(deps.ctx, [
    whatsappOutboxInsert(deps, {
      kind: "bot_reply",
      to,
      key,
      leadId,
      text: `${actionLabel(action)} \u2713 ${lead.name ?? leadId} \u00b7 status: ${state}`,
    }),
  ]);
}
