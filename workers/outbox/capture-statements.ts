import type { InStatement, InValue } from "@libsql/client/web";
import type { LeadSource } from "../../db/schema";
import type { Config } from "../config";
import { repTelegramBot } from "../domain/channels/rep-bot";
import type { LeadActionsRef } from "../domain/leads/lead-action-names";
import { newId } from "../lib/ids";
import { fitText } from "./fit-text";

export interface CaptureFacts {
  ws: string;
  /** The id this capture would give a new lead; every statement below acts only if that row exists. */
  leadId: string;
  source: LeadSource;
  formId: string | null;
  /** The pool routing chose (null = no pool / the implicit default). */
  poolId: string | null;
  email: string | null;
  telegramUserId: string | null;
  /** E.164; a form lead with a phone can get the WhatsApp auto-reply template. */
  phone?: string | null;
  /** wa_id or BSUID of a prospect who wrote on WhatsApp. */
  whatsappRecipient?: string | null;
  /** The bot / number the prospect wrote to (replies go out through it). */
  channelId?: string | null;
  now: number;
  /** The rep routing picked for a new lead, who gets the alert. */
  ownerRepId: string | null;
  /** What the rep alert shows. */
  alert: {
    name: string | null;
    phone: string | null;
    email: string | null;
    message: string | null;
    score?: number | null;
    hot?: boolean;
  };
}

/** The rep alert's text: the facts a rep needs to call back now. */
export function repAlertText(source: string, a: CaptureFacts["alert"]): string {
  // Hot leads say so first: the rep decides what to call back now from the first line.
  const lines = [
    `${a.hot ? "HOT " : ""}New lead (${source}): ${a.name ?? "no name"}${a.score ? ` · score ${a.score}/10` : ""}`,
  ];
  if (a.phone) lines.push(`Phone: ${a.phone}`);
  if (a.email) lines.push(`Email: ${a.email}`);
  if (a.message) lines.push(`Message: ${fitText(a.message, 500)}`);
  return lines.join("\n");
}

const OUTBOX_COLUMNS = `(id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload, idempotency_key,
  state, attempts, due_at, created_at, updated_at)`;

/**
 * The bot or number that sends: the one the prospect wrote to (`:channelId`), else the workspace's first of its kind.
 */
const sendingChannel = (kind: "telegram" | "whatsapp") => `COALESCE(
  (SELECT id FROM channel WHERE id = :channelId AND workspace_id = :ws AND kind = '${kind}'),
  (SELECT id FROM channel WHERE workspace_id = :ws AND kind = '${kind}' ORDER BY created_at LIMIT 1))`;
const WHATSAPP_CHANNEL = sendingChannel("whatsapp");

/**
 * Reps on WhatsApp are those without Telegram: a rep with a linked Telegram chat (and a bot to reach it)
 * gets alerts there only, so nobody is alerted twice. `r` is the rep row.
 */
export const REP_ON_WHATSAPP = `r.whatsapp_phone IS NOT NULL AND NOT (r.telegram_chat_id IS NOT NULL
  AND EXISTS (SELECT 1 FROM channel WHERE workspace_id = r.workspace_id AND kind = 'telegram'))`;

export interface RepAlert {
  ws: string;
  leadId: string;
  repId: string;
  kind: "rep_alert" | "escalation";
  text: string;
  /** unique per announced change: a retried batch writes no second alert */
  key: string;
  now: number;
  condition: string;
  conditionArgs?: Record<string, InValue>;
  /** The WhatsApp number the prospect wrote to (alerts to WhatsApp reps go out from it); else the first. */
  channelId?: string | null;
}

/**
 * An alert to a rep as an outbox row, through one app: written only if the rep is reachable there and
 * `condition` (SQL) holds, so the alert rides in the same batch as the change it announces and only if
 * that change happens. A retry draws a new id, but the idempotency key's unique index makes it write nothing.
 */
