import type { InStatement } from "@libsql/client/web";
import { captureLead } from "../../workers/domain/capture/capture-lead";
import { consentKeyword } from "../../workers/domain/capture/consent-keywords";
import {
  attachIdentities,
  collectIdentities,
  identitiesArg,
  identityMatch,
} from "../../workers/domain/capture/lead-identities";
import { consentStatements } from "../../workers/domain/capture/opt-out";
import { repTelegramBot } from "../../workers/domain/channels/rep-bot";
import { normalizePhone } from "../../workers/lib/contact";
import { newId } from "../../workers/lib/ids";
import { commitAndSend } from "../../workers/outbox/commit-and-send";
import { repReachedOn } from "../../workers/outbox/rep-message";
import type { WhatsappDeps } from "./context";
import type { DescribedMessage, Referral } from "./describe-message";
import { messageKey, whatsappOutboxInsert } from "./outbox-reply";
import type { InboundMessage } from "./webhook-payload";

const CONSENT_REPLY = {
  opt_out: "You are unsubscribed and will get no more messages from us. Reply START to subscribe again.",
  opt_in: "You are subscribed again. Reply STOP at any time to unsubscribe.",
} as const;

/** The timeline event's data: what the prospect sent, the media id to fetch it later, the raw message. */
function eventData(msg: InboundMessage, d: DescribedMessage) {
  return {
    channel: "whatsapp",
    type: d.type,
    text: d.text.slice(0, 5000),
    messageId: msg.id,
    ...(d.media ? { media: d.media } : {}),
    ...(d.replyId ? { replyId: d.replyId } : {}),
    ...(d.contextId ? { contextId: d.contextId } : {}),
    ...(d.referral ? { referral: d.referral } : {}),
    raw: msg.raw,
  };
}

/** A click-to-WhatsApp ad (or post) as the lead's first-touch attribution. */
function attribution(r: Referral | null): {
  utm: Record<string, string | undefined>;
  referrer?: string | undefined;
  fields: Record<string, string>;
} {
  if (!r) return { utm: { source: "whatsapp" }, fields: {} };
  const cut = (v: string | null, n: number) => (v ? v.slice(0, n) : undefined);
  return {
    utm: {
      source: "whatsapp",
      medium: cut(r.sourceType ? `ctwa_${r.sourceType}` : "ctwa", 200),
      campaign: cut(r.sourceId, 200),
      content: cut(r.headline, 200),
    },
    referrer: cut(r.sourceUrl, 2048),
    fields: r.ctwaClid ? { ctwa_clid: r.ctwaClid.slice(0, 2000) } : {},
  };
}

/**
 * A prospect's message of any type. The first one creates the lead through `captureLead` (dedup by wa_id,
 * phone or BSUID; the profile name; a click-to-WhatsApp ad as its source); later ones go onto the lead's
 * timeline and are relayed to the owner rep. STOP / START change consent. Every write is keyed by the
 * message id, so a redelivery of a half-handled message completes it without doubling anything. `also`: the
 * caller's writes (marking the message handled) ride in the message's last batch, saving their own round trip.
 */
export async function handleProspectMessage(
  deps: WhatsappDeps,
  msg: InboundMessage,
  d: DescribedMessage,
  leadKnown = true,
  also: InStatement[] = [],
): Promise<void> {
  const consent =
    d.type === "text" || d.type === "button" || d.type === "interactive" ? consentKeyword(d.text, d.replyId) : null;
  const data = eventData(msg, d);
  // `leadKnown` false: no lead had this WhatsApp identity when the delivery was read, so the known-lead write
  // (a round trip) is skipped; a lead created meanwhile is still found by the capture's dedup.
  // A consent change is the last write: the caller's writes wait for it.
  const withLead = consent ? [] : also;
  let leadId = leadKnown ? await recordForKnownLead(deps, msg, data, withLead) : null;
  if (!leadId) {
    const wa = msg.from;
    // wa_id is the phone in international digits; it dedups against form leads with the same phone. Some
    // are not valid phone numbers (test numbers, country-specific wa_ids): then the wa_id alone identifies.
    const phone =
      wa && wa.length <= 20 && normalizePhone(`+${wa}`, deps.workspace.defaultCountry) ? `+${wa}` : undefined;
    const { utm, referrer, fields } = attribution(d.referral);
    // A first message that is STOP must not get the auto-reply: its rows are left to the cron job, which
    // finds the lead opted out by then (the opt-out below is written first).
    const ctx = consent === "opt_out" ? { ...deps.ctx, waitUntil: undefined } : deps.ctx;
    const { lead } = await captureLead(
      { ctx, workspace: deps.workspace, actor: { type: "prospect" }, alsoWrite: withLead },
      {
        source: "whatsapp",
        whatsappId: wa && wa.length <= 64 ? wa : undefined,
        whatsappUserId: msg.fromUserId ?? undefined,
        phone,
        name: msg.contact?.name ?? undefined,
        message: d.text.slice(0, 5000) || undefined,
        utm,
        referrer,
        fields,
        dedupKey: `wa:${msg.id}`,
        channelId: deps.channel.id,
        channelData: data,
      },
    );
    leadId = lead.id;
  }
  if (consent) await recordConsent(deps, msg, leadId, consent, d.replyId ?? d.text, also);
}

