import { describe, expect, it } from "vitest";
import { type DueEnrollment, planStep } from "../../workers/sequences/plan-step";
import { deferPastQuietHours, localMinuteOfDay } from "../../workers/sequences/quiet-hours";
import { stopReason } from "../../workers/sequences/stop-conditions";
import { WHATSAPP_WINDOW_MS, whatsappStepMode } from "../../workers/sequences/whatsapp-window";

const HOUR = 3_600_000;
const utc = (iso: string) => Date.parse(iso);

describe("quiet hours", () => {
  it("passes a daytime step through and moves a night step to the window's end, in the workspace zone", () => {
    const day = utc("2026-06-10T16:00:00Z"); // 12:00 in New York (EDT)
    expect(deferPastQuietHours(day, "America/New_York", "21:00", "08:00")).toBe(day);
    const night = utc("2026-06-11T03:15:30Z"); // 23:15:30 EDT
    expect(deferPastQuietHours(night, "America/New_York", "21:00", "08:00")).toBe(utc("2026-06-11T12:00:00Z"));
    const earlyMorning = utc("2026-06-11T10:59:00Z"); // 06:59 EDT
    expect(deferPastQuietHours(earlyMorning, "America/New_York", "21:00", "08:00")).toBe(utc("2026-06-11T12:00:00Z"));
    expect(deferPastQuietHours(utc("2026-06-11T12:00:00Z"), "America/New_York", "21:00", "08:00")).toBe(
      utc("2026-06-11T12:00:00Z"),
    );
  });

  it("handles a DST change inside the night and windows that do not wrap midnight", () => {
    // Night of 2026-03-07/08 in New York: clocks jump from 02:00 EST to 03:00 EDT.
    const beforeJump = utc("2026-03-08T03:00:00Z"); // 22:00 EST
    const out = deferPastQuietHours(beforeJump, "America/New_York", "21:00", "08:00");
    expect(localMinuteOfDay(out, "America/New_York")).toBe(8 * 60);
    expect(out).toBe(utc("2026-03-08T12:00:00Z")); // 08:00 EDT
    const lunch = utc("2026-06-10T11:30:00Z"); // 13:30 in Berlin (CEST)
    expect(deferPastQuietHours(lunch, "Europe/Berlin", "13:00", "14:00")).toBe(utc("2026-06-10T12:00:00Z"));
    expect(deferPastQuietHours(lunch, "Europe/Berlin", null, null)).toBe(lunch);
  });
});

describe("WhatsApp 24-hour window", () => {
  const now = utc("2026-06-10T12:00:00Z");
  it("sends free text inside the window, the template outside it, and skips when there is no template", () => {
    expect(whatsappStepMode({ lastWhatsappInboundAt: now - 2 * HOUR, now, text: "Hi", template: "t1" })).toEqual({
      mode: "text",
      text: "Hi",
    });
    expect(
      whatsappStepMode({ lastWhatsappInboundAt: now - WHATSAPP_WINDOW_MS, now, text: "Hi", template: "t1" }),
    ).toEqual({ mode: "template", template: "t1" });
    expect(whatsappStepMode({ lastWhatsappInboundAt: null, now, text: "Hi", template: "t1" })).toEqual({
      mode: "template",
      template: "t1",
    });
    expect(whatsappStepMode({ lastWhatsappInboundAt: now - 30 * HOUR, now, text: "Hi", template: null }).mode).toBe(
      "skip",
    );
    expect(whatsappStepMode({ lastWhatsappInboundAt: now - HOUR, now, text: null, template: "t1" })).toEqual({
      mode: "template",
      template: "t1",
    });
  });
});