function alertRow(
  a: RepAlert,
  via: {
    sender: "telegram" | "whatsapp";
    channel: string;
    reachable: string;
    recipient: string;
    payload: string;
    key: string;
    args: Record<string, InValue>;
  },
): InStatement {
  return {
    sql: `INSERT INTO outbox ${OUTBOX_COLUMNS}
          SELECT :alertId, :ws, :leadId, :kind, '${via.sender}', c.id, ${via.recipient}, ${via.payload}, :alertKey,
            'pending', 0, :now, :now, :now
          FROM rep r JOIN channel c ON c.id = ${via.channel}
          WHERE r.id = :repId AND r.workspace_id = :ws AND ${via.reachable} AND ${a.condition}
          ON CONFLICT DO NOTHING RETURNING id`,
    args: {
      ...a.conditionArgs,
      ...via.args,
      ws: a.ws,
      leadId: a.leadId,
      repId: a.repId,
      kind: a.kind,
      text: a.text,
      now: a.now,
      alertKey: via.key,
      alertId: newId("obx", a.now),
    },
  };
}

/** The alert in the rep's Telegram chat through the bot they started, with the lead's one-tap buttons. */
export function repAlertStatement(a: RepAlert): InStatement {
  return alertRow(a, {
    sender: "telegram",
    channel: repTelegramBot("r"),
    reachable: `r.telegram_chat_id IS NOT NULL`,
    recipient: `r.telegram_chat_id`,
    payload: `json_object('text', :text, 'actions', json(:actions))`,
    key: a.key,
    // The same one-tap buttons as a new lead's alert: whoever the lead lands on can work it from here.
    args: { actions: JSON.stringify({ leadId: a.leadId } satisfies LeadActionsRef) },
  });
}

/**
 * The WhatsApp twin: the same alert with reply buttons, to a rep on WhatsApp through the workspace's number
 * (to their E.164 phone without the "+", as Meta writes wa_ids).
 */
export function repWhatsappAlertStatement(a: RepAlert): InStatement {
  return alertRow(a, {
    sender: "whatsapp",
    channel: WHATSAPP_CHANNEL,
    reachable: REP_ON_WHATSAPP,
    recipient: `substr(r.whatsapp_phone, 2)`,
    payload: `json_object('text', :text, 'actions', json(:actions))`,
    key: `${a.key}:wa`,
    args: { channelId: a.channelId ?? null, actions: JSON.stringify({ leadId: a.leadId } satisfies LeadActionsRef) },
  });
}

/**
 * The alert to a rep in the app they use: Telegram when their chat is linked (and the workspace has a bot),
 * else WhatsApp when they have a phone there. Each statement checks which applies, so at most one writes.
 */
export function repAlertStatements(a: RepAlert): InStatement[] {
  return [repAlertStatement(a), repWhatsappAlertStatement(a)];
}

const CREATED = `EXISTS (SELECT 1 FROM lead WHERE id = :leadId)`;

/**
 * The statements a capture adds to its own batch, so the lead, its event, its auto-reply and its
 * sequence enrolment are written together or not at all. They act only when this capture created the
 * lead: a re-inquiry or a replayed webhook gets no second auto-reply and no second enrolment.
 * `outboxIndexes` are the statements whose RETURNING rows are outbox ids to send at once.
 */
