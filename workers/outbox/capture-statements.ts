import type { InStatement, InValue } from "@libsql/client/web";
import type { LeadSource } from "../../db/schema";
import type { ChannelList } from "../channels/channel";
import type { Config } from "../config";
import type { LeadActionsRef } from "../domain/leads/lead-action-names";
import { fitText } from "./fit-text";
import { repMessageStatements } from "./rep-message";

export interface CaptureFacts {
  ws: string;
  /** The id this capture would give a new lead; every statement below acts only if that row exists. */
  leadId: string;
  source: LeadSource;
  formId: string | null;
  /** The pool routing chose (null = no pool / the implicit default). */
  poolId: string | null;
  email: string | null;
  /** E.164; a form lead with a phone can get the WhatsApp auto-reply template. */
  phone?: string | null;
  /** The bot / number the prospect wrote to (the auto-reply goes out through it, to their address there). */
  channelId?: string | null;
  now: number;
  /** The rep routing picked for a new lead, who gets the alert. */
  ownerRepId: string | null;
  /**
   * Certain that the owner has no address on any channel (a current cached routing context says so, and the batch
   * writes nothing once it is not current): the alert statements, which would write nothing, are left out.
   */
  ownerUnreachable?: boolean;
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

export interface RepAlert {
  /** The deployment's channels: the rep is alerted on the first they are reachable on. */
  channels: ChannelList;
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
  /** The bot or number the prospect wrote to: channels that answer reps from it use it, else their first. */
  channelId?: string | null;
}

/**
 * The alert to a rep in the app they use, with the lead's one-tap buttons (neutral `actions`, rendered by the
 * channel's sender), written only if `condition` (SQL) holds, so the alert rides in the same batch as the
 * change it announces and only if that change happens (see `repMessageStatements`). A retry draws a new id,
 * but the idempotency key's unique index makes it write nothing.
 */
export function repAlertStatements(a: RepAlert): InStatement[] {
  return repMessageStatements(a.channels, {
    ws: a.ws,
    kind: a.kind,
    leadId: ":leadId",
    from: "rep r",
    where: `r.id = :repId AND ${a.condition}`,
    payload: `json_object('text', :text, 'actions', json(:actions))`,
    key: a.key,
    now: a.now,
    args: {
      ...a.conditionArgs,
      channelId: a.channelId ?? null,
      ws: a.ws,
      leadId: a.leadId,
      repId: a.repId,
      // Conditions may read the change's time and kind, as the alert row does.
      now: a.now,
      kind: a.kind,
      text: a.text,
      actions: JSON.stringify({ leadId: a.leadId } satisfies LeadActionsRef),
    },
  });
}

const CREATED = `EXISTS (SELECT 1 FROM lead WHERE id = :leadId)`;

// A form lead's phone is reached only by an approved WhatsApp template: the one place the core still names a
// channel (a channel able to write first to a phone number would declare it; none but WhatsApp can).
const FIRST_WHATSAPP_NUMBER = `(SELECT id FROM channel WHERE workspace_id = :ws AND kind = 'whatsapp'
  ORDER BY created_at LIMIT 1)`;

/**
 * The statements a capture adds to its own batch, so the lead, its event, its auto-reply and its
 * sequence enrolment are written together or not at all. They act only when this capture created the
 * lead: a re-inquiry or a replayed webhook gets no second auto-reply and no second enrolment.
 * `outboxIndexes` are the statements whose RETURNING rows are outbox ids to send at once.
 */
export function captureOutboxStatements(
  config: Config,
  channels: ChannelList,
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
            WHERE c.id = ${FIRST_WHATSAPP_NUMBER} AND json_extract(c.config, '$.templates.auto_reply.name') IS NOT NULL
              AND ${CREATED}
            ON CONFLICT DO NOTHING RETURNING id`,
      args: { ...base, to: f.phone.replace(/^\+/, ""), formId: f.formId },
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
  // A prospect who writes to a channel's bot or number: its configured auto-reply, in that chat, from the bot
  // or number they wrote to (else the workspace's first of the lead's source), to their address on it.
  const reach = channels.flatMap((c) => (c.prospect ? [`WHEN '${c.kind}' THEN (${c.prospect.recipient})`] : []));
  if (reach.length > 0 && (f.channelId || channels.some((c) => c.kind === f.source))) {
    outboxIndexes.push(statements.length);
    statements.push({
      sql: `INSERT INTO outbox ${OUTBOX_COLUMNS}
            SELECT :autoId, :ws, :leadId, 'auto_reply', c.kind, c.id, CASE c.kind ${reach.join(" ")} END,
              json_object('text', json_extract(c.config, '$.autoReplyText')), :autoKey, 'pending', 0, :now, :now, :now
            FROM channel c JOIN lead l ON l.id = :leadId AND l.workspace_id = :ws
            WHERE c.id = COALESCE(
                (SELECT id FROM channel WHERE id = :channelId AND workspace_id = :ws),
                (SELECT id FROM channel WHERE workspace_id = :ws AND kind = :source ORDER BY created_at LIMIT 1))
              AND json_extract(c.config, '$.autoReplyText') IS NOT NULL
              AND CASE c.kind ${reach.join(" ")} END IS NOT NULL
            ON CONFLICT DO NOTHING RETURNING id`,
      args: { ...base, source: f.source, channelId: f.channelId ?? null },
    });
  }
  // The owner's alert with the one-tap action buttons, in the first app of the list they are reachable on
  // (each channel handles the taps). Reassignments alert through the same statements.
  if (f.ownerRepId && !f.ownerUnreachable) {
    const alerts = repAlertStatements({
      channels,
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
