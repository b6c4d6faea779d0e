/**
 * What a rep can do to a lead from an alert, in every channel: the one vocabulary. Channels render these
 * as their own buttons and read taps back with `decodeLeadAction` (`l:<action>:<leadId>`, well under
 * Telegram's 64 bytes of callback data and WhatsApp's 256 of a reply id).
 */
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

export const actionLabel = (a: LeadAction) => LABELS[a];

/**
 * An outbox payload's neutral buttons: "this lead's actions". Rows store this, never a platform's markup;
 * each sender renders it (a Telegram inline keyboard, WhatsApp reply buttons).
 */
export interface LeadActionsRef {
  leadId: string;
}
