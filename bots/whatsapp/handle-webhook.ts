import type { InStatement } from "@libsql/client/web";
import { channelWebhookSeen } from "../../workers/domain/channels/channel-status";
import { toAppError } from "../../workers/errors";
import { decodeAlertReply } from "./alert-actions";
import type { WhatsappDeps, WhatsappRep } from "./context";
import { type DeliveryRead, deliveryReadResults, deliveryReads, handledMark, openingWrites } from "./delivery-read";
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
 * 1. Note the webhook's arrival on the channel and open the 24-hour window for every sender (before any reply is
 *    sent, so the auto-reply sees it); read which message ids were handled before, which senders are reps of the
 *    workspace, and which already have a lead (a new prospect's first message goes straight to the capture).
 *    One round trip — none when the hook read them with its channel lookup (`read`) and only prospects wrote:
 *    then those writes ride in each message's own batch.
 * 2. Each new message: a contact's in order (the first creates the lead, the next ones find it), several
 *    contacts at once. A prospect's message is marked handled in the batch of its last effect.
 * 3. One batch, when there is anything left: statuses, out-of-band errors, and the other handled message ids —
 *    recorded after their effects, so a 2xx means stored, and a storage failure (5xx) makes Meta redeliver what
 *    is not recorded yet.
 * A message that cannot be handled for any other reason (a bug, a message we cannot read) is logged and
 * acknowledged: redelivering it for 36 hours would not help.
 */
export async function handleWebhook(
  deps: WhatsappDeps,
  batch: WebhookBatch,
  read?: DeliveryRead,
  arrival = false,
): Promise<WebhookReport> {
  const { client } = deps.ctx.database;
  const now = deps.ctx.now();
  const report: WebhookReport = { handled: 0, duplicates: 0, statuses: batch.statuses.length, dropped: 0 };
  const opening = openingWrites(deps.channel.id, batch.messages, now);
  // Folded into the prospects' batches only when no rep writes (a rep's handlers have batches of their own).
  const fold = read !== undefined && read.reps.size === 0;
  let known: DeliveryRead;
  if (fold) known = read;
  else {
    try {
      const results = await client.batch(
        [...opening, ...(read ? [] : deliveryReads(deps.channel.id, batch.messages))],
        "write",
      );
      known = read ?? deliveryReadResults(results);
    } catch (err) {
      throw toAppError(err);
    }
  }
  const { seen, reps } = known;
  // The opening writes are stored once one folded batch succeeds; else they go with the last batch.
  let opened = !fold;

  // Each contact's messages in order (the first creates the lead, the next ones find it); different contacts
  // side by side, a few at a time: a batch of 1,000 updates one after another would keep Meta waiting for
  // tens of seconds. Six matches the simultaneous connections a Worker invocation may open.
  const handled: string[] = [];
  // Handled ids already recorded in their message's own batch.
  const marked = new Set<string>();
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
      // After a contact's first message (which creates the lead if there was none) the lead is known.
      let leadKnown = next.some(
        (m) => known.known.has(`whatsapp:${m.from}`) || known.known.has(`whatsapp-user:${m.fromUserId}`),
      );
      for (const m of next) {
        try {
          const also = [...(fold ? opening : []), handledMark(deps, m.id, now)];
          if (await handleMessage(deps, m, m.from ? reps.get(m.from) : undefined, leadKnown, also)) {
            marked.add(m.id);
            opened = true;
          }
          leadKnown = true;
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

  // Nothing new (every message handled before: a redelivery, or the queued copy of a delivery handled after its
  // 200): the first handling opened the windows, so only statuses and errors are written. A redelivery that reached
  // the hook (`arrival`) still notes that a verified webhook came, the channel's health sign. That costs a write of
  // its own: the hook's one request before it is read-only (it precedes the signature check) and nothing else is
  // written. A queued copy does not note it: its delivery's own handling did, when it arrived.
  const fresh = byContact.size > 0 || batch.statuses.length > 0 || batch.errors.length > 0;
  const finish: InStatement[] = [
    ...(opened ? [] : fresh ? opening : arrival ? [channelWebhookSeen(deps.channel.id, now)] : []),
    ...batch.statuses.flatMap((s) => statusStatements(deps, s)),
  ];
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
  const unmarked = handled.filter((id) => !marked.has(id));
  if (unmarked.length > 0) {
    finish.push({
      sql: `INSERT INTO whatsapp_inbound (channel_id, message_id, received_at) SELECT :ch, value, :now
            FROM json_each(:ids) WHERE true
            ON CONFLICT DO NOTHING`,
      args: { ch: deps.channel.id, ids: JSON.stringify(unmarked), now },
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

/** One message; true when `also` was written with its last effect (a prospect's), false when left to the caller. */
async function handleMessage(
  deps: WhatsappDeps,
  m: InboundMessage,
  rep: WhatsappRep | undefined,
  leadKnown: boolean,
  also: InStatement[],
): Promise<boolean> {
  const d = describeMessage(m.raw);
  if (rep && m.from) {
    const reply = decodeAlertReply(d.replyId);
    if (reply) await handleRepAction(deps, rep, m.from, m.id, reply);
    else await handleRepMessage(deps, rep, m, d, m.from);
    return false;
  }
  await handleProspectMessage(deps, m, d, leadKnown, also);
  return true;
}
