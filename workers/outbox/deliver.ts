import type { InStatement, Row } from "@libsql/client/web";
import type { ChannelConfig, OutboxKind, SenderKind } from "../../db/schema";
import { type ChannelList, channelOfKind } from "../channels/channel";
import type { DomainContext } from "../domain/context";
import type { LeadActionsRef } from "../domain/leads/lead-action-names";
import { MAX_ATTEMPTS, nextAttemptAt } from "./backoff";
import { byId, type ClaimedRow, claimByIdsStatement, claimedRows, claimFollowersStatement } from "./claim";
import { statusRank } from "./delivery-status";
import { insertedIds } from "./outbox-row";
import { renderTemplate } from "./render";
import { replyOutcomeStatements } from "./reply-outcome";
import { scheduleRetries } from "./retry-queue";
import type { SenderRegistry, SendResult } from "./sender";
import { webhookDeliveryLog } from "./webhook-delivery-log";

// Workers allow 6 simultaneous outgoing connections per invocation; the database needs one of them.
const SEND_CONCURRENCY = 4;

// Messages to the prospect honour their opt-out; messages to reps and owners do not depend on it.
const TEMPLATED_KINDS: ReadonlySet<string> = new Set(["auto_reply", "follow_up", "reminder"]);
const PROSPECT_KINDS: ReadonlySet<OutboxKind> = new Set(["auto_reply", "follow_up", "rep_reply"]);
// Messages to a rep about a lead: one cut at the platform's limit says where the whole text is.
const ABOUT_LEAD_KINDS: ReadonlySet<OutboxKind> = new Set(["rep_alert", "relay", "escalation"]);

export interface RowContext {
  leadName: string | null;
  optedOut: boolean;
  repName: string | null;
  formName: string | null;
  channelConfig: ChannelConfig | null;
  suppressed: boolean;
  /** Channels with a messaging window: the recipient's last message to the sending channel (opens it). */
  lastInboundAt: number | null;
  /** Webhook rows: the endpoint's signing secret now; null once it is deleted or deactivated. */
  webhookSecret: string | null;
  /** Webhook rows: the secret a rotation replaced, while its overlap lasts. */
  webhookPreviousSecret: string | null;
}

/**
 * Claims the given rows and reads what sending them needs, in one round trip: the context read rides in the
 * claim's batch (rows another run holds are claimed by nobody here, and their context is ignored).
 */
export async function claimWithContext(
  ctx: DomainContext,
  senders: SenderKind[],
  ids: string[],
): Promise<{ rows: ClaimedRow[]; context: Map<string, RowContext> }> {
  if (ids.length === 0) return { rows: [], context: new Map() };
  const [claimed, context] = await ctx.database.client.batch(
    [claimByIdsStatement(ctx.now(), senders, ids), contextStatement(ctx.channels, ids, ctx.now())],
    "write",
  );
  // In the order the caller wrote them (RETURNING follows no ORDER BY): messages to one chat go out in that order.
  const order = new Map(ids.map((id, i) => [id, i]));
  const rows = claimedRows(claimed?.rows ?? []).sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return { rows, context: contextFromRows(context?.rows ?? []) };
}

/** Everything rendering and the suppression checks need, for all claimed rows, in one read. */
function contextStatement(channels: ChannelList, ids: string[], now: number): InStatement {
  const windows = channels.filter((c) => c.window);
  const lastInbound = windows.length
    ? `CASE o.sender ${windows.map((c) => `WHEN '${c.kind}' THEN ${c.window?.lastInbound}`).join(" ")} END`
    : "NULL";
  return {
    sql: `SELECT o.id, l.name AS lead_name, l.opted_out_at, r.name AS rep_name, f.name AS form_name,
            c.config AS channel_config,
            EXISTS (SELECT 1 FROM suppression s
                    WHERE s.workspace_id = o.workspace_id AND s.sender = o.sender
                      AND s.address = o.recipient) AS suppressed,
            ${lastInbound} AS last_inbound_at,
            CASE WHEN o.sender = 'webhook' THEN (SELECT e.secret FROM webhook_endpoint e
                    WHERE e.id = json_extract(o.payload, '$.body.endpointId') AND e.workspace_id = o.workspace_id
                      AND e.active = 1) END AS webhook_secret,
            CASE WHEN o.sender = 'webhook' THEN (SELECT e.previous_secret FROM webhook_endpoint e
                    WHERE e.id = json_extract(o.payload, '$.body.endpointId') AND e.workspace_id = o.workspace_id
                      AND e.previous_secret_expires_at > :now) END AS webhook_previous_secret
          FROM outbox o
          LEFT JOIN lead l ON l.id = o.lead_id
          LEFT JOIN rep r ON r.id = l.owner_rep_id
          LEFT JOIN form f ON f.id = l.form_id
          LEFT JOIN channel c ON c.id = o.channel_id
          WHERE o.id IN (SELECT value FROM json_each(:ids))`,
    args: { ids: JSON.stringify(ids), now },
  };
}

