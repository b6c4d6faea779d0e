import type { InStatement, InValue } from "@libsql/client/web";
import type { OutboxKind } from "../../db/schema";
import type { ChannelList, RepReach } from "../channels/channel";
import { newId } from "../lib/ids";
import { stmt } from "../lib/statement";

/**
 * SQL: rep `r` is reached on the channel of kind `kind` (an address there and a bot or number that can write to
 * it) and on no channel before it in the list, so a rep on several apps gets each message once, in the first.
 * False (0) when that channel does not reach reps.
 */
export function repReachedOn(channels: ChannelList, kind: string): string {
  const at = channels.findIndex((c) => c.kind === kind);
  const reached = (r: RepReach) => `(${r.reachable} AND (${r.channel}) IS NOT NULL)`;
  const own = channels[at]?.rep;
  if (!own) return "0";
  const earlier = channels.slice(0, at).flatMap((c) => (c.rep ? [`NOT ${reached(c.rep)}`] : []));
  return [reached(own), ...earlier].join(" AND ");
}

/**
 * A message to a rep in the app they use, as outbox rows: one INSERT … SELECT per channel that reaches reps,
 * each written only where the rep is reached first (`repReachedOn`), so at most one writes and none when the
 * rep has no app. `from` is the SQL the rep comes from (aliased `r`; `l` may be their lead), `where` filters it;
 * `payload` is a JSON SQL expression. The reach SQL may read `:channelId` (the bot or number a prospect wrote
 * to): pass it in `args` where it matters. Every channel's row carries `key`: one message, whichever app.
 */
export function repMessageStatements(
  channels: ChannelList,
  m: {
    ws: string;
    kind: OutboxKind;
    /** SQL for the row's lead id (NULL when the message is about no lead). */
    leadId: string;
    from: string;
    where: string;
    payload: string;
    key: string;
    now: number;
    /** When it is due (default now). */
    dueAt?: number;
    args?: Record<string, InValue>;
  },
): InStatement[] {
  return channels.flatMap((channel): InStatement[] => {
    if (!channel.rep) return [];
    const sql = `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload,
                   idempotency_key, state, attempts, due_at, created_at, updated_at)
          SELECT :rmId, :rmWs, ${m.leadId}, :rmKind, :rmSender, rc.id, ${channel.rep.recipient}, ${m.payload}, :rmKey,
                 'pending', 0, :rmDue, :rmNow, :rmNow
          FROM ${m.from} JOIN channel rc ON rc.id = ${channel.rep.channel}
          WHERE ${m.where} AND r.workspace_id = :rmWs AND ${repReachedOn(channels, channel.kind)}
          ON CONFLICT DO NOTHING RETURNING id`;
    return [
      stmt(sql, {
        channelId: null,
        ...m.args,
        rmId: newId("obx", m.now),
        rmWs: m.ws,
        rmKind: m.kind,
        rmSender: channel.kind,
        rmKey: m.key,
        rmDue: m.dueAt ?? m.now,
        rmNow: m.now,
      }),
    ];
  });
}
