import type { InStatement } from "@libsql/client/web";
import type { ReplyFrom } from "../domain/leads/rep-reply";
import { newId } from "../lib/ids";
import type { ClaimedRow } from "./claim";
import { outboxRowInsert } from "./outbox-row";

/**
 * What a rep's reply's fate changes beyond its own row. Delivered: it is the lead's first response (from
 * when the rep wrote it) and the SLA clock stops. Not delivered (blocked, window closed without a template,
 * opted out, gave up retrying): the timeline says so and the rep is told in the chat they replied from,
 * once per reply however many parts failed. A reply nobody received is never counted as a response.
 */
export function replyOutcomeStatements(
  row: ClaimedRow,
  failure: string | null,
  leadName: string | null,
  now: number,
): InStatement[] {
  if (row.kind !== "rep_reply" || !row.leadId) return [];
  const lead = { ws: row.workspaceId, lead: row.leadId, now };
  if (failure === null) {
    return [
      {
        sql: `UPDATE lead SET first_response_at = COALESCE(first_response_at, (SELECT created_at FROM outbox
                WHERE id = :obx)),
                sla_due_at = NULL, updated_at = :now
              WHERE workspace_id = :ws AND id = :lead`,
        args: { ...lead, obx: row.id },
      },
    ];
  }
  const replyKey = typeof row.payload.replyKey === "string" ? row.payload.replyKey : row.id;
  const text = typeof row.payload.text === "string" ? row.payload.text : "";
  const statements: InStatement[] = [
    {
      sql: `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, dedup_key, created_at)
            VALUES (:id, :ws, :lead, 'delivery_failed', 'system', NULL, :data, :dedup, :now) ON CONFLICT DO NOTHING`,
      args: {
        ...lead,
        id: newId("evt", now),
        data: JSON.stringify({
          outboxId: row.id,
          kind: row.kind,
          channel: row.sender,
          error: failure,
          text: text.slice(0, 500),
        }),
        dedup: `undelivered:${row.id}`,
      },
    },
  ];
  const from = row.payload.replyFrom as ReplyFrom | undefined;
  if (from?.channelId && from.recipient) {
    const quote = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    statements.push(
      outboxRowInsert({
        workspaceId: row.workspaceId,
        leadId: row.leadId,
        kind: "bot_reply",
        sender: from.sender,
        channelId: from.channelId,
        recipient: from.recipient,
        key: `undelivered:${replyKey}`,
        now,
        payload: {
          text:
            `Your reply to ${leadName ?? "the lead"} was NOT delivered (${failure}). Reach them another way.` +
            `\n“${quote}”\nLead ${row.leadId}`,
        },
      }),
    );
  }
  return statements;
}