/**
 * A known prospect's message: a `message` event, `last_inbound_at`, and a relay to the owner rep (their
 * Telegram chat, or their WhatsApp for reps without Telegram), in one batch. Returns the lead id, or null
 * when no lead has this WhatsApp identity yet.
 */
async function recordForKnownLead(
  deps: WhatsappDeps,
  msg: InboundMessage,
  data: ReturnType<typeof eventData>,
  also: InStatement[],
): Promise<string | null> {
  const now = deps.ctx.now();
  // The lead by wa_id first, then by BSUID (the same precedence as capture).
  const lead = identityMatch;
  const known = collectIdentities({ whatsappId: msg.from ?? undefined, whatsappUserId: msg.fromUserId ?? undefined });
  const who = { ws: deps.workspace.id, ids: identitiesArg(known) };
  const eventId = newId("evt", now);
  // Relays only for a message recorded now: a redelivery whose lead was created by this very message
  // (the alert already told the rep) relays nothing.
  const fresh = `EXISTS (SELECT 1 FROM lead_event WHERE id = :eventId)`;
  // Relayed whole: a sender cuts what is over its chat's limit visibly, pointing to the lead.
  const relayText = data.text;
  const mergeIfFree = (col: string, arg: string) =>
    `${col} = COALESCE(${col}, (SELECT :${arg} WHERE NOT EXISTS
      (SELECT 1 FROM lead WHERE workspace_id = :ws AND ${col} = :${arg})))`;
  const results = await commitAndSend(deps.ctx, [
    {
      sql: `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, dedup_key, created_at)
                SELECT :eventId, :ws, l.id, 'message', 'prospect', NULL, :data, :dedupKey, :now
                FROM lead l WHERE l.id = ${lead}
                ON CONFLICT DO NOTHING`,
      args: { ...who, eventId, data: JSON.stringify(data), dedupKey: `wa:${msg.id}`, now },
    },
    // A user seen first by BSUID may show their wa_id later (and the other way round): keep both.
    {
      sql: `UPDATE lead SET last_inbound_at = :now, updated_at = :now,
                ${mergeIfFree("whatsapp_id", "wa")},
                ${mergeIfFree("whatsapp_user_id", "waUser")}
                WHERE id = ${lead}`,
      args: { ...who, wa: msg.from, waUser: msg.fromUserId, now },
    },
    {
      sql: `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload,
                  idempotency_key, state, attempts, due_at, created_at, updated_at)
                SELECT :obxId, :ws, l.id, 'relay', 'telegram', c.id, r.telegram_chat_id,
                  json_object('text', 'Message from ' || COALESCE(l.name, 'a prospect') || ' (' || l.id
                    || ') on WhatsApp:' || char(10) || :text),
                  :key, 'pending', 0, :now, :now, :now
                FROM lead l JOIN rep r ON r.id = l.owner_rep_id
                  JOIN channel c ON c.id = ${repTelegramBot("r")}
                WHERE l.id = ${lead} AND r.telegram_chat_id IS NOT NULL AND ${fresh}
                ON CONFLICT DO NOTHING RETURNING id`,
      args: {
        ...who,
        obxId: newId("obx", now),
        eventId,
        text: relayText,
        key: messageKey(deps, msg.id, "relay"),
        now,
      },
    },
    {
      sql: `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload,
                  idempotency_key, state, attempts, due_at, created_at, updated_at)
                SELECT :obxId, :ws, l.id, 'relay', 'whatsapp', :channelId, substr(r.whatsapp_phone, 2),
                  json_object('text', 'Message from ' || COALESCE(l.name, 'a prospect') || ' (' || l.id || '):'
                    || char(10) || :text),
                  :key, 'pending', 0, :now, :now, :now
                FROM lead l JOIN rep r ON r.id = l.owner_rep_id
                WHERE l.id = ${lead} AND ${repReachedOn(deps.ctx.channels, "whatsapp")} AND ${fresh}
                ON CONFLICT DO NOTHING RETURNING id`,
      args: {
        ...who,
        obxId: newId("obx", now),
        eventId,
        channelId: deps.channel.id,
        text: relayText,
        key: messageKey(deps, msg.id, "relay-wa"),
        now,
      },
    },
    { sql: `SELECT ${lead} AS id`, args: who },
    // Last, so the indexes above stay put: the identity it did not have yet joins the lead.
    { sql: attachIdentities(lead), args: { ...who, now } },
    ...also,
  ]);
  const id = results[4]?.rows[0]?.id;
  return typeof id === "string" ? id : null;
}

/** STOP / START: the consent ledger, the lead and its sequences, and a confirmation, in one batch. */
async function recordConsent(
  deps: WhatsappDeps,
  msg: InboundMessage,
  leadId: string,
  action: "opt_out" | "opt_in",
  text: string,
  also: InStatement[],
) {
  const to = msg.from ?? msg.fromUserId!;
  await commitAndSend(deps.ctx, [
    ...consentStatements({
      ws: deps.workspace.id,
      leadId,
      action,
      source: "whatsapp",
      address: to,
      messageId: msg.id,
      text,
      now: deps.ctx.now(),
    }),
    // A bot_reply, not a message to the prospect's lead: the outbox sends it although the lead opted out.
    whatsappOutboxInsert(deps, {
      kind: "bot_reply",
      to,
      text: CONSENT_REPLY[action],
      leadId,
      key: messageKey(deps, msg.id, "consent"),
    }),
    ...also,
  ]);
}
