import type { InStatement } from "@libsql/client/web";
import type { CopyOf } from "../../db/schema";
import { newId } from "../../workers/lib/ids";
import { stmt } from "../../workers/lib/statement";
import { commitAndSend } from "../../workers/outbox/commit-and-send";
import type { BotDeps } from "./context";
import type { InboundContent } from "./media";
import { eventKey, REP_BOT_SQL, updateKey } from "./outbox-reply";

export interface ProspectMessage {
  telegramUserId: string;
  chatId: string;
  updateId: number;
  messageId: number;
  content: InboundContent;
  /** An `edited_message`: stored and relayed as an edit of `messageId`, not as a new message. */
  edited: boolean;
  /**
   * For an update that records more than this message (a first contact in a photo: its capture holds the
   * update's own event key and first outbox keys): the event key's suffix and the first outbox key number.
   */
  keySuffix?: string;
  firstN?: number;
}

const LEAD = `(SELECT lead_id FROM lead_identity WHERE workspace_id = :ws AND kind = 'telegram' AND address = :tg)`;

/**
 * A relay row to the lead's owner (through the reps' bot), written only if the owner linked Telegram.
 * The header names the lead and carries its id, so a rep's reply and /note find it again.
 */
function relayStatement(
  deps: BotDeps,
  m: ProspectMessage,
  n: number,
  opts: { label: string; body: string; copyOf?: CopyOf },
): InStatement {
  const now = deps.ctx.now();
  return stmt(
    `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload, idempotency_key,
          state, attempts, due_at, created_at, updated_at)
          SELECT :obxId, :ws, l.id, 'relay', 'telegram', ${REP_BOT_SQL}, r.telegram_chat_id,
            json_object('text', :label || ' from ' || COALESCE(l.name, 'a prospect') || ' (' || l.id || ')'
                || CASE WHEN :body = '' THEN '' ELSE ':' || char(10)
                  || :body END${opts.copyOf ? `, 'copyOf', json(:copyOf)` : ""}),
            :key, 'pending', 0, :now, :now, :now
          FROM lead l JOIN rep r ON r.id = l.owner_rep_id AND r.workspace_id = l.workspace_id
          WHERE l.id = ${LEAD} AND r.telegram_chat_id IS NOT NULL
          ON CONFLICT DO NOTHING RETURNING id`,
    {
      obxId: newId("obx", now),
      ws: deps.workspace.id,
      tg: m.telegramUserId,
      label: opts.label,
      body: opts.body,
      copyOf: opts.copyOf ? JSON.stringify(opts.copyOf) : null,
      key: updateKey(deps, m.updateId, n),
      now,
    },
  );
}

/**
 * A known prospect's message (text, media or an edit): a `message` event on the lead, `last_inbound_at`
 * (not for edits: an edit is not a new message), and the relay to the owner rep, in one batch keyed by
 * the update, so a redelivery adds nothing. Returns false when this Telegram user has no lead yet.
 */
export async function recordProspectMessage(deps: BotDeps, m: ProspectMessage): Promise<boolean> {
  const now = deps.ctx.now();
  const { content } = m;
  const label = m.edited ? `Edited ${content.label.toLowerCase()}` : content.label;
  const copyOf: CopyOf = { fromChatId: m.chatId, messageId: m.messageId, caption: content.relay === "copy" };
  const n = m.firstN ?? 0;
  const relays: InStatement[] =
    content.relay === "text" || m.edited
      ? // An edit is relayed as text: copying it would show a second photo, not what changed.
        [relayStatement(deps, m, n, { label, body: content.relay === "text" ? content.body : content.text })]
      : content.relay === "copy"
        ? [relayStatement(deps, m, n, { label, body: content.body, copyOf })]
        : [
            relayStatement(deps, m, n, { label, body: content.body }),
            relayStatement(deps, m, n + 1, { label: "", body: "", copyOf }),
          ];
  const dedupKey = m.keySuffix ? `${eventKey(deps, m.updateId)}:${m.keySuffix}` : eventKey(deps, m.updateId);
  const data = {
    channel: "telegram",
    text: content.text,
    messageId: m.messageId,
    ...(content.media ? { media: content.media } : {}),
    ...(m.edited ? { edited: true } : {}),
  };
  const results = await commitAndSend(deps.ctx, [
    {
      sql: `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, dedup_key, created_at)
                SELECT :eventId, :ws, l.id, 'message', 'prospect', NULL, :data, :dedupKey, :now
                FROM lead l WHERE l.id = ${LEAD}
                ON CONFLICT DO NOTHING`,
      args: {
        ws: deps.workspace.id,
        tg: m.telegramUserId,
        eventId: newId("evt", now),
        data: JSON.stringify(data),
        dedupKey,
        now,
      },
    },
    {
      sql: `UPDATE lead SET last_inbound_at = CASE WHEN :edited = 1 THEN last_inbound_at ELSE :now END,
                updated_at = :now WHERE id = ${LEAD}`,
      args: { ws: deps.workspace.id, tg: m.telegramUserId, now, edited: m.edited ? 1 : 0 },
    },
    { sql: `SELECT ${LEAD} AS id`, args: { ws: deps.workspace.id, tg: m.telegramUserId } },
    ...relays,
  ]);
  const id = results[2]?.rows[0]?.id;
  return id !== null && id !== undefined;
}
