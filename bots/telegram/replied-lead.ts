import type { BotDeps } from "./context";

export interface RepliedLead {
  id: string;
  name: string | null;
  ownerRepId: string | null;
}

/**
 * The lead a rep's Telegram reply points at. The outbox kept the message id of every alert and relay it
 * delivered to this chat through this bot, so the replied-to message names the lead; nothing else in the
 * reply is trusted. Scoped by workspace, bot and chat: a rep can only point at what was sent to them.
 */
export async function repliedLead(
  deps: BotDeps,
  chatId: string,
  replyToMessageId: number,
): Promise<RepliedLead | null> {
  const rs = await deps.ctx.database.client.execute({
    sql: `SELECT l.id, l.name, l.owner_rep_id
          FROM outbox o JOIN lead l ON l.id = o.lead_id AND l.workspace_id = o.workspace_id
          WHERE o.workspace_id = :ws AND o.channel_id = :ch AND o.recipient = :chat AND o.provider_message_id = :mid
          LIMIT 1`,
    args: { ws: deps.workspace.id, ch: deps.channel.id, chat: chatId, mid: String(replyToMessageId) },
  });
  const r = rs.rows[0];
  if (!r) return null;
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return { id: String(r.id), name: str(r.name), ownerRepId: str(r.owner_rep_id) };
}
