// WhatsApp's customer service window: free-form messages only within 24 h of the prospect's last
// message to the business; outside it only an approved template may be sent (else error 131047).
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

export type WhatsappStepMode =
  | { mode: "text"; text: string }
  | { mode: "template"; template: string }
  | { mode: "skip"; reason: string };

/**
 * What a WhatsApp follow-up step may send now. `lastWhatsappInboundAt` is the prospect's last message on
 * WhatsApp (null if they never wrote there, e.g. a form lead): then only a template is possible.
 */
export function whatsappStepMode(opts: {
  lastWhatsappInboundAt: number | null;
  now: number;
  text: string | null;
  template: string | null;
}): WhatsappStepMode {
  const open = opts.lastWhatsappInboundAt !== null && opts.now - opts.lastWhatsappInboundAt < WHATSAPP_WINDOW_MS;
  if (open && opts.text) return { mode: "text", text: opts.text };
  if (opts.template) return { mode: "template", template: opts.template };
  return {
    mode: "skip",
    reason: open ? "step has neither text nor template" : "outside the 24-hour window and the step has no template",
  };
}