describe("stop conditions", () => {
  const base = {
    status: "new" as const,
    firstResponseAt: null,
    lastInboundAt: 100,
    optedOutAt: null,
    enrolledAt: 100,
    sequenceActive: true,
    stopOnReply: true,
    stopOnRepResponse: true,
  };
  it("names the first reason that applies", () => {
    expect(stopReason(base)).toBeNull();
    expect(stopReason({ ...base, lastInboundAt: 101 })).toBe("replied");
    expect(stopReason({ ...base, status: "won" })).toBe("closed");
    expect(stopReason({ ...base, status: "unqualified" })).toBe("closed");
    expect(stopReason({ ...base, status: "contacted" })).toBe("rep_took_over");
    expect(stopReason({ ...base, firstResponseAt: 150 })).toBe("rep_took_over");
    expect(stopReason({ ...base, optedOutAt: 120, status: "won" })).toBe("opted_out");
    expect(stopReason({ ...base, sequenceActive: false })).toBe("sequence_inactive");
  });
  it("goes on past a reply or a rep's work when the owner turned that condition off", () => {
    const replied = { ...base, lastInboundAt: 101 };
    expect(stopReason({ ...replied, stopOnReply: false })).toBeNull();
    expect(stopReason({ ...replied, stopOnRepResponse: false })).toBe("replied");
    const worked = { ...base, status: "qualified" as const, firstResponseAt: 150 };
    expect(stopReason({ ...worked, stopOnRepResponse: false })).toBeNull();
    expect(stopReason({ ...worked, stopOnReply: false })).toBe("rep_took_over");
    // Both off: a reply and a rep's work together still let the sequence go on.
    expect(stopReason({ ...replied, ...worked, stopOnReply: false, stopOnRepResponse: false })).toBeNull();
  });
  it("always stops for opt-out, a closed lead and a switched-off sequence, whatever the settings", () => {
    const off = { ...base, stopOnReply: false, stopOnRepResponse: false };
    expect(stopReason({ ...off, optedOutAt: 120 })).toBe("opted_out");
    expect(stopReason({ ...off, status: "lost", lastInboundAt: 101 })).toBe("closed");
    expect(stopReason({ ...off, status: "spam" })).toBe("closed");
    expect(stopReason({ ...off, sequenceActive: false, lastInboundAt: 101 })).toBe("sequence_inactive");
  });
});

describe("planStep", () => {
  const now = utc("2026-06-10T16:00:00Z");
  const due = (over: Partial<DueEnrollment> = {}, lead: Partial<DueEnrollment["lead"]> = {}): DueEnrollment => ({
    id: "enr_1",
    workspaceId: "ws",
    leadId: "lead_1",
    position: 1,
    enrolledAt: now - HOUR,
    sequenceActive: true,
    stopOnReply: true,
    stopOnRepResponse: true,
    quietStart: "21:00",
    quietEnd: "08:00",
    timezone: "UTC",
    lead: {
      status: "new",
      source: "form",
      firstResponseAt: null,
      lastInboundAt: now - HOUR,
      optedOutAt: null,
      email: "a@b.c",
      telegramUserId: null,
      whatsappId: null,
      phone: "+14155550100",
      ...lead,
    },
    step: { sender: "email", text: "Hi", subject: null, template: null },
    nextDelayMinutes: 60,
    channelId: null,
    ...over,
  });
  const all = new Set(["email", "telegram", "whatsapp"] as const);

  it("queues the step and schedules the next one", () => {
    expect(planStep(due(), now, all)).toEqual({
      action: "send",
      nextDueAt: now + HOUR,
      message: {
        sender: "email",
        recipient: "a@b.c",
        channelId: null,
        payload: { text: "Hi", subject: "Following up, {name}" },
      },
    });
    expect(planStep(due({ nextDelayMinutes: null }), now, all)).toMatchObject({ action: "send", nextDueAt: null });
  });

  it("records a skipped step when the lead has no address there or the sender does not exist", () => {
    const tg = due({ step: { sender: "telegram", text: "Hi", subject: null, template: null } });
    expect(planStep(tg, now, all)).toMatchObject({
      action: "send",
      message: { skipReason: "lead has no telegram address" },
    });
    const wa = due({ step: { sender: "whatsapp", text: "Hi", subject: null, template: "tpl" } });
    expect(planStep(wa, now, new Set(["email"] as const))).toMatchObject({
      message: { skipReason: "no whatsapp sender configured" },
    });
    // A form lead never wrote on WhatsApp: only the template may go.
    expect(planStep(wa, now, all)).toMatchObject({
      message: { sender: "whatsapp", recipient: "+14155550100", payload: { template: "tpl" } },
    });
  });

  it("stops, defers or finishes", () => {
    expect(planStep(due({}, { optedOutAt: now - 1 }), now, all)).toEqual({ action: "stop", reason: "opted_out" });
    expect(planStep(due({ step: null }), now, all)).toEqual({ action: "done" });
    expect(planStep(due({ timezone: "Asia/Tokyo" }), now, all)).toEqual({
      action: "defer",
      until: utc("2026-06-10T23:00:00Z"),
    }); // 01:00 JST → 08:00 JST
  });

  it("reads the sequence's stop settings", () => {
    const replied = { lastInboundAt: now - 1 };
    expect(planStep(due({}, replied), now, all)).toEqual({ action: "stop", reason: "replied" });
    expect(planStep(due({ stopOnReply: false }, replied), now, all)).toMatchObject({ action: "send" });
    const worked = { status: "contacted" as const };
    expect(planStep(due({}, worked), now, all)).toEqual({ action: "stop", reason: "rep_took_over" });
    expect(planStep(due({ stopOnRepResponse: false }, worked), now, all)).toMatchObject({ action: "send" });
  });
});
