import { actionLabel, encodeLeadAction, type LeadAction } from "../../workers/domain/leads/lead-action-names";

/** A lead's actions as a Telegram inline keyboard (every action fits: seven buttons in three rows). */
export function leadActionsKeyboard(leadId: string) {
  const button = (a: LeadAction) => ({ text: actionLabel(a), callback_data: encodeLeadAction(a, leadId) });
  return {
    inline_keyboard: [
      [button("claim"), button("contacted"), button("qualified")],
      [button("won"), button("lost")],
      [button("snooze"), button("pass")],
    ],
  };
}
