import { actionLabel, encodeLeadAction } from "../../workers/domain/leads/lead-action-names";

/** The reply id of "More actions", which answers with the full list (bots/whatsapp/alert-actions.ts). */
export const MORE_ACTIONS = "more";

const reply = (id: string, title: string) => ({ type: "reply", reply: { id, title } });

/**
 * A lead's actions as WhatsApp reply buttons (interactive `button`, without its body: the text is added
 * when sent). WhatsApp allows at most 3: Claim, Contacted and "More actions".
 */
export function alertButtons(leadId: string) {
  return {
    type: "button",
    action: {
      buttons: [
        reply(encodeLeadAction("claim", leadId), actionLabel("claim")),
        reply(encodeLeadAction("contacted", leadId), actionLabel("contacted")),
        reply(`l:${MORE_ACTIONS}:${leadId}`, "More actions"),
      ],
    },
  };
}
