import { prospectRoute, repReplyStatements } from "../../workers/domain/leads/rep-reply";
import { commitAndSend } from "../../workers/outbox/commit-and-send";
import type { WhatsappDeps, WhatsappRep } from "./context";
import type { DescribedMessage } from "./describe-message";
import { messageKey, whatsappOutboxInsert } from "./outbox-reply";
import type { InboundMessage } from "./webhook-payload";

const HELP =
  "Tap the buttons of a lead alert to update that lead, or reply to an alert (swipe it right) to answer the prospect.";

/**
 * A rep's WhatsApp reply (context.id) to an alert or a relayed message goes to the prospect through the outbox
 * (`rep_reply`, which honours an opt-out) on the prospect's own channel (WhatsApp or Telegram:
 * workers/domain/leads/rep-reply.ts), is a `message` event with the rep as actor, and is the first response (stops the
 * SLA clock). The lead is found by the replied-to message: the outbox stored its WhatsApp message id when it sent the
 * alert or relay to this rep. Anything else gets a short help text.
 */
export async function handleRepMessage(
  deps: WhatsappDeps,
  rep: WhatsappRep,
  msg: InboundMessage,
  d: DescribedMessage,
  to: string,
): Promise<void> {
  const key = messageKey(deps, msg.id, 0);
  if (!d.contextId || d.type === "reaction") {
    await commitAndSend(deps.ctx, [whatsappOutboxInsert(deps, { kind: "bot_reply", to, key, text: HELP })]);
    return;
  }
  const found = await deps.ctx.database.client.execute({
    sql: `SELECT l.id FROM outbox o JOIN lead l ON l.id = o.lead_id
          WHERE o.workspace_id = :ws AND o.channel_id = :ch AND o.recipient = :to AND o.provider_message_id = :mid
            AND l.owner_rep_id = :rep
          LIMIT 1`,
    args: { ws: deps.workspace.id, ch: deps.channel.id, to, mid: d.contextId, rep: rep.id },
  });
  const leadId = found.rows[0] ? String(found.rows[0].id) : null;
  const route = leadId ? await prospectRoute(deps.ctx, deps.workspace.id, leadId) : null;
  if (!leadId || !route) {
    await commitAndSend(deps.ctx, [
      whatsappOutboxInsert(deps, {
        kind: "bot_reply",
        to,
        key,
        text: leadId
          ? "This lead did not write to us on WhatsApp or Telegram, so we cannot reach them in a chat. " +
            "Call or email them instead."
          : `That is not one of your lead alerts. ${HELP}`,
      }),
    ]);
    return;
  }
  const { statements } = repReplyStatements({
    workspaceId: deps.workspace.id,
    leadId,
    repId: rep.id,
    route,
    text: d.text,
    key,
    dedupKey: `wa:${msg.id}`,
    via: "whatsapp",
    extra: { messageId: msg.id },
    now: deps.ctx.now(),
    replyFrom: { sender: "whatsapp", channelId: deps.channel.id, recipient: to },
  });
  await commitAndSend(deps.ctx, statements);
}
