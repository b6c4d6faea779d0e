import type { OutboxKind } from "../../db/schema";
import type { WhatsappTemplate } from "../domain/channels/whatsapp-channels";
import { WHATSAPP_WINDOW_MS } from "../sequences/whatsapp-window";

export type WhatsappSendMode =
  | { mode: "text"; text: string }
  | { mode: "interactive"; text: string; interactive: Record<string, unknown> }
  | { mode: "template"; template: WhatsappTemplate }
  | { mode: "skip"; reason: string };

/** Whether the 24-hour customer service window with this recipient is open at `now`. */
export function windowOpen(lastInboundAt: number | null, now: number): boolean {
  return lastInboundAt !== null && now - lastInboundAt < WHATSAPP_WINDOW_MS;
}

/** The configured template for a use, or the named one (a follow-up step's), with its language and parameters. */
export function resolveTemplate(
  templates: Partial<Record<OutboxKind, WhatsappTemplate>>,
  use: OutboxKind,
  named: string | undefined,
): WhatsappTemplate | null {
  if (named)
    return (
      Object.values(templates).find((t) => t?.name === named) ?? { name: named, language: "en_US", parameters: [] }
    );
  return templates[use] ?? null;
}

/**
 * What an outbox row may send on WhatsApp now. Inside the window: its text (or interactive message).
 * Outside it, or when the row has only a template: an approved template — the row's own (a follow-up step's),
 * else the one configured for the row's use. Otherwise nothing is sent: the row is skipped with the reason,
 * never sent into a 131047.
 */
export function whatsappSendMode(m: {
  windowOpen: boolean;
  kind: OutboxKind;
  text: string;
  interactive?: unknown;
  template?: string | undefined;
  templates: Partial<Record<OutboxKind, WhatsappTemplate>>;
}): WhatsappSendMode {
  const hasText = m.text.trim() !== "";
  if (m.windowOpen && hasText) {
    if (m.interactive && typeof m.interactive === "object")
      return { mode: "interactive", text: m.text, interactive: m.interactive as Record<string, unknown> };
    return { mode: "text", text: m.text };
  }
  const template = resolveTemplate(m.templates, m.kind, m.template);
  if (template) return { mode: "template", template };
  return {
    mode: "skip",
    reason: hasText
      ? `outside the WhatsApp 24-hour window and no "${m.kind}" template is configured`
      : `nothing to send: no text and no "${m.kind}" template configured`,
  };
}

/**
 * Template body parameters, rendered. Meta refuses a parameter with a newline, a tab or more than 4
 * spaces in a row (132018), and an empty one: multi-line text (an alert) is joined into one line.
 */
export function templateParameters(
  parameters: string[],
  render: (p: string) => string,
): { type: "text"; text: string }[] {
  return parameters.map((p) => {
    const text = render(p)
      .replace(/\s*\n+\s*/g, " \u00b7 ")
      .replace(/\t/g, " ")
      .replace(/ {5,}/g, "    ")
      .trim()
      .slice(0, 1024);
    return { type: "text" as const, text: text || "-" };
  });
}
