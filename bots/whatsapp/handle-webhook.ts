import type { InStatement } from "@libsql/client/web";
import { channelWebhookSeen } from "../../workers/domain/channels/channel-status";
import { toAppError } from "../../workers/errors";
import { decodeAlertReply } from "./alert-actions";
import type { WhatsappDeps, WhatsappRep } from "./context";
import { describeMessage } from "./describe-message";
import { handleProspectMessage } from "./prospect";
import { handleRepAction } from "./rep-actions";
import { handleRepMessage } from "./rep-replies";
import { statusStatements } from "./statuses";
import type { InboundMessage, WebhookBatch } from "./webhook-payload";

/** Contacts handled side by side within one delivery. */
const CONTACTS_AT_ONCE = 6;

export interface WebhookReport {
  handled: number;
  duplicates: number;
  statuses: number;
  dropped: number;
}

/**
 * One webhook delivery, possibly batched. Order of work:
 * 1. One round trip: note the webhook's arrival on the channel, open the 24-hour window for every sender (before
 *    any reply is queued, so the auto-reply sees it), read which message ids were handled before, and which
 *    senders are reps of the workspace.
 * 2. Each new message: a contact's in order (the first creates the lead, the next ones find it), several
 *    contacts at once.
 * 3. One batch: statuses, out-of-band errors, and the handled message ids — recorded after their effects,
 *    so a 2xx means stored, and a storage failure (5xx) makes Meta redeliver what is not recorded yet.
 * A message that cannot be handled for any other reason (a bug, a message we cannot read) is logged and
 * acknowledged: redelivering it for 36 hours would not help.
 */
export async function handleWebhook(deps: WhatsappDeps, batch: WebhookBatch): Promise<WebhookReport> {
  const { client } = deps.ctx.database;
  const now = deps.ctx.now();
  const report: WebhookReport = { handled: 0, duplicates: 0, statuses: batch.statuses.length, dropped: 0 };
  const windows: InStatement[] = [];
  for (const m of batch.messages) {
    // The window opened when the user wrote (Meta's timestamp), not when a retry reached us.
    const at = Math.min(m.timestampMs ?? now, now);
    for (const address of [m.from, m.fromUserId]) {
      if (!address) continue;
      windows.push({
        sql: `INSERT INTO whatsapp_window (channel_id, address, last_inbound_at) VALUES (:ch, :address, :at)
              ON CONFLICT (channel_id, address) DO UPDATE SET last_inbound_at = MAX(last_inbound_at, excluded.last_inbound_at)`,
        args: { ch: deps.channel.id, address, at },
      });
    }
  }
  const ids = JSON.stringify(batch.messages.map((m) => m.id));
  const phones = JSON.stringify([...new Set(batch.messages.flatMap((m) => (m.from ? [`+${m.from}`] : [])))]);
  const seen = new Set<string>();
  const reps = new Map<string, WhatsappRep>();
  try {
    const results = await client.batch(
      [
        channelWebhookSeen(deps.channel.id, now),
        ...windows,
        {
          sql: `SELECT message_id FROM whatsapp_inbound WHERE channel_id = :ch AND message_id IN (SELECT value FROM json_each(:ids))`,
          args: { ch: deps.channel.id, ids },
        },
        {
          sql: `SELECT id, name, substr(whatsapp_phone, 2) AS wa FROM rep
                WHERE workspace_id = :ws AND active = 1 AND whatsapp_phone IN (SELECT value FROM json_each(:phones))`,
          args: { ws: deps.workspace.id, phones },
        },
      ],
      "write",
    );
    for (const r of results.at(-2)?.rows ?? []) seen.add(String(r.message_id));
    for (const r of results.at(-1)?.rows ?? []) reps.set(String(r.wa), { id: String(r.id), name: String(r.name) });
  } catch (err) {
    throw toAppError(err);
  }

  // Each contact's messages in order (the first creates the lead, the next ones find it); different contacts
  // side by side, a few at a time: a batch of 1,000 updates one after another would keep Meta waiting for
  // tens of seconds. Six matches the simultaneous connections a Worker invocation may open.
  const handled: string[] = [];
  const byContact = new Map<string, InboundMessage[]>();
  for (const m of batch.messages) {
    if (seen.has(m.id)) {
      report.duplicates++;
      continue;
    }
    seen.add(m.id);
    const contact = m.from || m.fromUserId || m.id;
    byContact.set(contact, [...(byContact.get(contact) ?? []), m]);
  }
  const queue = [...byContact.values()];
  let storageFailure: unknown;
  const worker = async () => {
    for (let next = queue.shift(); next && !storageFailure; next = queue.shift()) {
      for (const m of next) {
        try {
          await handleMessage(deps, m, m.from ? reps.get(m.from) : undefined);
          report.handled++;
        } catch (err) {
          const appErr = toAppError(err);
          // Stop this contact's later messages too: Meta redelivers the whole batch, effects are keyed by message id.
          if (appErr.code === "STORAGE_UNAVAILABLE") {
            storageFailure ??= appErr;
            return;
          }
          report.dropped++;
          console.error(
            JSON.stringify({
              bot: "whatsapp",
              channel: deps.channel.id,
              message: m.id,
              code: appErr.code,
              error: appErr.message,
              cause: String(appErr.cause ?? ""),
            }),
          );
        }
        handled.push(m.id);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONTACTS_AT_ONCE, queue.length) }, worker));
  if (storageFailure) throw storageFailure;

  const finish: InStatement[] = batch.statuses.flatMap((s) => statusStatements(deps, s));
  const lastError = batch.errors.at(-1);
  if (lastError) {
    // Errors about the number itself (e.g. 130429 throughput) carry no message id: kept on the channel,
    // shown in the channel list and on the dashboard.
    finish.push({
      sql: `UPDATE channel SET config = json_set(config, '$.lastError', json(:err)) WHERE id = :ch`,
      args: { ch: deps.channel.id, err: JSON.stringify({ ...lastError, at: now }) },
    });
    console.warn(JSON.stringify({ bot: "whatsapp", channel: deps.channel.id, errors: batch.errors }));
  }
  if (handled.length > 0) {
    finish.push({
      sql: `INSERT INTO whatsapp_inbound (channel_id, message_id, received_at) SELECT :ch, value, :now FROM json_each(:ids) WHERE true
            ON CONFLICT DO NOTHING`,
      args: { ch: deps.channel.id, ids: JSON.stringify(handled), now },
    });
  }
  if (finish.length > 0) {
    try {
      await client.batch(finish, "write");
    } catch (err) {
      throw toAppError(err);
    }
  }
  return report;
}

async function handleMessage(deps: WhatsappDeps, m: InboundMessage, rep: WhatsappRep | undefined): Promise<void> {
  const d = describeMessage(m.raw);
  if (rep && m.from) {
    const reply = decodeAlertReply(d.replyId);
    if (reply) return handleRepAction(deps, rep, m.from, m.id, reply);
    return handleRepMessage(deps, rep, m, d, m.from);
  }
  return handleProspectMessage(deps, m, d);
}
