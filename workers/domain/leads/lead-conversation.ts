import type { Config } from "../../config";
import { AppError } from "../../errors";
import { insertedIds } from "../../outbox/outbox-row";
import { sendSoon } from "../../outbox/send-now";
import { windowOpen } from "../../outbox/whatsapp-mode";
import type { Actor, Scope } from "../context";
import { getLead } from "./leads";
import { type ProspectRoute, prospectRoute, repReplyStatements } from "./rep-reply";

export interface ThreadMessage {
  at: number;
  direction: "in" | "out";
  channel: string;
  /** Who wrote it, in words: the prospect, an auto-reply, a follow-up, a reply. */
  from: string;
  text: string;
  media?: string | undefined;
  edited?: boolean | undefined;
  /** Outbound only: queued, sent, delivered, read, failed, not sent. */
  state?: string | undefined;
  /** Outbound only: the platform's reason when it failed or was not sent. */
  reason?: string | undefined;
}

/** How the console may answer this lead now, and why not when it cannot. */
export type ReplyOptions =
  | { mode: "text"; route: ProspectRoute; channel: string }
  | { mode: "template"; route: ProspectRoute; channel: string; templates: string[]; why: string }
  | { mode: "none"; why: string };

const OUT_FROM: Record<string, string> = {
  auto_reply: "Auto-reply",
  follow_up: "Follow-up",
  rep_reply: "Reply",
  bot_reply: "Bot",
};

function deliveryState(state: string, delivery: string | null): string {
  if (state === "pending") return "queued";
  if (state === "skipped") return "not sent";
  if (state === "failed" || state === "dead" || delivery === "failed") return "failed";
  return delivery ?? "sent";
}

const emailConfigured = (config: Config) => Boolean(config.EMAIL_API_URL && config.EMAIL_FROM);

/**
 * Every message of a lead in one thread across channels: what the prospect wrote (the first message is the
 * capture's), and every message sent to them with its delivery state, oldest first.
 */
export async function loadConversation({ ctx, workspace }: Scope, leadId: string): Promise<ThreadMessage[]> {
  const [events, sent] = await ctx.database.client.batch([
    {
      sql: `SELECT type, data, created_at FROM lead_event WHERE workspace_id = :ws AND lead_id = :lead
              AND (type IN ('created', 're-inquiry') OR (type = 'message' AND actor_type = 'prospect'))
            ORDER BY created_at, id`,
      args: { ws: workspace.id, lead: leadId },
    },
    {
      sql: `SELECT kind, sender, state, payload, delivery_status, COALESCE(delivery_error, last_error) AS reason,
            created_at
            FROM outbox WHERE workspace_id = :ws AND lead_id = :lead
              AND kind IN ('auto_reply', 'follow_up', 'rep_reply')
            ORDER BY created_at, id`,
      args: { ws: workspace.id, lead: leadId },
    },
  ]);
  const thread: ThreadMessage[] = [];
  for (const e of events!.rows) {
    const d = JSON.parse(String(e.data)) as Record<string, unknown>;
    const text = String(d.text ?? d.message ?? "");
    const media =
      d.media && typeof d.media === "object" ? String((d.media as { kind?: unknown }).kind ?? "attachment") : undefined;
    if (!text && !media) continue;
    thread.push({
      at: Number(e.created_at),
      direction: "in",
      channel: String(d.channel ?? "form"),
      from: "Prospect",
      text,
      media,
      edited: d.edited === true,
    });
  }
  for (const o of sent!.rows) {
    const p = JSON.parse(String(o.payload)) as { text?: string; subject?: string; template?: string };
    const state = deliveryState(String(o.state), o.delivery_status === null ? null : String(o.delivery_status));
    thread.push({
      at: Number(o.created_at),
      direction: "out",
      channel: String(o.sender),
      from: OUT_FROM[String(o.kind)] ?? "Message",
      text: p.text || (p.template ? `Template “${p.template}”` : ""),
      state,
      reason: state === "failed" || state === "not sent" ? String(o.reason ?? "") || undefined : undefined,
    });
  }
  return thread.sort((a, b) => a.at - b.at);
}

