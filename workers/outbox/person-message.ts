import type { InStatement } from "@libsql/client/web";
import { newId } from "../lib/ids";
import { REP_ON_WHATSAPP } from "./capture-statements";

const COLUMNS = `(id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload, idempotency_key, state,
  attempts, due_at, created_at, updated_at)`;

/**
 * A sign-in message (invite link, one-time code) to the chat linked to a person's rep record: Telegram when
 * linked and the workspace has a bot, else WhatsApp. Both statements check which applies, so at most one writes;
 * neither writes when the rep has no chat, and the caller reads that from the returned ids.
 */
export function personMessageStatements(m: {
  ws: string;
  repId: string;
  text: string;
  key: string;
  now: number;
}): InStatement[] {
  const args = { ws: m.ws, repId: m.repId, text: m.text, now: m.now };
  const row = (sender: "telegram" | "whatsapp", recipient: string, reachable: string): InStatement => ({
    sql: `INSERT INTO outbox ${COLUMNS}
          SELECT :id, :ws, NULL, 'sign_in', '${sender}', c.id, ${recipient}, json_object('text', :text), :key,
                 'pending', 0, :now, :now, :now
          FROM rep r JOIN channel c ON c.id = (SELECT id FROM channel WHERE workspace_id = :ws AND kind = '${sender}'
                                               ORDER BY created_at LIMIT 1)
          WHERE r.id = :repId AND r.workspace_id = :ws AND ${reachable}
          ON CONFLICT DO NOTHING RETURNING id`,
    args: { ...args, id: newId("obx", m.now), key: `${m.key}:${sender}` },
  });
  return [
    row("telegram", "r.telegram_chat_id", "r.telegram_chat_id IS NOT NULL"),
    row("whatsapp", "substr(r.whatsapp_phone, 2)", REP_ON_WHATSAPP),
  ];
}
