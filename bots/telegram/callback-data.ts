/** The buttons of a rep alert; callback data is `l:<action>:<leadId>` (well under Telegram's 64 bytes). */
export const LEAD_ACTIONS = ["claim", "contacted", "qualified", "won", "lost", "snooze", "pass"] as const;
export type LeadAction = (typeof LEAD_ACTIONS)[number];

const LABELS: Record<LeadAction, string> = {
  claim: "Claim",
  contacted: "Contacted",
  qualified: "Qualified",
  won: "Won",
  lost: "Lost",
  snooze: "Snooze 1h",
  pass: "Pass",
};

const PATTERN = new RegExp(`^l:(${LEAD_ACTIONS.join("|")}):(lead_[A-Za-z0-9]{1,40})$`);

export function encodeLeadAction(action: LeadAction, leadId: string): string {
  return `l:${action}:${leadId}`;
}

export function decodeLeadAction(data: string): { action: LeadAction; leadId: string } | null {
  const m = PATTERN.exec(data);
  return m ? { action: m[1] as LeadAction, leadId: m[2]! } : null;
}

/** The alert's inline keyboard. */
export function leadActionsKeyboard(leadId: string) {
  const button = (a: LeadAction) => ({ text: LABELS[a], callback_data: encodeLeadAction(a, leadId) });
  return {
    inline_keyboard: [
      [button("claim"), button("contacted"), button("qualified")],
      [button("won"), button("lost")],
      [button("snooze"), button("pass")],
    ],
  };
}

export const actionLabel = (a: LeadAction) => LABELS[a];
