import type { InStatement, ResultSet } from "@libsql/client/web";
import { channelRowStatement, foundChannel } from "../../workers/domain/channels/channel-rows";
import { channelWebhookSeen } from "../../workers/domain/channels/channel-status";
import { type WhatsappChannel, whatsappComplete } from "../../workers/domain/channels/whatsapp-channels";
import type { DomainContext, WorkspaceRef } from "../../workers/domain/context";
import type { WhatsappRep } from "./context";
import type { InboundMessage } from "./webhook-payload";

/** What handling a delivery needs to know before its first message. */
export interface DeliveryRead {
  /** Message ids handled before. */
  seen: Set<string>;
  /** Senders (wa_id) who are active reps of the workspace. */
  reps: Map<string, WhatsappRep>;
  /** `kind:address` of senders a lead already knows by their WhatsApp identity. */
  known: Set<string>;
}

type Sender = Pick<InboundMessage, "id" | "from" | "fromUserId">;

/**
 * Which message ids channel `channelId` handled before, which senders are active reps of its workspace, and
 * which already have a lead (a new prospect's first message goes straight to the capture). Read-only, so a hook
 * may send them with its channel lookup before it has checked the signature. Results: the last three.
 */
export function deliveryReads(channelId: string, messages: Sender[]): InStatement[] {
  const ws = `(SELECT workspace_id FROM channel WHERE id = :ch)`;
  const list = (values: (string | null)[]) => JSON.stringify([...new Set(values.filter((v) => v !== null))]);
  return [
    {
      sql: `SELECT message_id FROM whatsapp_inbound WHERE channel_id = :ch AND message_id IN (SELECT value
            FROM json_each(:ids))`,
      args: { ch: channelId, ids: JSON.stringify(messages.map((m) => m.id)) },
    },
    {
      sql: `SELECT id, name, substr(whatsapp_phone, 2) AS wa FROM rep
            WHERE workspace_id = ${ws} AND active = 1 AND whatsapp_phone IN (SELECT value FROM json_each(:phones))`,
      args: { ch: channelId, phones: list(messages.map((m) => (m.from ? `+${m.from}` : null))) },
    },
    {
      // One SELECT per kind: behind an OR of the two kinds SQLite uses only the key's workspace_id and reads every
      // identity of the workspace (a lookup that grew with its leads); each half here is a key lookup per address.
      sql: `SELECT kind, address FROM lead_identity WHERE workspace_id = ${ws}
              AND kind = 'whatsapp' AND address IN (SELECT value FROM json_each(:was))
            UNION ALL
            SELECT kind, address FROM lead_identity WHERE workspace_id = ${ws}
              AND kind = 'whatsapp-user' AND address IN (SELECT value FROM json_each(:waUsers))`,
      args: {
        ch: channelId,
        was: list(messages.map((m) => m.from)),
        waUsers: list(messages.map((m) => m.fromUserId)),
      },
    },
  ];
}

/** The reads' answer, from the batch they ended. */
export function deliveryReadResults(results: ResultSet[]): DeliveryRead {
  const read: DeliveryRead = { seen: new Set(), reps: new Map(), known: new Set() };
  for (const r of results.at(-3)?.rows ?? []) read.seen.add(String(r.message_id));
  for (const r of results.at(-2)?.rows ?? []) read.reps.set(String(r.wa), { id: String(r.id), name: String(r.name) });
  for (const r of results.at(-1)?.rows ?? []) read.known.add(`${r.kind}:${r.address}`);
  return read;
}

/**
 * The delivery's first writes: its arrival noted on the channel, and the 24-hour window opened for every
 * sender — before any reply is sent, so the auto-reply's claim sees it (the same batch as the reply's row does).
 */
export function openingWrites(channelId: string, messages: InboundMessage[], now: number): InStatement[] {
  // [address, at] per sender address, in one statement: a 1,000-message delivery is one upsert, not 2,000.
  const windows: [string, number][] = [];
  for (const m of messages) {
    // The window opened when the user wrote (Meta's timestamp), not when a retry reached us.
    const at = Math.min(m.timestampMs ?? now, now);
    for (const address of [m.from, m.fromUserId]) if (address) windows.push([address, at]);
  }
  return [
    channelWebhookSeen(channelId, now),
    {
      sql: `INSERT INTO whatsapp_window (channel_id, address, last_inbound_at)
            SELECT :ch, j.value ->> 0, j.value ->> 1 FROM json_each(:windows) j WHERE true
            ON CONFLICT (channel_id, address)
            DO UPDATE SET last_inbound_at = MAX(last_inbound_at, excluded.last_inbound_at)`,
      args: { ch: channelId, windows: JSON.stringify(windows) },
    },
  ];
}

/**
 * Message `messageId` recorded as handled, in the batch of its last effect and only once that effect holds (its
 * timeline event, keyed `wa:<message id>`, exists): a redelivery then skips it without a round trip of its own.
 */
export function handledMark(
  deps: { channel: WhatsappChannel; workspace: WorkspaceRef },
  messageId: string,
  now: number,
) {
  return {
    sql: `INSERT INTO whatsapp_inbound (channel_id, message_id, received_at) SELECT :ch, :id, :now
          WHERE EXISTS (SELECT 1 FROM lead_event WHERE workspace_id = :ws AND dedup_key = :key)
          ON CONFLICT DO NOTHING`,
    args: { ch: deps.channel.id, id: messageId, now, ws: deps.workspace.id, key: `wa:${messageId}` },
  };
}

/**
 * A hook's lookup of its number with the delivery's reads, in one round trip (read-only: nothing is written
 * before the signature is checked). `messages`: every message of the body, whichever number it is for.
 */
export async function findNumberWithReads(
  ctx: DomainContext,
  channelId: string,
  messages: Sender[],
): Promise<{ found: ReturnType<typeof foundChannel<WhatsappChannel["config"]>>; read: DeliveryRead }> {
  const results = await ctx.database.client.batch(
    [channelRowStatement(channelId, "whatsapp"), ...deliveryReads(channelId, messages)],
    "read",
  );
  return { found: foundChannel(results[0]?.rows[0], whatsappComplete), read: deliveryReadResults(results) };
}
