import type { InStatement, Row } from "@libsql/client/web";
import type { OutboxKind, OutboxPayload, SenderKind } from "../../db/schema";
import type { DomainContext } from "../domain/context";
import { MAX_ATTEMPTS } from "./backoff";

// A claimed row stays invisible to other runs this long. Longer than a send can take (SEND_TIMEOUT_MS
// per attempt), short enough that a crashed run's rows go out again within minutes.
export const LEASE_MS = 5 * 60_000;

export interface ClaimedRow {
  id: string;
  workspaceId: string;
  leadId: string | null;
  kind: OutboxKind;
  sender: SenderKind;
  channelId: string | null;
  recipient: string;
  payload: OutboxPayload;
  /** Including this claim. */
  attempts: number;
  leaseUntil: number;
}

function fromRow(r: Row): ClaimedRow {
  return {
    id: String(r.id),
    workspaceId: String(r.workspace_id),
    leadId: r.lead_id === null ? null : String(r.lead_id),
    kind: String(r.kind) as OutboxKind,
    sender: String(r.sender) as SenderKind,
    channelId: r.channel_id === null ? null : String(r.channel_id),
    recipient: String(r.recipient),
    payload: JSON.parse(String(r.payload)) as OutboxPayload,
    attempts: Number(r.attempts),
    leaseUntil: Number(r.lease_until),
  };
}

/**
 * The claim is one UPDATE … WHERE id IN (due, unleased rows) … RETURNING: SQLite runs it under the write
 * lock, so two overlapping cron runs (or a cron run and a capture's waitUntil) can never both get a row.
 * The claim counts as an attempt, so a run that crashes after claiming still moves the row towards `dead`.
 */
function claimStatement(
  now: number,
  senders: SenderKind[],
  filter: string,
  args: Record<string, string | number>,
): InStatement {
  return {
    sql: `UPDATE outbox SET lease_until = :leaseUntil, attempts = attempts + 1, updated_at = :now
          WHERE id IN (
            SELECT id FROM outbox
            WHERE state = 'pending' AND due_at <= :now AND (lease_until IS NULL OR lease_until <= :now)
              AND attempts < :maxAttempts AND sender IN (SELECT value FROM json_each(:senders)) ${filter}
            ORDER BY due_at LIMIT :limit)
          RETURNING id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload, attempts, lease_until`,
    args: { ...args, now, leaseUntil: now + LEASE_MS, senders: JSON.stringify(senders), maxAttempts: MAX_ATTEMPTS },
  };
}

/** Claims up to `limit` due rows for the senders that exist (cron). */
export async function claimDue(ctx: DomainContext, senders: SenderKind[], limit: number): Promise<ClaimedRow[]> {
  const rs = await ctx.database.client.execute(claimStatement(ctx.now(), senders, "", { limit }));
  return rs.rows.map(fromRow);
}

/** The claim of the given rows if they are still due and unclaimed (the immediate send after a capture). */
export function claimByIdsStatement(now: number, senders: SenderKind[], ids: string[]): InStatement {
  return claimStatement(now, senders, "AND id IN (SELECT value FROM json_each(:ids))", {
    ids: JSON.stringify(ids),
    limit: ids.length,
  });
}

/** The claimed rows a claim statement returned. */
export const claimedRows = (rows: Row[]): ClaimedRow[] => rows.map(fromRow);

/**
 * A row whose every attempt was claimed by a run that then died (a poison message that crashes the
 * sender, say) is never claimed again: once its last lease expires it is marked dead here.
 */
export async function reapExhausted(ctx: DomainContext): Promise<number> {
  const rs = await ctx.database.client.execute({
    sql: `UPDATE outbox SET state = 'dead', lease_until = NULL, updated_at = :now,
            last_error = COALESCE(last_error || '; ', '') || 'no result recorded for the last attempt'
          WHERE state = 'pending' AND attempts >= :maxAttempts AND lease_until <= :now`,
    args: { now: ctx.now(), maxAttempts: MAX_ATTEMPTS },
  });
  return rs.rowsAffected;
}
