import type { InStatement, Row } from "@libsql/client/web";
import type { LeadSource, LeadStatus, StepSender } from "../../db/schema";
import { type DueEnrollment, planStep } from "../sequences/plan-step";
import type { CronJob } from "./job";

// Enrolments handled per tick: one read and one write batch of at most ~2 statements each.
export const SEQUENCE_BATCH = 100;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

function toDue(r: Row): DueEnrollment {
  return {
    id: String(r.id),
    workspaceId: String(r.workspace_id),
    leadId: String(r.lead_id),
    position: Number(r.next_position),
    enrolledAt: Number(r.enrolled_at),
    sequenceActive: Number(r.seq_active) === 1,
    stopOnReply: Number(r.stop_on_reply) === 1,
    stopOnRepResponse: Number(r.stop_on_rep_response) === 1,
    quietStart: str(r.quiet_start),
    quietEnd: str(r.quiet_end),
    timezone: String(r.timezone),
    lead: {
      status: String(r.status) as LeadStatus,
      source: String(r.source) as LeadSource,
      firstResponseAt: num(r.first_response_at),
      lastInboundAt: Number(r.last_inbound_at),
      optedOutAt: num(r.opted_out_at),
      email: str(r.email),
      telegramUserId: str(r.telegram_user_id),
      whatsappId: str(r.whatsapp_id),
      whatsappUserId: str(r.whatsapp_user_id),
      phone: str(r.phone),
      whatsappInboundAt: num(r.wa_inbound_at),
    },
    step:
      r.sender === null
        ? null
        : {
            sender: String(r.sender) as StepSender,
            text: str(r.text),
            subject: str(r.subject),
            template: str(r.template),
          },
    nextDelayMinutes: num(r.next_delay),
    channelId: str(r.channel_id),
    followUpTemplate: str(r.follow_up_template),
  };
}

/**
 * Turns due sequence steps into outbox rows (sent by the outbox job in the same tick). Every write is
 * guarded by the enrolment's position and keyed `seq:<enrolment>:<position>`, so overlapping runs
 * produce one message per step.
 */
export const scheduleSequenceSteps: CronJob = {
  name: "schedule-sequence-steps",
  async run({ ctx, senders }) {
    const now = ctx.now();
    const { client } = ctx.database;
    const rs = await client.execute({
      sql: `SELECT e.id, e.workspace_id, e.lead_id, e.next_position, e.enrolled_at,
              s.active AS seq_active, s.stop_on_reply, s.stop_on_rep_response, s.quiet_start, s.quiet_end, w.timezone,
              l.status, l.source, l.first_response_at, l.last_inbound_at, l.opted_out_at, l.email, l.telegram_user_id,
                l.whatsapp_id, l.whatsapp_user_id, l.phone,
              st.sender, st.text, st.subject, st.template,
              (SELECT delay_minutes FROM sequence_step WHERE sequence_id = e.sequence_id
                AND position = e.next_position + 1) AS next_delay,
              (SELECT id FROM channel WHERE workspace_id = e.workspace_id AND kind = st.sender ORDER BY created_at
                LIMIT 1) AS channel_id,
              (SELECT MAX(w.last_inbound_at) FROM whatsapp_window w
                WHERE w.channel_id = (SELECT id FROM channel WHERE workspace_id = e.workspace_id AND kind = 'whatsapp'
                  ORDER BY created_at LIMIT 1)
                  AND w.address IN (l.whatsapp_id, l.whatsapp_user_id, ltrim(l.phone, '+'))) AS wa_inbound_at,
              (SELECT json_extract(config, '$.templates.follow_up.name') FROM channel
                WHERE workspace_id = e.workspace_id AND kind = 'whatsapp' ORDER BY created_at
                  LIMIT 1) AS follow_up_template
            FROM sequence_enrollment e
            JOIN sequence s ON s.id = e.sequence_id
            JOIN workspace w ON w.id = e.workspace_id
            JOIN lead l ON l.id = e.lead_id
            LEFT JOIN sequence_step st ON st.sequence_id = e.sequence_id AND st.position = e.next_position
            WHERE e.state = 'active' AND e.next_due_at <= :now
            ORDER BY e.next_due_at LIMIT :limit`,
      args: { now, limit: SEQUENCE_BATCH },
    });
    const available = new Set(Object.keys(senders) as StepSender[]);
    const counts = { due: rs.rows.length, queued: 0, skipped: 0, deferred: 0, stopped: 0, done: 0 };
    const statements: InStatement[] = [];
    for (const row of rs.rows) {
      const e = toDue(row);
      const plan = planStep(e, now, available);
      const guard = `WHERE id = :id AND state = 'active' AND next_position = :pos`;
      const args = { id: e.id, pos: e.position, now };
      if (plan.action === "stop") {
        counts.stopped++;
        statements.push({
          sql: `UPDATE sequence_enrollment SET state = 'stopped', stop_reason = :reason, next_due_at = NULL,
            updated_at = :now ${guard}`,
          args: { ...args, reason: plan.reason },
        });
      } else if (plan.action === "defer") {
        counts.deferred++;
        statements.push({
          sql: `UPDATE sequence_enrollment SET next_due_at = :until, updated_at = :now ${guard}`,
          args: { ...args, until: plan.until },
        });
      } else if (plan.action === "done") {
        counts.done++;
        statements.push({
          sql: `UPDATE sequence_enrollment SET state = 'done', next_due_at = NULL, updated_at = :now ${guard}`,
          args,
        });
      } else {
        const m = plan.message;
        if (m.skipReason) counts.skipped++;
        else counts.queued++;
        // Skipped steps are recorded as outbox rows too, so the timeline shows why nothing went out.
        statements.push({
          sql: `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload,
                idempotency_key, state, last_error, attempts, due_at, created_at, updated_at)
                VALUES (:oid, :ws, :lead, 'follow_up', :sender, :channel, :recipient, :payload, :key, :state, :err, 0,
                  :now, :now, :now)
                ON CONFLICT DO NOTHING`,
          args: {
            oid: `obx_${e.id.slice(4)}_${e.position}`,
            ws: e.workspaceId,
            lead: e.leadId,
            sender: m.sender,
            channel: m.channelId,
            recipient: m.recipient,
            payload: JSON.stringify(m.payload),
            key: `seq:${e.id}:${e.position}`,
            state: m.skipReason ? "skipped" : "pending",
            err: m.skipReason ?? null,
            now,
          },
        });
        statements.push({
          sql:
            plan.nextDueAt === null
              ? `UPDATE sequence_enrollment SET state = 'done', next_position = :pos + 1, next_due_at = NULL,
                updated_at = :now ${guard}`
              : `UPDATE sequence_enrollment SET next_position = :pos + 1, next_due_at = :next,
                updated_at = :now ${guard}`,
          args: plan.nextDueAt === null ? args : { ...args, next: plan.nextDueAt },
        });
      }
    }
    if (statements.length > 0) await client.batch(statements, "write");
    return counts;
  },
};
