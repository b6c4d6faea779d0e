import type { LeadSource, LeadStatus, OutboxPayload, StepSender, StopReason } from "../../db/schema";
import { deferPastQuietHours } from "./quiet-hours";
import { stopReason } from "./stop-conditions";
import { whatsappStepMode } from "./whatsapp-window";

/** One due enrolment with everything needed to decide about its next step (one joined read). */
export interface DueEnrollment {
  id: string;
  workspaceId: string;
  leadId: string;
  position: number;
  enrolledAt: number;
  sequenceActive: boolean;
  stopOnReply: boolean;
  stopOnRepResponse: boolean;
  quietStart: string | null;
  quietEnd: string | null;
  timezone: string;
  lead: {
    status: LeadStatus;
    source: LeadSource;
    firstResponseAt: number | null;
    lastInboundAt: number;
    optedOutAt: number | null;
    email: string | null;
    telegramUserId: string | null;
    whatsappId: string | null;
    whatsappUserId?: string | null;
    phone: string | null;
    /** The prospect's last message to the workspace's WhatsApp number (whatsapp_window), null if never. */
    whatsappInboundAt?: number | null;
  };
  /** null when the sequence has no step at this position any more (steps were edited). */
  step: { sender: StepSender; text: string | null; subject: string | null; template: string | null } | null;
  /** Delay before the step after this one, null when this is the last. */
  nextDelayMinutes: number | null;
  channelId: string | null;
  /** The WhatsApp number's approved template configured for follow-ups (channel config), if any. */
  followUpTemplate?: string | null;
}

export interface PlannedMessage {
  sender: StepSender;
  recipient: string;
  channelId: string | null;
  payload: OutboxPayload;
  /** Set when the step is recorded but deliberately not sent. */
  skipReason?: string;
}

export type StepPlan =
  | { action: "stop"; reason: StopReason }
  | { action: "defer"; until: number }
  | { action: "done" }
  | { action: "send"; message: PlannedMessage; nextDueAt: number | null };

function recipientFor(sender: StepSender, lead: DueEnrollment["lead"]): string | null {
  if (sender === "email") return lead.email;
  if (sender === "telegram") return lead.telegramUserId; // a private chat's id is the user's id
  return lead.whatsappId ?? lead.whatsappUserId ?? lead.phone;
}

/**
 * The decision for one due enrolment, as a pure function: stop conditions first, then quiet hours,
 * then what the step may send on its channel. `available` lists senders that exist in this deployment:
 * a step on any other channel is recorded as skipped rather than queued for a sender that may never come.
 */
export function planStep(e: DueEnrollment, now: number, available: ReadonlySet<StepSender>): StepPlan {
  const reason = stopReason({
    ...e.lead,
    enrolledAt: e.enrolledAt,
    sequenceActive: e.sequenceActive,
    stopOnReply: e.stopOnReply,
    stopOnRepResponse: e.stopOnRepResponse,
  });
  if (reason) return { action: "stop", reason };
  if (!e.step) return { action: "done" };
  const allowedAt = deferPastQuietHours(now, e.timezone, e.quietStart, e.quietEnd);
  if (allowedAt > now) return { action: "defer", until: allowedAt };

  const nextDueAt = e.nextDelayMinutes === null ? null : now + e.nextDelayMinutes * 60_000;
  const { sender } = e.step;
  const recipient = recipientFor(sender, e.lead);
  const base = { sender, recipient: recipient ?? "", channelId: sender === "email" ? null : e.channelId };
  const skip = (why: string): StepPlan => ({
    action: "send",
    nextDueAt,
    message: { ...base, payload: {}, skipReason: why },
  });
  if (!recipient) return skip(`lead has no ${sender} address`);
  if (!available.has(sender)) return skip(`no ${sender} sender configured`);
  if (sender === "whatsapp") {
    // The window counts from the prospect's last message to the number itself (whatsapp_window), not
    // lead.last_inbound_at, which form re-inquiries and Telegram messages move too. The outbox checks
    // the window again at send time (a row may wait for a retry).
    const mode = whatsappStepMode({
      lastWhatsappInboundAt: e.lead.whatsappInboundAt ?? null,
      now,
      text: e.step.text,
      // A step without its own template falls back to the number's configured `follow_up` template.
      template: e.step.template ?? e.followUpTemplate ?? null,
    });
    if (mode.mode === "skip") return skip(mode.reason);
    const payload = mode.mode === "text" ? { text: mode.text } : { template: mode.template };
    return { action: "send", nextDueAt, message: { ...base, payload } };
  }
  if (!e.step.text) return skip("step has no text");
  const payload: OutboxPayload = { text: e.step.text };
  if (sender === "email") payload.subject = e.step.subject ?? "Following up, {name}";
  return { action: "send", nextDueAt, message: { ...base, payload } };
}