export function captureOutboxStatements(
  config: Config,
  f: CaptureFacts,
): { statements: InStatement[]; outboxIndexes: number[] } {
  const statements: InStatement[] = [];
  const outboxIndexes: number[] = [];
  const base = {
    ws: f.ws,
    leadId: f.leadId,
    now: f.now,
    autoKey: `auto:${f.leadId}`,
    autoId: `obx_${f.leadId.slice(5)}a`,
  };

  // Form lead with a phone, in a workspace whose WhatsApp number has an approved `auto_reply` template:
  // the auto-reply goes out on WhatsApp instead of email. The prospect never wrote to the number, so the
  // sender can only use the template (the form's text rides along for when a window happens to be open).
  // Written before the email row: both carry the key `auto:<lead>`, so the first that applies wins.
  if (f.source === "form" && f.phone) {
    outboxIndexes.push(statements.length);
    statements.push({
      sql: `INSERT INTO outbox ${OUTBOX_COLUMNS}
            SELECT :autoId, :ws, :leadId, 'auto_reply', 'whatsapp', c.id, :to,
              json_object('text', (SELECT auto_reply_text FROM form WHERE id = :formId AND workspace_id = :ws)),
              :autoKey, 'pending', 0, :now, :now, :now
            FROM channel c
            WHERE c.id = ${WHATSAPP_CHANNEL} AND json_extract(c.config, '$.templates.auto_reply.name') IS NOT NULL
              AND ${CREATED}
            ON CONFLICT DO NOTHING RETURNING id`,
      args: { ...base, to: f.phone.replace(/^\+/, ""), formId: f.formId, channelId: null },
    });
  }
  // Form lead with an email and an email API: the form's auto-reply by email.
  if (f.source === "form" && f.formId && f.email && config.EMAIL_API_URL && config.EMAIL_FROM) {
    outboxIndexes.push(statements.length);
    statements.push({
      sql: `INSERT INTO outbox ${OUTBOX_COLUMNS}
            SELECT :autoId, :ws, :leadId, 'auto_reply', 'email', NULL, :email,
              json_object('text', f.auto_reply_text, 'subject', COALESCE(f.auto_reply_subject, 'Thanks, {name}')),
              :autoKey, 'pending', 0, :now, :now, :now
            FROM form f WHERE f.id = :formId AND f.workspace_id = :ws AND f.auto_reply_text IS NOT NULL AND ${CREATED}
            ON CONFLICT DO NOTHING RETURNING id`,
      args: { ...base, email: f.email, formId: f.formId },
    });
  }
  // A prospect who writes to the Telegram bot or the WhatsApp number: its configured auto-reply, in that
  // chat, from the bot or number they wrote to.
  const chat = f.source === "telegram" ? f.telegramUserId : f.source === "whatsapp" ? f.whatsappRecipient : null;
  if ((f.source === "telegram" || f.source === "whatsapp") && chat) {
    outboxIndexes.push(statements.length);
    statements.push({
      sql: `INSERT INTO outbox ${OUTBOX_COLUMNS}
            SELECT :autoId, :ws, :leadId, 'auto_reply', :sender, c.id, :to,
              json_object('text', json_extract(c.config, '$.autoReplyText')), :autoKey, 'pending', 0, :now, :now, :now
            FROM channel c
            WHERE c.id = ${sendingChannel(f.source)} AND json_extract(c.config, '$.autoReplyText') IS NOT NULL
              AND ${CREATED}
            ON CONFLICT DO NOTHING RETURNING id`,
      args: { ...base, sender: f.source, to: chat, channelId: f.channelId ?? null },
    });
  }
  // The owner's alert with the one-tap action buttons, in their Telegram chat through the workspace's bot
  // (bots/telegram/rep-actions.ts handles the taps), or on WhatsApp for a rep without Telegram
  // (bots/whatsapp/rep-actions.ts). Reassignments alert through the same statements.
  if (f.ownerRepId) {
    const alerts = repAlertStatements({
      ws: f.ws,
      leadId: f.leadId,
      repId: f.ownerRepId,
      kind: "rep_alert",
      text: repAlertText(f.source, f.alert),
      key: `alert:${f.leadId}:${f.ownerRepId}`,
      now: f.now,
      channelId: f.channelId ?? null,
      // Only if the lead was stored with this owner (the write re-checks the rep's cap).
      condition: `EXISTS (SELECT 1 FROM lead WHERE id = :leadId AND owner_rep_id = :repId)`,
    });
    for (const alert of alerts) {
      outboxIndexes.push(statements.length);
      statements.push(alert);
    }
  }
  // Enrol the new lead in every active sequence it matches: form, source and the pool it was routed to.
  statements.push({
    sql: `INSERT INTO sequence_enrollment (id, workspace_id, sequence_id, lead_id, next_position, next_due_at, state,
          enrolled_at, updated_at)
          SELECT 'enr_' || substr(:leadId, 6) || '_'
            || substr(s.id, 5), :ws, s.id, :leadId, 1, :now + 60000 * st.delay_minutes, 'active', :now, :now
          FROM sequence s JOIN sequence_step st ON st.sequence_id = s.id AND st.position = 1
          WHERE s.workspace_id = :ws AND s.active = 1 AND (s.pool_id IS NULL OR s.pool_id = :poolId)
            AND (s.form_id IS NULL OR s.form_id = :formId) AND (s.source IS NULL OR s.source = :source) AND ${CREATED}
          ON CONFLICT DO NOTHING`,
    args: { ws: f.ws, leadId: f.leadId, now: f.now, formId: f.formId, source: f.source, poolId: f.poolId },
  });
  return { statements, outboxIndexes };
}
