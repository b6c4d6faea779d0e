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
 *
 * Messages about one lead to one chat (same sender and recipient: a chain) reach it in the order written
 * (ids sort by creation). A row is not claimed while an earlier row of its chain is still pending and has been
 * tried (in flight, or waiting for its retry) or is due, unless that earlier row is claimed by this same
 * statement (`inClaim`): then the run sends them one after another. An earlier row that is settled (sent,
 * skipped, failed, dead) holds nothing, so a message that finally fails lets the rest go; one scheduled for
 * later and not yet tried (a follow-up step) holds nothing either.
 */
function claimStatement(
  now: number,
  senders: SenderKind[],
  filter: string,
  inClaim: string,
  args: Record<string, string | number>,
): InStatement {
  return {
    sql: `UPDATE outbox SET lease_until = :leaseUntil, attempts = attempts + 1, updated_at = :now
          WHERE id IN (
            SELECT o.id FROM outbox o
            WHERE o.state = 'pending' AND o.due_at <= :now AND (o.lease_until IS NULL OR o.lease_until <= :now)
              AND o.attempts < :maxAttempts AND o.sender IN (SELECT value FROM json_each(:senders)) ${filter}
              AND NOT EXISTS (SELECT 1 FROM outbox p
                WHERE p.lead_id = o.lead_id AND p.sender = o.sender AND p.recipient = o.recipient AND p.id < o.id
                  AND p.state = 'pending' AND (p.attempts > 0 OR p.due_at <= :now)
                  AND NOT (p.due_at <= :now AND (p.lease_until IS NULL OR p.lease_until <= :now)
                    AND p.attempts < :maxAttempts AND ${inClaim}))
            ORDER BY o.due_at, o.id LIMIT :limit)
          RETURNING id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload, attempts, lease_until`,
    args: { ...args, now, leaseUntil: now + LEASE_MS, senders: JSON.stringify(senders), maxAttempts: MAX_ATTEMPTS },
  };
}

/** Rows in the order written (ids sort by creation), as deliverClaimed sends a chain's rows. */
export const byId = (a: ClaimedRow, b: ClaimedRow) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Claims up to `limit` due rows for the senders that exist (cron). */
export async function claimDue(ctx: DomainContext, senders: SenderKind[], limit: number): Promise<ClaimedRow[]> {
  // An earlier row of a chain is in this claim when it comes before in the claim's order (due_at, then id) and
  // so within the LIMIT whenever the later row is.
  const rs = await ctx.database.client.execute(
    claimStatement(ctx.now(), senders, "", "p.due_at <= o.due_at", { limit }),
  );
  // In the order written, as deliverClaimed sends a chain's rows (RETURNING follows no ORDER BY).
  return rs.rows.map(fromRow).sort(byId);
}

/** The claim of the given rows if they are still due and unclaimed (the immediate send after a capture). */
export function claimByIdsStatement(now: number, senders: SenderKind[], ids: string[]): InStatement {
  const given = "id IN (SELECT value FROM json_each(:ids))";
  return claimStatement(now, senders, `AND o.${given}`, `p.${given}`, {
    ids: JSON.stringify(ids),
    limit: ids.length,
  });
}

/**
 * The claim of rows that waited for an earlier row of their chain ([lead, sender, recipient]) which this run has
 * just settled: it rides in the batch recording that outcome (after it), so a message written while the earlier one
 * was in flight goes out at once instead of at the next cron run, at no round trip of its own.
 */
export function claimFollowersStatement(now: number, senders: SenderKind[], chains: [string, string, string][]) {
  return claimStatement(
    now,
    senders,
    `AND o.lead_id IN (SELECT value ->> 0 FROM json_each(:chains)) AND EXISTS (SELECT 1 FROM json_each(:chains) c
       WHERE c.value ->> 0 = o.lead_id AND c.value ->> 1 = o.sender AND c.value ->> 2 = o.recipient)`,
    "p.due_at <= o.due_at",
    { chains: JSON.stringify(chains), limit: FOLLOWERS_LIMIT },
  );
}

// Followers claimed per run: a chat's burst of messages; any more go with the next run or cron.
const FOLLOWERS_LIMIT = 20;

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
