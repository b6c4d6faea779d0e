import {
  actionLabel,
  decodeLeadAction,
  encodeLeadAction,
  LEAD_ACTIONS,
  type LeadAction,
} from "../../workers/domain/leads/lead-action-names";
import { alertButtons, MORE_ACTIONS } from "./whatsapp-actions";

/**
 * The rep alert's actions on WhatsApp. Reply ids use the Telegram buttons' encoding (`l:<action>:<leadId>`),
 * so both bots act through the same verbs. WhatsApp allows at most 3 reply buttons per message: the alert
 * carries Claim, Contacted and "More actions", which answers with a list of the full set.
 */
const MORE = MORE_ACTIONS;
const MORE_PATTERN = /^l:more:(lead_[A-Za-z0-9]{1,40})$/;

export type AlertReply = { action: LeadAction; leadId: string } | { action: typeof MORE; leadId: string };

export function decodeAlertReply(id: string | null): AlertReply | null {
  if (!id) return null;
  const more = MORE_PATTERN.exec(id);
  if (more) return { action: MORE, leadId: more[1]! };
  return decodeLeadAction(id);
}

export { alertButtons };

/** Every action as an interactive `list` (row titles ≤ 24 characters, the list button ≤ 20). */
export function alertActionList(leadId: string) {
  return {
    type: "list",
    action: {
      button: "Choose an action",
      sections: [
        {
          title: "Lead actions",
          rows: LEAD_ACTIONS.map((a) => ({ id: encodeLeadAction(a, leadId), title: actionLabel(a) })),
        },
      ],
    },
  };
}