function contextFromRows(rows: Row[]): Map<string, RowContext> {
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return new Map(
    rows.map((r) => [
      String(r.id),
      {
        leadName: str(r.lead_name),
        optedOut: r.opted_out_at !== null,
        repName: str(r.rep_name),
        formName: str(r.form_name),
        channelConfig: r.channel_config === null ? null : (JSON.parse(String(r.channel_config)) as ChannelConfig),
        suppressed: Number(r.suppressed) === 1,
        lastInboundAt: r.last_inbound_at === null || r.last_inbound_at === undefined ? null : Number(r.last_inbound_at),
        webhookSecret: str(r.webhook_secret),
        webhookPreviousSecret: str(r.webhook_previous_secret),
      },
    ]),
  );
}

type Outcome = SendResult | { status: "skipped"; reason: string };

async function sendOne(
  row: ClaimedRow,
  context: RowContext | undefined,
  senders: SenderRegistry,
  channels: ChannelList,
  now: number,
): Promise<Outcome> {
  if (!context) return { status: "skipped", reason: "row vanished" };
  if (context.suppressed) return { status: "skipped", reason: `recipient unreachable on ${row.sender}` };
  if (PROSPECT_KINDS.has(row.kind) && context.optedOut) return { status: "skipped", reason: "prospect opted out" };
  const endpointId =
    row.sender === "webhook" ? (row.payload.body as { endpointId?: unknown } | undefined)?.endpointId : undefined;
  if (endpointId !== undefined && context.webhookSecret === null)
    return { status: "skipped", reason: "webhook endpoint deleted or deactivated" };
  const sender = senders[row.sender];
  if (!sender) return { status: "retry", error: `no ${row.sender} sender` };
  const vars = { name: context.leadName, repName: context.repName, form: context.formName };
  // Only templates (the owner's auto-replies and follow-ups, our reminder) take variables; alerts, relays and replies
  // carry text a prospect or rep typed, which must arrive exactly as written ("{name}" included).
  const render = (text: string) => (TEMPLATED_KINDS.has(row.kind) ? renderTemplate(text, vars) : text);
  try {
    return await sender.send({
      recipient: row.recipient,
      text: render(row.payload.text ?? ""),
      subject: row.payload.subject === undefined ? undefined : render(row.payload.subject),
      template: row.payload.template,
      body: row.payload.body,
      replyMarkup: row.payload.replyMarkup,
      interactive: row.payload.interactive,
      actions: row.payload.actions as LeadActionsRef | undefined,
      kind: row.kind,
      windowOpen: channelOfKind(channels, row.sender)?.window?.isOpen(context.lastInboundAt, now),
      // Template parameters are owner-written templates too, whatever the row's kind.
      render: (text: string) => renderTemplate(text.replaceAll("{lead_id}", row.leadId ?? ""), vars),
      copyOf: row.payload.copyOf,
      channelConfig: context.channelConfig,
      signingSecret: context.webhookSecret ?? undefined,
      previousSigningSecret: context.webhookPreviousSecret ?? undefined,
      cutNote:
        row.leadId && ABOUT_LEAD_KINDS.has(row.kind)
          ? `cut at the chat limit; the full text is on lead ${row.leadId}`
          : undefined,
    });
  } catch (err) {
    // A sender bug must not leave the row leased with no record of why.
    return { status: "retry", error: `sender threw: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * The result of one send as statements. Each is guarded by our lease, so a run that overran its lease
 * (and lost the row to another run) cannot overwrite what that run recorded.
 */
function record(
  row: ClaimedRow,
  outcome: Outcome,
  now: number,
  retryAt: number,
  leadName: string | null,
): InStatement[] {
  const failure =
    outcome.status === "permanent"
      ? outcome.reason
      : outcome.status === "skipped"
        ? outcome.reason
        : outcome.status === "retry" && row.attempts >= MAX_ATTEMPTS
          ? `gave up after ${row.attempts} attempts: ${outcome.error}`
          : null;
  const log = webhookDeliveryLog(row, outcome, now);
  if (outcome.status === "retry" && failure === null) return [...recordRow(row, outcome, now, retryAt), ...log];
  return [...recordRow(row, outcome, now, retryAt), ...log, ...replyOutcomeStatements(row, failure, leadName, now)];
}

function recordRow(row: ClaimedRow, outcome: Outcome, now: number, retryAt: number): InStatement[] {
  const guard = "WHERE id = :id AND lease_until = :lease";
  const base = { id: row.id, lease: row.leaseUntil, now };
  switch (outcome.status) {
    case "ok": {
      const sent: InStatement[] = [
        {
          sql: `UPDATE outbox SET state = 'sent', sent_at = :now, provider_message_id = :pid, lease_until = NULL,
            last_error = NULL, updated_at = :now ${guard}`,
          args: { ...base, pid: outcome.providerMessageId },
        },
      ];
      // Meta may report `sent`/`delivered` before this send's answer reached us: the statuses stored by the
      // webhook for this message id apply now (the highest one; see bots/whatsapp/statuses.ts).
      if (row.sender === "whatsapp" && outcome.providerMessageId)
        sent.push(applyStoredStatuses(row.id, row.channelId, outcome.providerMessageId));
      return sent;
    }
    case "skipped":
      return [
        {
          sql: `UPDATE outbox SET state = 'skipped', last_error = :err, lease_until = NULL, updated_at = :now ${guard}`,
          args: { ...base, err: outcome.reason },
        },
      ];
    case "retry": {
      if (row.attempts >= MAX_ATTEMPTS) {
        return [
          {
            sql: `UPDATE outbox SET state = 'dead', last_error = :err, lease_until = NULL, updated_at = :now ${guard}`,
            args: { ...base, err: outcome.error },
          },
          ...failedStepStatements(row, now),
        ];
      }
      return [
        {
          sql: `UPDATE outbox SET due_at = :due, last_error = :err, lease_until = NULL, updated_at = :now ${guard}`,
          args: { ...base, due: retryAt, err: outcome.error },
        },
      ];
    }
    case "permanent": {
      const out: InStatement[] = [
        {
          sql: `UPDATE outbox SET state = 'failed', last_error = :err, lease_until = NULL, updated_at = :now ${guard}`,
          args: { ...base, err: outcome.reason },
        },
        ...failedStepStatements(row, now),
      ];
      if (outcome.suppress) {
        // The chat / address is unreachable: later rows to it are skipped, never sent blindly.
        out.push({
          sql: `INSERT INTO suppression (workspace_id, sender, address, reason, detail, lead_id, created_at)
                VALUES (:ws, :sender, :address, :reason, :detail, :lead, :now) ON CONFLICT DO NOTHING`,
          args: {
            ws: row.workspaceId,
            sender: row.sender,
            address: row.recipient,
            reason: outcome.suppress,
            detail: outcome.reason,
            lead: row.leadId,
            now,
          },
        });
      }
      return out;
    }
  }
}

/**
 * Gives back a claimed row that was not tried: its claim's attempt is undone (it must not move the row towards
 * `dead`), and it is due no earlier than the chain's earlier row it waits for, so one claim takes both again.
 */
function holdStatement(row: ClaimedRow, dueAt: number, now: number): InStatement {
  return {
    sql: `UPDATE outbox SET lease_until = NULL, attempts = attempts - 1, due_at = MAX(due_at, :due), updated_at = :now
          WHERE id = :id AND lease_until = :lease`,
    args: { id: row.id, lease: row.leaseUntil, due: dueAt, now },
  };
}

/**
 * A sequence step that could not be delivered ends its enrolment when the workspace's policy says `stop`
 * (the default); with `skip` the enrolment goes on to its next step. Only once this row is really failed.
 */
function failedStepStatements(row: ClaimedRow, now: number): InStatement[] {
  if (row.kind !== "follow_up") return [];
  return [
    {
      sql: `UPDATE sequence_enrollment SET state = 'stopped', stop_reason = 'step_failed', next_due_at = NULL,
              updated_at = :now
            WHERE workspace_id = :ws AND lead_id = :lead AND state = 'active'
              AND (SELECT failed_step_policy FROM workspace WHERE id = :ws) = 'stop'
              AND EXISTS (SELECT 1 FROM outbox o WHERE o.id = :id AND o.state IN ('failed', 'dead')
                AND o.idempotency_key LIKE 'seq:' || sequence_enrollment.id || ':%')`,
      args: { id: row.id, ws: row.workspaceId, lead: row.leadId, now },
    },
  ];
}

function applyStoredStatuses(id: string, channelId: string | null, messageId: string): InStatement {
  return {
    sql: `UPDATE outbox SET (delivery_status, delivery_status_at, delivery_error) = (
            SELECT s.status, s.status_at, s.errors FROM whatsapp_status s
            WHERE s.channel_id = :ch AND s.message_id = :mid ORDER BY ${statusRank("s.status")} DESC LIMIT 1)
          WHERE id = :id AND EXISTS (SELECT 1 FROM whatsapp_status WHERE channel_id = :ch AND message_id = :mid)`,
    args: { id, ch: channelId, mid: messageId },
  };
}

export interface DeliveryReport {
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
  /** Claimed but not tried: an earlier row of their chain was rescheduled, so they wait for it. */
  held: number;
}

/**
 * Sends claimed rows (bounded concurrency) and records every outcome in one batch. `loaded`: their context,
 * when the claim already read it (claimWithContext); otherwise it is read here.
 */
export async function deliverClaimed(
  ctx: DomainContext,
  senders: SenderRegistry,
  rows: ClaimedRow[],
  loaded?: Map<string, RowContext>,
): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retried: 0, failed: 0, skipped: 0, held: 0 };
  if (rows.length === 0) return report;
  const ids = rows.map((r) => r.id);
  const context =
    loaded ?? contextFromRows((await ctx.database.client.execute(contextStatement(ctx.channels, ids, ctx.now()))).rows);
  const statements: InStatement[] = [];
  const retries = new Map<number, string[]>();
  // Rows about one lead to one chat go one after another in the order given (an auto-reply, then the question
  // written with it, reach the prospect in that order); anything else side by side.
  const chains = new Map<string, ClaimedRow[]>();
  for (const row of rows) {
    const key = `${row.sender}:${row.recipient}:${row.leadId ?? row.id}`;
    const chain = chains.get(key);
    if (chain) chain.push(row);
    else chains.set(key, [row]);
  }
  const queue = [...chains.values()];
  const waiting = new Set<ClaimedRow[]>();
  async function worker() {
    for (let chain = queue.shift(); chain; chain = queue.shift()) {
      for (const [i, row] of chain.entries()) {
        const retryAt = await sendAndRecord(row);
        if (retryAt === undefined) continue;
        waiting.add(chain);
        // Rescheduled: the rest of its chain waits for it (the claim holds them back until it is settled) and
        // goes with it, in the same retry message; a row that finally failed (dead) lets them go now.
        const held = chain.slice(i + 1);
        statements.push(...held.map((r) => holdStatement(r, retryAt, ctx.now())));
        retries.get(retryAt)!.push(...held.map((r) => r.id));
        report.held += held.length;
        break;
      }
    }
  }
  /** Sends and records one row; the time it is due again when it was rescheduled. */
  async function sendAndRecord(row: ClaimedRow): Promise<number | undefined> {
    const outcome = await sendOne(row, context.get(row.id), senders, ctx.channels, ctx.now());
    const now = ctx.now();
    const retryAt = nextAttemptAt(now, row.attempts, outcome.status === "retry" ? outcome.retryAfterMs : undefined);
    statements.push(...record(row, outcome, now, retryAt, context.get(row.id)?.leadName ?? null));
    if (outcome.status === "ok") report.sent++;
    else if (outcome.status === "retry") report.retried++;
    else if (outcome.status === "permanent") report.failed++;
    else report.skipped++;
    if (outcome.status !== "retry" || row.attempts >= MAX_ATTEMPTS) return undefined;
    retries.set(retryAt, [...(retries.get(retryAt) ?? []), row.id]);
    return retryAt;
  }
  await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, queue.length) }, worker));
  // Chains about a lead whose rows here are all settled: later rows of theirs that waited are claimed in this batch.
  const settled = [...chains.values()].flatMap((chain): [string, string, string][] => {
    const { leadId, sender, recipient } = chain[0]!;
    return leadId && !waiting.has(chain) ? [[leadId, sender, recipient]] : [];
  });
  const kinds = Object.keys(senders) as SenderKind[];
  if (settled.length > 0) statements.push(claimFollowersStatement(ctx.now(), kinds, settled));
  const results = await ctx.database.client.batch(statements, "write");
  const followers = settled.length > 0 ? claimedRows(results.pop()?.rows ?? []).sort(byId) : [];
  // Only once the new due times are stored: a message that came first would find the rows still leased.
  await scheduleRetries(ctx.scheduleRetry, retries);
  // Notices the outcomes queued (a rep told their reply was not delivered) go out now, not at the next tick.
  const notices = insertedIds(results);
  const more: DeliveryReport[] = [];
  if (notices.length > 0) {
    const claimed = await claimWithContext(ctx, kinds, notices);
    more.push(await deliverClaimed(ctx, senders, claimed.rows, claimed.context));
  }
  if (followers.length > 0) more.push(await deliverClaimed(ctx, senders, followers));
  for (const m of more) addReport(report, m);
  return report;
}

/** Adds `more`'s counts to `into`'s (a run's report over several deliveries). */
export function addReport(into: DeliveryReport, more: DeliveryReport): void {
  into.sent += more.sent;
  into.retried += more.retried;
  into.failed += more.failed;
  into.skipped += more.skipped;
  into.held += more.held;
}