/** The lead's reply route: its chat app, else its email address when email is set up. */
async function replyRoute(s: Scope, leadId: string): Promise<ProspectRoute | { none: string }> {
  const chat = await prospectRoute(s.ctx, s.workspace.id, leadId);
  if (chat) return chat;
  const { lead } = await getLead(s, leadId);
  if (!lead.email) return { none: "This lead left no chat app and no email address: call them instead." };
  if (!emailConfigured(s.ctx.config)) {
    return { none: "This lead can only be reached by email, and email is not set up (EMAIL_API_URL and EMAIL_FROM)." };
  }
  return { sender: "email", channelId: null, recipient: lead.email };
}

/** What the reply box offers: free text, or on WhatsApp outside the 24-hour window the number's approved templates. */
export async function replyOptions(s: Scope, leadId: string): Promise<ReplyOptions> {
  const route = await replyRoute(s, leadId);
  if ("none" in route) return { mode: "none", why: route.none };
  const channel = route.sender === "whatsapp" ? "WhatsApp" : route.sender === "telegram" ? "Telegram" : "email";
  if (route.sender !== "whatsapp") return { mode: "text", route, channel };
  const rs = await s.ctx.database.client.execute({
    sql: `SELECT c.config, (SELECT w.last_inbound_at FROM whatsapp_window w WHERE w.channel_id = c.id
          AND w.address = :to) AS inbound
          FROM channel c WHERE c.id = :channel AND c.workspace_id = :ws`,
    args: { channel: route.channelId, ws: s.workspace.id, to: route.recipient.replace(/^\+/, "") },
  });
  const row = rs.rows[0];
  const inbound = row?.inbound === null || row?.inbound === undefined ? null : Number(row.inbound);
  if (windowOpen(inbound, s.ctx.now())) return { mode: "text", route, channel };
  const config = row ? (JSON.parse(String(row.config)) as { templates?: Record<string, { name: string }> }) : {};
  const templates = [...new Set(Object.values(config.templates ?? {}).map((t) => t.name))];
  const why =
    inbound === null
      ? "This person has not written to your WhatsApp number, so WhatsApp allows only approved templates."
      : "Their last WhatsApp message is more than 24 hours old, so WhatsApp allows only approved templates " +
        "until they write again.";
  return templates.length
    ? { mode: "template", route, channel, templates, why }
    : { mode: "none", why: `${why} No template is set up for this number.` };
}

/**
 * The console's answer to a prospect: the same rep-reply statements as a reply from chat (outbox row on the
 * prospect's own channel, message event, first response), with the console's actor. `nonce` comes from the
 * form, so a double submit or a resent POST writes nothing twice.
 */
export async function sendConsoleReply(
  s: Scope,
  leadId: string,
  input: { text: string; template?: string | undefined; nonce: string },
  actor: Actor,
): Promise<void> {
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(input.nonce))
    throw AppError.validation({ nonce: "Reload the page and send again." });
  const options = await replyOptions(s, leadId);
  const text = input.text.trim().slice(0, 4000);
  if (options.mode === "none") throw AppError.validation({ text: options.why });
  if (options.mode === "template") {
    if (!input.template || !options.templates.includes(input.template))
      throw AppError.validation({ template: "Choose one of the approved templates." });
  } else if (!text) {
    throw AppError.validation({ text: "Write a message first." });
  }
  const now = s.ctx.now();
  const { statements, outboxCount } = repReplyStatements({
    workspaceId: s.workspace.id,
    leadId,
    repId: actor.id ?? "owner",
    route: options.route,
    text: options.mode === "template" ? "" : text,
    template: options.mode === "template" ? input.template : undefined,
    key: `console:${leadId}:${input.nonce}`,
    dedupKey: `console:${leadId}:${input.nonce}`,
    via: "console",
    actor,
    now,
    extra: options.mode === "template" ? { template: input.template } : undefined,
  });
  const results = await s.ctx.database.client.batch(statements, "write");
  sendSoon(s.ctx, insertedIds(results.slice(0, outboxCount)));
}
