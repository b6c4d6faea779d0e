import { AppError } from "../../errors";
import { sendSoon } from "../../outbox/send-now";
import type { SkipReason } from "../../routing/availability";
import type { Scope } from "../context";
import { SKIP_REASON_TEXT } from "../routing/owner-candidates";

// Leads a person still has to work: closed ones (won, lost, spam, unqualified) never sit in a queue.
const OPEN = `l.status IN ('new', 'contacted', 'qualified')`;
const UNASSIGNED = `l.workspace_id = :ws AND l.owner_rep_id IS NULL AND ${OPEN}`;
// Nobody answered and the deadline passed, or it was escalated because nobody did.
const BREACHED = `l.workspace_id = :ws AND ${OPEN} AND l.first_response_at IS NULL
  AND ((l.sla_due_at IS NOT NULL AND l.sla_due_at < :now) OR l.escalated_at IS NOT NULL)`;
// Messages that did not reach a person: refused for good, out of tries, or reported failed afterwards.
const FAILED = `o.workspace_id = :ws AND o.kind <> 'webhook'
  AND (o.state IN ('failed', 'dead') OR o.delivery_status = 'failed')`;

export interface QueueCounts {
  unassigned: number;
  breached: number;
  failed: number;
}

export async function queueCounts({ ctx, workspace }: Scope): Promise<QueueCounts> {
  const rs = await ctx.database.client.execute({
    sql: `SELECT (SELECT count(*) FROM lead l WHERE ${UNASSIGNED}) AS unassigned,
                 (SELECT count(*) FROM lead l WHERE ${BREACHED}) AS breached,
                 (SELECT count(*) FROM outbox o WHERE ${FAILED}) AS failed`,
    args: { ws: workspace.id, now: ctx.now() },
  });
  const r = rs.rows[0]!;
  return { unassigned: Number(r.unassigned), breached: Number(r.breached), failed: Number(r.failed) };
}

export interface QueueLead {
  id: string;
  name: string | null;
  source: string;
  createdAt: number;
  ownerRepId: string | null;
  slaDueAt: number | null;
  why: string;
}

export interface FailedDelivery {
  id: string;
  leadId: string | null;
  leadName: string | null;
  kind: string;
  sender: string;
  state: string;
  error: string;
  attempts: number;
  updatedAt: number;
}

/** Why routing left a lead without an owner, from its last assignment event, in the owner's words. */
function unassignedWhy(data: unknown, repName: Map<string, string>): string {
  const skipped =
    (data && typeof data === "object" ? (data as { skipped?: Record<string, SkipReason> }).skipped : undefined) ?? {};
  const parts = Object.entries(skipped).map(
    ([id, reason]) => `${repName.get(id) ?? "a removed rep"} is ${SKIP_REASON_TEXT[reason] ?? reason}`,
  );
  return parts.length ? `Nobody could take it: ${parts.join("; ")}.` : "There was no rep to give it to.";
}

const QUEUE_LIMIT = 200;

/** The three queues that need a person, newest first, each capped (the counts say how many there are). */
export async function loadQueues({ ctx, workspace }: Scope) {
  const ws = workspace.id;
  const limit = QUEUE_LIMIT;
  const lastAssignment = `(SELECT e.data FROM lead_event e WHERE e.workspace_id = l.workspace_id AND e.lead_id = l.id
      AND e.type IN ('unassigned', 'assigned', 'escalated', 'owner_changed', 'reassigned')
      ORDER BY e.created_at DESC, e.id DESC LIMIT 1)`;
  const [unassigned, breached, failed, reps] = await ctx.database.client.batch([
    {
      sql: `SELECT l.id, l.name, l.source, l.created_at, l.owner_rep_id, l.sla_due_at, ${lastAssignment} AS why
            FROM lead l WHERE ${UNASSIGNED} ORDER BY l.created_at DESC LIMIT :limit`,
      args: { ws, limit },
    },
    {
      sql: `SELECT l.id, l.name, l.source, l.created_at, l.owner_rep_id, l.sla_due_at, l.escalated_at AS why
            FROM lead l WHERE ${BREACHED} ORDER BY l.created_at DESC LIMIT :limit`,
      args: { ws, limit, now: ctx.now() },
    },
    {
      sql: `SELECT o.id, o.lead_id, l.name AS lead_name, o.kind, o.sender, o.state, o.attempts, o.updated_at,
              COALESCE(o.delivery_error, o.last_error, '') AS error
            FROM outbox o LEFT JOIN lead l ON l.id = o.lead_id WHERE ${FAILED} ORDER BY o.updated_at DESC
              LIMIT :limit`,
      args: { ws, limit },
    },
    { sql: `SELECT id, name FROM rep WHERE workspace_id = :ws`, args: { ws } },
  ]);
  const repName = new Map(reps!.rows.map((r) => [String(r.id), String(r.name)]));
  const leadOf = (r: Record<string, unknown>, why: string): QueueLead => ({
    id: String(r.id),
    name: r.name === null ? null : String(r.name),
    source: String(r.source),
    createdAt: Number(r.created_at),
    ownerRepId: r.owner_rep_id === null ? null : String(r.owner_rep_id),
    slaDueAt: r.sla_due_at === null ? null : Number(r.sla_due_at),
    why,
  });
  return {
    unassigned: unassigned!.rows.map((r) =>
      leadOf(r, unassignedWhy(r.why === null ? null : JSON.parse(String(r.why)), repName)),
    ),
    breached: breached!.rows.map((r) =>
      leadOf(r, r.why === null ? "Its owner has not answered in time." : "Escalated: nobody answered in time."),
    ),
    failed: failed!.rows.map(
      (r): FailedDelivery => ({
        id: String(r.id),
        leadId: r.lead_id === null ? null : String(r.lead_id),
        leadName: r.lead_name === null ? null : String(r.lead_name),
        kind: String(r.kind),
        sender: String(r.sender),
        state: String(r.state),
        error: String(r.error),
        attempts: Number(r.attempts),
        updatedAt: Number(r.updated_at),
      }),
    ),
    repName,
  };
}

/**
 * Sends a failed or dead message again: the row goes back to pending with fresh tries and is sent at once
 * through the outbox like any other (which still honours opt-outs and the WhatsApp window). Only a row of
 * this workspace that is failed or dead is touched, so a double click or a row already retried changes nothing.
 */
export async function retryDelivery({ ctx, workspace }: Scope, outboxId: string): Promise<boolean> {
  const now = ctx.now();
  const [updated, found] = await ctx.database.client.batch(
    [
      {
        sql: `UPDATE outbox SET state = 'pending', attempts = 0, due_at = :now, lease_until = NULL, last_error = NULL,
                delivery_status = NULL, delivery_error = NULL, updated_at = :now
              WHERE id = :id AND workspace_id = :ws AND kind <> 'webhook'
                AND (state IN ('failed', 'dead') OR delivery_status = 'failed') RETURNING id`,
        args: { id: outboxId, ws: workspace.id, now },
      },
      { sql: `SELECT 1 FROM outbox WHERE id = :id AND workspace_id = :ws`, args: { id: outboxId, ws: workspace.id } },
    ],
    "write",
  );
  if (found!.rows.length === 0) throw AppError.notFound("Message");
  const ids = updated!.rows.map((r) => String(r.id));
  sendSoon(ctx, ids);
  return ids.length > 0;
}
