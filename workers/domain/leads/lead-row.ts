import type { Row } from "@libsql/client/web";
import type { lead } from "../../../db/schema";

export type Lead = typeof lead.$inferSelect;

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Maps a raw `SELECT * FROM lead` row (hand-written batches) to the same shape drizzle returns. */
export function leadFromRow(row: Row): Lead {
  return {
    id: String(row.id),
    workspaceId: String(row.workspace_id),
    formId: str(row.form_id),
    source: String(row.source) as Lead["source"],
    status: String(row.status) as Lead["status"],
    name: str(row.name),
    phone: str(row.phone),
    email: str(row.email),
    telegramUserId: str(row.telegram_user_id),
    whatsappId: str(row.whatsapp_id),
    whatsappUserId: str(row.whatsapp_user_id),
    message: str(row.message),
    fields: JSON.parse(String(row.fields ?? "{}")) as Record<string, string>,
    utmSource: str(row.utm_source),
    utmMedium: str(row.utm_medium),
    utmCampaign: str(row.utm_campaign),
    utmTerm: str(row.utm_term),
    utmContent: str(row.utm_content),
    referrer: str(row.referrer),
    pageUrl: str(row.page_url),
    ownerRepId: str(row.owner_rep_id),
    poolId: str(row.pool_id),
    slaDueAt: num(row.sla_due_at),
    reassignCount: Number(row.reassign_count ?? 0),
    passedRepIds: JSON.parse(String(row.passed_rep_ids ?? "[]")) as string[],
    claimedAt: num(row.claimed_at),
    escalatedAt: num(row.escalated_at),
    score: num(row.score),
    scoreReasons:
      row.score_reasons === null || row.score_reasons === undefined
        ? null
        : (JSON.parse(String(row.score_reasons)) as Lead["scoreReasons"]),
    hot: Number(row.hot) === 1,
    notes: str(row.notes),
    assignedAt: num(row.assigned_at),
    firstResponseAt: num(row.first_response_at),
    lastInboundAt: Number(row.last_inbound_at),
    optedOutAt: num(row.opted_out_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
