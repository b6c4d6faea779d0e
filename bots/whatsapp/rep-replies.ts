import { toAppError } from "../../workers/errors";
import { newId } from "../../workers/lib/ids";
import { sendSoon } from "../../workers/outbox/send-now";
import type { WhatsappDeps, WhatsappRep } from "./context";
import type { DescribedMessage } from "./describe-message";
import { insertedIds, messageKey, whatsappOutboxInsert } from "./outbox-reply";
import { queueWhatsapp } from "./queue";
import type { InboundMessage } from "./webhook-payload";

const HELP =
  "Tap the buttons of a lead alert to update that lead, or reply to an alert (swipe it right) to answer the prospect.";

/**
 * A rep's WhatsApp reply (context.id) to an alert or a relayed message goes to the prospect through the outbox
 * (`rep_reply`, which honours an opt-out), is a `message` event with the rep as actor, and is the first
 * response (stops the SLA clock). The lead is found by the replied-to message: the outbox stored its
 * WhatsApp message id when it sent the alert or relay to this rep. Anything else gets a short help text.
 */
export async function handleRepMessage(deps: WhatsappDeps, rep: WhatsappRep, msg: InboundMessage, d: DescribedMessage, to: string): Promise<void> {
  const key = messageKey(deps, msg.id, 0);
  if (!d.contextId || d.type === "reaction") {
    await queueWhatsapp(deps, [{ kind: "bot_reply", to, key, text: HELP }]);
    return;
  }
  const now = deps.ctx.now();
  try {
    const found = await deps.ctx.database.client.execute({
      sql: `SELECT l.id, l.whatsapp_id, l.whatsapp_user_id FROM outbox o JOIN lead l ON l.id = o.lead_id
            WHERE o.workspace_id = :ws AND o.channel_id = :ch AND o.recipient = :to AND o.provider_message_id = :mid
              AND l.owner_rep_id = :rep
            LIMIT 1`,
      args: { ws: deps.workspace.id, ch: deps.channel.id, to, mid: d.contextId, rep: rep.id },
    });
    const lead = found.rows[0];
    const prospect = lead ? ((lead.whatsapp_id ?? lead.whatsapp_user_id) as string | null) : null;
    if (!lead || !prospect) {
      await queueWhatsapp(deps, [
        {
          kind: "bot_reply",
          to,
          key,
          text: lead
            ? "This lead did not write to us on WhatsApp, so we cannot reach them here. Call or email them instead."
            : `That is not one of your lead alerts. ${HELP}`,
        },
      ]);
      return;
    }
    const text = d.text.slice(0, 4000);
    const results = await deps.ctx.database.client.batch(
      [
        whatsappOutboxInsert(deps, { kind: "rep_reply", to: prospect, leadId: String(lead.id), key, text }),
        {
          sql: `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, dedup_key, created_at)
                VALUES (:id, :ws, :lead, 'message', 'rep', :rep, :data, :dedup, :now) ON CONFLICT DO NOTHING`,
          args: {
            id: newId("evt", now), ws: deps.workspace.id, lead: String(lead.id), rep: rep.id,
            data: JSON.stringify({ channel: "whatsapp", direction: "out", text, messageId: msg.id }), dedup: `wa:${msg.id}`, now,
          },
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
}
