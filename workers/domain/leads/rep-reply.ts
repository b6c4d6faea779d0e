import type { InStatement } from "@libsql/client/web";
import { newId } from "../../lib/ids";
import { splitText } from "../../outbox/fit-text";
import { outboxRowInsert } from "../../outbox/outbox-row";
import type { Actor, DomainContext } from "../context";

/** Where an answer to the prospect goes: the chat app they wrote from, the bot or number they wrote to. */
export interface ProspectRoute {
  /** A channel's kind, or email: the console's reply to a lead who only left an address (chats never route there). */
  sender: string;
  channelId: string | null;
  /** The prospect's address on that channel (Telegram chat id, WhatsApp wa_id / BSUID, …). */
  recipient: string;
}

/**
 * How a rep's reply reaches a lead, whichever app the rep replied in: a rep on Telegram answering a
 * WhatsApp prospect writes through the WhatsApp number, and the other way round. Each channel of the list
 * says how it reaches a prospect (`Channel.prospect`); the prospect's own channel wins (the lead's source),
 * else the first channel of the list where the lead has an address; null when the lead never wrote to us in
 * a chat app (a form lead without one), so the rep is told to call or email.
 */
export async function prospectRoute(
  ctx: DomainContext,
  workspaceId: string,
  leadId: string,
): Promise<ProspectRoute | null> {
  const reach = ctx.channels.flatMap((c) => (c.prospect ? [{ kind: c.kind, ...c.prospect }] : []));
  const columns = reach.map((c, i) => `, (${c.recipient}) AS to_${i}, (${c.channel}) AS via_${i}`).join("");
  const rs = await ctx.database.client.execute({
    sql: `SELECT l.source${columns} FROM lead l WHERE l.workspace_id = :ws AND l.id = :lead`,
    args: { ws: workspaceId, lead: leadId },
  });
  const r = rs.rows[0];
  if (!r) return null;
  const routes = reach.flatMap((c, i): ProspectRoute[] => {
    const to = r[`to_${i}`];
    const via = r[`via_${i}`];
    return to !== null && to !== undefined && via !== null && via !== undefined
      ? [{ sender: c.kind, channelId: String(via), recipient: String(to) }]
      : [];
  });
  return routes.find((route) => route.sender === r.source) ?? routes[0] ?? null;
}

/** Where the rep who replied is told when their reply cannot be delivered: their own chat, on the app they used. */
export interface ReplyFrom {
  /** The channel's kind. */
  sender: string;
  channelId: string;
  recipient: string;
}

/**
 * A rep's answer, in one batch: the `rep_reply` outbox rows to the prospect (one per part when the text is
 * longer than a chat message; the outbox honours opt-outs and the WhatsApp window), and a `message` event
 * naming who wrote it. The first response (which stops the SLA clock) is recorded when a part is
 * delivered, not here: an undeliverable reply is no response (see outbox/reply-outcome.ts). `key` makes a
 * redelivered reply insert nothing; `dedupKey` does the same for the event. The outbox rows come first
 * in the returned list, `outboxCount` of them.
 */
export function repReplyStatements(r: {
  workspaceId: string;
  leadId: string;
  repId: string;
  route: ProspectRoute;
  text: string;
  key: string;
  dedupKey: string;
  /** The app the rep replied in, when it is not the prospect's (shown on the timeline). */
  via: string;
  /** The rep's chat that sent it: told there when the reply cannot be delivered (the console shows it instead). */
  replyFrom?: ReplyFrom;
  extra?: Record<string, unknown>;
  /** Who wrote it when not the rep in a chat app (a person in the console); the timeline shows them. */
  actor?: Actor;
  /** An approved WhatsApp template to send instead of the text (outside the 24-hour window). */
  template?: string;
  now: number;
}): { statements: InStatement[]; outboxCount: number } {
  const data = {
    channel: r.route.sender,
    ...(r.via !== r.route.sender ? { via: r.via } : {}),
    direction: "out",
    text: r.text,
    ...r.extra,
  };
  // Email has no message-size limit worth splitting at; a template is one message whatever its text.
  const parts = r.template || r.route.sender === "email" ? [r.text] : splitText(r.text);
  const rows = parts.map((text, i) =>
    outboxRowInsert({
      workspaceId: r.workspaceId,
      leadId: r.leadId,
      kind: "rep_reply",
      sender: r.route.sender,
      channelId: r.route.channelId,
      recipient: r.route.recipient,
      payload: {
        text,
        replyKey: r.key,
        ...(r.replyFrom ? { replyFrom: r.replyFrom } : {}),
        ...(r.template ? { template: r.template } : {}),
      },
      key: i === 0 ? r.key : `${r.key}:part${i + 1}`,
      now: r.now,
    }),
  );
  return {
    outboxCount: rows.length,
    statements: [
      ...rows,
      {
        sql: `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, dedup_key,
              created_at)
              VALUES (:id, :ws, :lead, 'message', :actorType, :actorId, :data, :dedup, :now) ON CONFLICT DO NOTHING`,
        args: {
          id: newId("evt", r.now),
          ws: r.workspaceId,
          lead: r.leadId,
          actorType: r.actor?.type ?? "rep",
          actorId: r.actor ? (r.actor.id ?? null) : r.repId,
          data: JSON.stringify(data),
          dedup: r.dedupKey,
          now: r.now,
        },
      },
    ],
  };
}
